using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IRemediationLedger"/> with the same rules as the DynamoDB one, safe under concurrency.</summary>
public sealed class InMemoryLedger(TimeProvider time) : IRemediationLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ClaimStatus Status, DateTimeOffset Expires)> _events = [];
    private readonly Dictionary<string, List<(string EventKey, DateTimeOffset At)>> _failures = [];
    private readonly Dictionary<string, FixRecord> _fixes = [];
    private readonly Dictionary<string, List<BudgetEntry>> _budgets = [];

    public static readonly TimeSpan InFlight = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Completed = TimeSpan.FromHours(7);

    public List<AuditRecord> Audit { get; } = [];

    public Task<ClaimStatus> ClaimEventAsync(string eventKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_events.TryGetValue(eventKey, out var e) && e.Expires > now)
            {
                return Task.FromResult(e.Status == ClaimStatus.Completed ? ClaimStatus.Completed : ClaimStatus.InProgress);
            }

            _events[eventKey] = (ClaimStatus.InProgress, now + InFlight);
            return Task.FromResult(ClaimStatus.Claimed);
        }
    }

    public Task CompleteEventAsync(string eventKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _events[eventKey] = (ClaimStatus.Completed, now + Completed);
        }

        return Task.CompletedTask;
    }

    public Task ReleaseEventAsync(string eventKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _events.Remove(eventKey);
        }

        return Task.CompletedTask;
    }

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

            return Task.FromResult(list.Count(f => f.At > at - window && f.At <= at + window));
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
            var account = Budget("account");
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
            Budget("account").RemoveAll(e => e.ReservationId == reservationId);
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
    }

    private readonly Dictionary<string, Incident> _incidents = [];

    public Task<IncidentUpdate> RecordIncidentAsync(string incidentKey, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, bool mustPublish, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_incidents.TryGetValue(incidentKey, out var i) || i.LastFailureAt < at - window)
            {
                _incidents[incidentKey] = new Incident { WindowStart = at, LastFailureAt = at, Total = 1, Events = [eventKey] };
                return Task.FromResult(new IncidentUpdate(IncidentAction.Open, 1, 0, null, null, null));
            }

            if (i.Events.Contains(eventKey))
            {
                return Task.FromResult(new IncidentUpdate(IncidentAction.Suppress, i.Total, i.Suppressed, i.WindowStart, i.FirstTask, i.LastTask));
            }

            i.Total++;
            i.LastFailureAt = at > i.LastFailureAt ? at : i.LastFailureAt;
            if (mustPublish || i.WindowStart <= at - window)
            {
                var update = new IncidentUpdate(IncidentAction.FollowUp, i.Total, i.Suppressed, i.WindowStart, i.FirstTask, i.LastTask);
                i.WindowStart = at;
                i.Suppressed = 0;
                i.FirstTask = i.LastTask = null;
                i.Events = [eventKey];
                return Task.FromResult(update);
            }

            i.Suppressed++;
            i.FirstTask ??= taskId;
            i.LastTask = taskId;
            i.Events.Add(eventKey);
            return Task.FromResult(new IncidentUpdate(IncidentAction.Suppress, i.Total, i.Suppressed, i.WindowStart, i.FirstTask, i.LastTask));
        }
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
