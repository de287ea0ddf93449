using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IRemediationLedger"/> with the same rules as the DynamoDB one, safe under concurrency.</summary>
public sealed class InMemoryLedger(TimeProvider time) : IRemediationLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, EventRow> _events = [];
    private readonly Dictionary<string, List<(string EventKey, DateTimeOffset At)>> _failures = [];
    private readonly Dictionary<string, FixRecord> _fixes = [];
    private readonly Dictionary<string, List<BudgetEntry>> _budgets = [];

    public static readonly TimeSpan Completed = TimeSpan.FromHours(7);

    public List<AuditRecord> Audit { get; } = [];

    private sealed record EventRow(ClaimStatus Status, string Owner, DateTimeOffset LeaseUntil, DateTimeOffset Expires, EventJournal? Journal);

    /// <summary>The journal an event has now, for tests that look inside.</summary>
    public EventJournal? JournalOf(string eventKey)
    {
        lock (_gate)
        {
            return _events.GetValueOrDefault(eventKey)?.Journal;
        }
    }

    public Task<EventClaim> ClaimEventAsync(string eventKey, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var row = _events.GetValueOrDefault(eventKey);
            if (row is not null && row.Expires >= now)
            {
                if (row.Status == ClaimStatus.Completed)
                {
                    return Task.FromResult(new EventClaim(ClaimStatus.Completed, row.Journal));
                }

                if (row.LeaseUntil >= now)
                {
                    return Task.FromResult(new EventClaim(ClaimStatus.InProgress, null, row.LeaseUntil));
                }
            }

            var journal = row is not null && row.Expires >= now ? row.Journal : null;
            _events[eventKey] = new EventRow(ClaimStatus.InProgress, owner, now + lease, now + Completed, journal);
            return Task.FromResult(new EventClaim(ClaimStatus.Claimed, journal));
        }
    }

    public Task SaveJournalAsync(string eventKey, string owner, EventJournal journal, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var row = Owned(eventKey, owner);
            _events[eventKey] = row with { Journal = journal };
        }

        return Task.CompletedTask;
    }

    public Task CompleteEventAsync(string eventKey, string owner, EventJournal journal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var row = Owned(eventKey, owner);
            _events[eventKey] = row with { Status = ClaimStatus.Completed, Journal = journal, Expires = now + Completed };
        }

        return Task.CompletedTask;
    }

    public Task ReleaseEventAsync(string eventKey, string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_events.GetValueOrDefault(eventKey) is { Status: ClaimStatus.InProgress } row && row.Owner == owner)
            {
                _events[eventKey] = row with { LeaseUntil = DateTimeOffset.MinValue };
            }
        }

        return Task.CompletedTask;
    }

    private EventRow Owned(string eventKey, string owner) =>
        _events.GetValueOrDefault(eventKey) is { Status: ClaimStatus.InProgress } row && row.Owner == owner
            ? row
            : throw new ClaimLostException(eventKey);

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

    public Task<string?> TryReserveFixAsync(string serviceKey, string reservationId, DateTimeOffset now, PolicySettings limits, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var service = Budget("service|" + serviceKey);
            var account = Budget("account|" + FixBudget.AccountScopeOf(serviceKey));
            if (service.Any(e => e.ReservationId == reservationId))
            {
                return Task.FromResult<string?>(null);
            }

            if (FixBudget.Check(service, account, now, limits) is { } denied)
            {
                return Task.FromResult<string?>(denied);
            }

            service.Add(new BudgetEntry(reservationId, now));
            account.Add(new BudgetEntry(reservationId, now));
            return Task.FromResult<string?>(null);
        }
    }

    public Task ReleaseFixAsync(string serviceKey, string reservationId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Budget("service|" + serviceKey).RemoveAll(e => e.ReservationId == reservationId);
            Budget("account|" + FixBudget.AccountScopeOf(serviceKey)).RemoveAll(e => e.ReservationId == reservationId);
        }

        return Task.CompletedTask;
    }

    public Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Audit.Add(record);
        }

        return Task.CompletedTask;
    }

    private sealed class Incident
    {
        public DateTimeOffset WindowStart { get; set; }
        public DateTimeOffset LastFailureAt { get; set; }
        public int Total { get; set; }
        public int Suppressed { get; set; }
        public string? FirstTask { get; set; }
        public string? LastTask { get; set; }
        public HashSet<string> Events { get; set; } = [];
        public string Opener { get; set; } = "";
        public IncidentAction OpenedAs { get; set; }
        public bool? Fixable { get; set; }

        public IncidentUpdate Update(IncidentAction action) => new(action, Total, Suppressed, WindowStart, FirstTask, LastTask) { Fixable = Fixable };
    }

    private readonly Dictionary<string, Incident> _incidents = [];

    public Task<IncidentUpdate> RecordIncidentAsync(string incidentKey, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, bool mustPublish, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_incidents.TryGetValue(incidentKey, out var i) || i.LastFailureAt < at - window)
            {
                _incidents[incidentKey] = new Incident { WindowStart = at, LastFailureAt = at, Total = 1, Events = [eventKey], Opener = eventKey, OpenedAs = IncidentAction.Open };
                return Task.FromResult(new IncidentUpdate(IncidentAction.Open, 1, 0, null, null, null));
            }

            if (i.Opener == eventKey)
            {
                // Asked again by the failure that opened this window: its advisory may not have gone out yet.
                return Task.FromResult(new IncidentUpdate(i.OpenedAs, i.Total, 0, null, null, null) { Fixable = i.Fixable });
            }

            var counted = i.Events.Contains(eventKey);
            if (counted && !mustPublish)
            {
                return Task.FromResult(i.Update(IncidentAction.Suppress));
            }

            if (!counted)
            {
                i.Total++;
            }

            i.LastFailureAt = at > i.LastFailureAt ? at : i.LastFailureAt;
            if (mustPublish || i.WindowStart <= at - window)
            {
                var suppressed = counted ? i.Suppressed - 1 : i.Suppressed;
                var update = new IncidentUpdate(IncidentAction.FollowUp, i.Total, suppressed, i.WindowStart, i.FirstTask, i.LastTask);
                i.WindowStart = at;
                i.Suppressed = 0;
                i.FirstTask = i.LastTask = null;
                i.Events = [eventKey];
                i.Opener = eventKey;
                i.OpenedAs = IncidentAction.FollowUp;
                i.Fixable = null;
                return Task.FromResult(update);
            }

            i.Suppressed++;
            i.FirstTask ??= taskId;
            i.LastTask = taskId;
            i.Events.Add(eventKey);
            return Task.FromResult(i.Update(IncidentAction.Suppress));
        }
    }

    public Task MarkIncidentFixableAsync(string incidentKey, string eventKey, bool fixable, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_incidents.TryGetValue(incidentKey, out var i) && i.Opener == eventKey)
            {
                i.Fixable = fixable;
            }
        }

        return Task.CompletedTask;
    }

    private List<BudgetEntry> Budget(string key)
    {
        if (!_budgets.TryGetValue(key, out var list))
        {
            _budgets[key] = list = [];
        }

        return list;
    }

    /// <summary>The current time, for tests that move the clock.</summary>
    public DateTimeOffset Now => time.GetUtcNow();
}
