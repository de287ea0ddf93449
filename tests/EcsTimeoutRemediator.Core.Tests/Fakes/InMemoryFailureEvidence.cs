using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IFailureEvidence"/> with the same rules as the DynamoDB one, safe under concurrency.</summary>
public sealed class InMemoryFailureEvidence : IFailureEvidence
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<(string EventKey, DateTimeOffset At)>> _failures = [];

    public Task<int> RecordFailureAsync(string serviceKey, string category, string eventKey, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = serviceKey + "|" + category;
            if (!_failures.TryGetValue(key, out var list))
            {
                _failures[key] = list = [];
            }

            if (!list.Any(f => f.EventKey == eventKey))
            {
                list.Add((eventKey, at));
            }

            return Task.FromResult(list.Count(f => f.At >= at - window && f.At <= at + window));
        }
    }
}
