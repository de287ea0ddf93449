using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IAuditTrail"/>: the records, in the order they were appended.</summary>
public sealed class InMemoryAuditTrail : IAuditTrail
{
    private readonly Lock _gate = new();

    public List<AuditRecord> Records { get; } = [];

    public Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Records.Add(record);
        }

        return Task.CompletedTask;
    }
}
