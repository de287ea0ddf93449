using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>
/// Every ledger port over <paramref name="inner"/>'s fakes, where the chosen write fails once (after the writes
/// before it went through, whichever port they went to), as the ledger table can after the SDK's retries.
/// </summary>
public sealed class FaultyLedger(InMemoryLedger inner) : IEventJournalStore, IFailureEvidence, IIncidentGate, IFixHistory, IFixBudget, IAuditTrail
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _calls = [];
    private string? _failing;

    /// <summary>Fails the next call of <paramref name="method"/>; "Method#2" fails its second call from now.</summary>
    public void FailOnce(string method)
    {
        lock (_gate)
        {
            _failing = method.Contains('#', StringComparison.Ordinal) ? method : method + "#1";
            _calls.Clear();
        }
    }

    private void Check(string method)
    {
        lock (_gate)
        {
            var n = _calls[method] = _calls.GetValueOrDefault(method) + 1;
            if (_failing == $"{method}#{n}")
            {
                _failing = null;
                throw new IOException($"{method} failed (DynamoDB answered 500 after the SDK's retries)");
            }
        }
    }

    public async Task<EventClaim> ClaimEventAsync(string eventKey, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        Check(nameof(ClaimEventAsync));
        return await inner.Events.ClaimEventAsync(eventKey, owner, now, lease, cancellationToken);
    }

    public Task SaveJournalAsync(string eventKey, string owner, EventJournal journal, CancellationToken cancellationToken)
    {
        Check(nameof(SaveJournalAsync));
        return inner.Events.SaveJournalAsync(eventKey, owner, journal, cancellationToken);
    }

    public Task CompleteEventAsync(string eventKey, string owner, EventJournal journal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Check(nameof(CompleteEventAsync));
        return inner.Events.CompleteEventAsync(eventKey, owner, journal, now, cancellationToken);
    }

    public Task ReleaseEventAsync(string eventKey, string owner, CancellationToken cancellationToken) => inner.Events.ReleaseEventAsync(eventKey, owner, cancellationToken);

    public Task<int> RecordFailureAsync(string serviceKey, string category, string eventKey, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        Check(nameof(RecordFailureAsync));
        return inner.Evidence.RecordFailureAsync(serviceKey, category, eventKey, at, window, cancellationToken);
    }

    public Task<FixRecord?> GetFixAsync(string serviceKey, string fix, CancellationToken cancellationToken) => inner.Fixes.GetFixAsync(serviceKey, fix, cancellationToken);

    public Task RecordFixAsync(string serviceKey, FixRecord record, CancellationToken cancellationToken)
    {
        Check(nameof(RecordFixAsync));
        return inner.Fixes.RecordFixAsync(serviceKey, record, cancellationToken);
    }

    public Task<bool> ClearFixAsync(string serviceKey, string fix, CancellationToken cancellationToken) => inner.Fixes.ClearFixAsync(serviceKey, fix, cancellationToken);

    public Task<string?> TryReserveFixAsync(string serviceKey, string reservationId, DateTimeOffset now, PolicySettings limits, CancellationToken cancellationToken)
    {
        Check(nameof(TryReserveFixAsync));
        return inner.Budget.TryReserveFixAsync(serviceKey, reservationId, now, limits, cancellationToken);
    }

    public Task ReleaseFixAsync(string serviceKey, string reservationId, CancellationToken cancellationToken) => inner.Budget.ReleaseFixAsync(serviceKey, reservationId, cancellationToken);

    public Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        Check(nameof(AppendAuditAsync));
        return inner.Audit.AppendAuditAsync(record, cancellationToken);
    }

    public Task<IncidentUpdate> RecordIncidentAsync(string incidentKey, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, bool mustPublish, CancellationToken cancellationToken)
    {
        Check(nameof(RecordIncidentAsync));
        return inner.Incidents.RecordIncidentAsync(incidentKey, eventKey, taskId, at, window, mustPublish, cancellationToken);
    }

    public Task MarkIncidentFixableAsync(string incidentKey, string eventKey, bool fixable, CancellationToken cancellationToken)
    {
        Check(nameof(MarkIncidentFixableAsync));
        return inner.Incidents.MarkIncidentFixableAsync(incidentKey, eventKey, fixable, cancellationToken);
    }
}
