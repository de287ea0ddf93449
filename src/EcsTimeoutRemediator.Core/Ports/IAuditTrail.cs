namespace EcsTimeoutRemediator.Ports;

/// <summary>One line of the audit trail: every fix decision, applied or not.</summary>
public sealed record AuditRecord(DateTimeOffset Time, string EventId, string ServiceKey, string Fix, string Result, string? Before, string? After, string Reason);

/// <summary>The audit trail of every fix decision.</summary>
public interface IAuditTrail
{
    Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken);
}
