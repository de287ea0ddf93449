using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.Ports;

public enum ClaimStatus
{
    /// <summary>This invocation owns the event now (new, released after a failure, or a dead invocation's expired lease).</summary>
    Claimed,

    /// <summary>The event was processed before (a redelivery): do nothing.</summary>
    Completed,

    /// <summary>Another invocation holds a live lease on the same event right now.</summary>
    InProgress,
}

/// <summary>The answer to a claim: the status, the journal a previous attempt left (replayed, never redone), and
/// until when a live claim of another invocation holds.</summary>
public sealed record EventClaim(ClaimStatus Status, EventJournal? Journal = null, DateTimeOffset? LeaseUntil = null);

/// <summary>A fix applied to a service, remembered so that a fix that did not cure is never applied again by itself.</summary>
public sealed record FixRecord(string Fix, string Category, DateTimeOffset AppliedAt, string Before, string After, bool Ineffective = false);

/// <summary>One line of the audit trail: every fix decision, applied or not.</summary>
public sealed record AuditRecord(DateTimeOffset Time, string EventId, string ServiceKey, string Fix, string Result, string? Before, string? After, string Reason);

/// <summary>
/// The durable memory of the function (a DynamoDB table in production): event idempotency, failure evidence,
/// fix budgets, fix history and the audit trail. Every method must hold when many invocations run at once.
/// </summary>
public interface IRemediationLedger : IIncidentLedger
{
    /// <summary>
    /// Claims an event (key: task ARN + detail.version) for <paramref name="owner"/> until now + <paramref name="lease"/>.
    /// A released claim, or one whose lease ran out (its invocation died), is taken over with its journal.
    /// </summary>
    Task<EventClaim> ClaimEventAsync(string eventKey, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records how far the event got; only while <paramref name="owner"/> holds the claim, else <see cref="ClaimLostException"/>.</summary>
    Task SaveJournalAsync(string eventKey, string owner, EventJournal journal, CancellationToken cancellationToken);

    /// <summary>Marks the event done with its final journal; only while <paramref name="owner"/> holds the claim, else <see cref="ClaimLostException"/>.</summary>
    Task CompleteEventAsync(string eventKey, string owner, EventJournal journal, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives up a claim after a failure, keeping its journal, so that the retry of the same event resumes at once.
    /// Does nothing when <paramref name="owner"/> no longer holds it.</summary>
    Task ReleaseEventAsync(string eventKey, string owner, CancellationToken cancellationToken);

    /// <summary>Records one failure (idempotent per event) and returns how many of that category the service had within the window, this one included.</summary>
    Task<int> RecordFailureAsync(string serviceKey, string category, string eventKey, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken);

    Task<FixRecord?> GetFixAsync(string serviceKey, string fix, CancellationToken cancellationToken);

    Task RecordFixAsync(string serviceKey, FixRecord record, CancellationToken cancellationToken);

    /// <summary>Forgets a fix's history (a person clears an ineffective fix).</summary>
    Task<bool> ClearFixAsync(string serviceKey, string fix, CancellationToken cancellationToken);

    /// <summary>Atomically takes one fix from the service and account budgets; null when reserved, else why not.</summary>
    Task<string?> TryReserveFixAsync(string serviceKey, string reservationId, DateTimeOffset now, PolicySettings limits, CancellationToken cancellationToken);

    /// <summary>Returns a reservation whose update did not happen.</summary>
    Task ReleaseFixAsync(string serviceKey, string reservationId, CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken);
}

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
public interface IIncidentLedger
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
