namespace EcsTimeoutRemediator.Ports;

public enum IncidentAction
{
    /// <summary>The first failure of a new incident: publish.</summary>
    Open,

    /// <summary>Another failure inside the incident's window: count it, publish nothing.</summary>
    Suppress,

    /// <summary>The first failure after the window (or one with a notable fix): publish one follow-up.</summary>
    FollowUp,
}

/// <summary>What the incident gate decided, with what a follow-up reports.</summary>
public sealed record IncidentUpdate(IncidentAction Action, int Total, int SuppressedSince, DateTimeOffset? Since, string? FirstTask, string? LastTask)
{
    /// <summary>
    /// Whether a failure of this incident may need an automatic fix, as the failure that opened the window found
    /// (the service opted in to a fix of the category): null while nobody knows yet. A suppressed failure of an
    /// incident known not to be fixable is counted without reading anything.
    /// </summary>
    public bool? Fixable { get; init; }

    /// <summary>"N more failures since HH:MM (tasks A … B over M minutes)", for a follow-up that had suppressed failures.</summary>
    public string? Note(DateTimeOffset now)
    {
        if (Action != IncidentAction.FollowUp || SuppressedSince == 0 || Since is not { } since)
        {
            return null;
        }

        var span = now - since;
        var tasks = FirstTask is null ? "" : FirstTask == LastTask ? $"; task {FirstTask}" : $"; first task {FirstTask}, last task {LastTask}";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{SuppressedSince} more failure(s) since {since:HH:mm} UTC over {Math.Max(1, (int)Math.Round(span.TotalMinutes))} minute(s){tasks}; {Total} in this incident so far.");
    }
}

/// <summary>The incident gate: one advisory per incident window, however many tasks fail.</summary>
public interface IIncidentGate
{
    /// <summary>
    /// Records one failure (idempotent per event) of the incident and decides whether to publish. With
    /// <paramref name="mustPublish"/> (an applied or failed fix), the failure always publishes and starts a new window.
    /// Asked again for the same event, it answers what it answered the first time: the failure that opened a window
    /// gets its Open or FollowUp again (its advisory may not have gone out), a counted one Suppress.
    /// </summary>
    Task<IncidentUpdate> RecordIncidentAsync(string incidentKey, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, bool mustPublish, CancellationToken cancellationToken);

    /// <summary>Remembers, for the window <paramref name="eventKey"/> opened, whether its failures may need a fix.</summary>
    Task MarkIncidentFixableAsync(string incidentKey, string eventKey, bool fixable, CancellationToken cancellationToken);
}
