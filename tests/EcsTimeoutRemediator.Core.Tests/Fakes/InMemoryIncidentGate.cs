using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IIncidentGate"/> with the same rules as the DynamoDB one, safe under concurrency.</summary>
public sealed class InMemoryIncidentGate : IIncidentGate
{
    private readonly Lock _gate = new();

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
}
