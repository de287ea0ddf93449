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
public interface IRemediationLedger
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
