namespace EcsTimeoutRemediator.Ports;

public enum ClaimStatus
{
    /// <summary>This invocation owns the event now (new, released after a failure, or a dead invocation's expired lease).</summary>
    Claimed,

    /// <summary>The event was processed before (a redelivery): do nothing.</summary>
    Completed,

    /// <summary>Another invocation holds a live lease on the same event right now.</summary>
    InProgress,
}

/// <summary>The answer to a claim: the status, the journal a previous attempt left (replayed, never redone), and
/// until when a live claim of another invocation holds.</summary>
public sealed record EventClaim(ClaimStatus Status, EventJournal? Journal = null, DateTimeOffset? LeaseUntil = null);

/// <summary>
/// The event journal: which invocation owns an event now and how far the event got, so that a redelivery does
/// nothing and a retry resumes. Every method must hold when many invocations run at once.
/// </summary>
public interface IEventJournalStore
{
    /// <summary>
    /// Claims an event (key: task ARN + detail.version) for <paramref name="owner"/> until now + <paramref name="lease"/>.
    /// A released claim, or one whose lease ran out (its invocation died), is taken over with its journal.
    /// </summary>
    Task<EventClaim> ClaimEventAsync(string eventKey, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records how far the event got; only while <paramref name="owner"/> holds the claim, else <see cref="ClaimLostException"/>.</summary>
    Task SaveJournalAsync(string eventKey, string owner, EventJournal journal, CancellationToken cancellationToken);

    /// <summary>Marks the event done with its final journal; only while <paramref name="owner"/> holds the claim, else <see cref="ClaimLostException"/>.</summary>
    Task CompleteEventAsync(string eventKey, string owner, EventJournal journal, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives up a claim after a failure, keeping its journal, so that the retry of the same event resumes at once.
    /// Does nothing when <paramref name="owner"/> no longer holds it.</summary>
    Task ReleaseEventAsync(string eventKey, string owner, CancellationToken cancellationToken);
}
