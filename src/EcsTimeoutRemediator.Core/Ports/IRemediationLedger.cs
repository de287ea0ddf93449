using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.Ports;

public enum ClaimStatus
{
    /// <summary>This invocation owns the event now.</summary>
    Claimed,

    /// <summary>The event was processed before (a redelivery): do nothing.</summary>
    Completed,

    /// <summary>Another invocation is processing the same event right now.</summary>
    InProgress,
}

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
    /// <summary>Claims an event (key: task ARN + detail.version) for processing.</summary>
    Task<ClaimStatus> ClaimEventAsync(string eventKey, DateTimeOffset now, CancellationToken cancellationToken);

    Task CompleteEventAsync(string eventKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives up a claim after a failure, so that the retry of the same event is processed.</summary>
    Task ReleaseEventAsync(string eventKey, CancellationToken cancellationToken);

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
    /// </summary>
    Task<IncidentUpdate> RecordIncidentAsync(string incidentKey, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, bool mustPublish, CancellationToken cancellationToken);
}
