using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IEventJournalStore"/> with the same rules as the DynamoDB one, safe under concurrency.</summary>
public sealed class InMemoryEventJournal : IEventJournalStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, EventRow> _events = [];

    public static readonly TimeSpan Completed = TimeSpan.FromHours(7);

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
}
