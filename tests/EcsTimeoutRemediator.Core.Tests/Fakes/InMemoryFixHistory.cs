using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IFixHistory"/> with the same rules as the DynamoDB one, safe under concurrency.</summary>
public sealed class InMemoryFixHistory : IFixHistory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FixRecord> _fixes = [];

    public Task<FixRecord?> GetFixAsync(string serviceKey, string fix, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_fixes.GetValueOrDefault(serviceKey + "|" + fix));
        }
    }

    public Task RecordFixAsync(string serviceKey, FixRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _fixes[serviceKey + "|" + record.Fix] = record;
        }

        return Task.CompletedTask;
    }

    public Task<bool> ClearFixAsync(string serviceKey, string fix, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_fixes.Remove(serviceKey + "|" + fix));
        }
    }
}
