using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.Ports;

/// <summary>
/// How far one event got, recorded against its idempotency key before and after each effect: the decisions as
/// data first, then each effect's outcome. A retry of the event replays it: what is recorded is not decided or
/// done again, what is missing is done now.
/// </summary>
public sealed record EventJournal
{
    [JsonPropertyName("category")] public required string Category { get; init; }

    /// <summary>What the incident gate answered for this event.</summary>
    [JsonPropertyName("incident")] public IncidentUpdate? Incident { get; init; }

    /// <summary>A fix about to be applied: recorded before UpdateService, so a retry reconciles instead of re-deciding.</summary>
    [JsonPropertyName("intents")] public IReadOnlyList<FixIntent> Intents { get; init; } = [];

    /// <summary>The final outcome of each fix the category has, once all are decided and done.</summary>
    [JsonPropertyName("fixes")] public IReadOnlyList<FixOutcome>? Fixes { get; init; }

    /// <summary>The advisory as decided, before it is published; a retry publishes exactly this one.</summary>
    [JsonPropertyName("advisory")] public Advisory? Advisory { get; init; }

    /// <summary>The SNS message id, once published.</summary>
    [JsonPropertyName("messageId")] public string? MessageId { get; init; }

    /// <summary>The chat delivery's outcome ("posted" or why not), once tried.</summary>
    [JsonPropertyName("chat")] public string? Chat { get; init; }

    /// <summary>How the event ended, when it ended without an advisory (suppressed): recorded with the completion.</summary>
    [JsonPropertyName("outcome")] public string? Outcome { get; init; }

    public FixIntent? IntentFor(string fix) => Intents.FirstOrDefault(i => i.Plan.Fix == fix);
}

/// <summary>A fix that passed every check and the budget, recorded right before its UpdateService.</summary>
public sealed record FixIntent(
    [property: JsonPropertyName("plan")] FixPlan Plan,
    [property: JsonPropertyName("reservation")] string Reservation);

/// <summary>The invocation does not hold the event any more (its lease ran out and a retry took it over): stop, do nothing more.</summary>
public sealed class ClaimLostException : Exception
{
    public ClaimLostException(string eventKey)
        : base($"the claim on event {eventKey} was taken over by another invocation after its lease ran out; this invocation stops, the other one finishes the event")
    {
    }

    public ClaimLostException()
    {
    }

    public ClaimLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Another invocation is working on the same event right now (a duplicate delivery that overlapped). The
/// invocation fails with this error so that Lambda retries later, when the other one has finished or died.
/// </summary>
public sealed class EventInProgressException : Exception
{
    public EventInProgressException(string eventKey, DateTimeOffset? leaseUntil)
        : base($"event {eventKey} is being processed by another invocation{(leaseUntil is { } until ? $" (its claim holds until {until:O})" : "")}; failing so that Lambda retries it later")
    {
    }

    public EventInProgressException()
    {
    }

    public EventInProgressException(string message)
        : base(message)
    {
    }

    public EventInProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
