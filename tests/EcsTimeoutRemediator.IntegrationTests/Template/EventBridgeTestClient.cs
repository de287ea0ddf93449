using System.Text.Json.Serialization;
using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>Configuration of <see cref="EventBridgeTestClient"/> (ServiceId "EventBridge", JSON 1.1).</summary>
public sealed class EventBridgeTestClientConfig() : AwsClientConfig(EventBridge)
{
    public static AwsServiceDescriptor EventBridge { get; } =
        new("EventBridge", "events", "events", "2015-10-07", JsonTargetPrefix: "AWSEvents");
}

/// <summary>
/// Test-only EventBridge operations (rule, targets, events) on the repo's JSON 1.1 base, to run a template's
/// event pattern through moto: moto's TestEventPattern is a no-op, but it applies a rule's pattern to PutEvents.
/// </summary>
public sealed class EventBridgeTestClient(AWSCredentials credentials, EventBridgeTestClientConfig config)
    : AwsJsonClient(credentials, config)
{
    /// <summary>A rule on the default bus, or on <paramref name="eventBusName"/>.</summary>
    public async Task<string> PutRuleAsync(string name, string eventPattern, string? eventBusName = null)
    {
        var response = await InvokeJsonAsync(
            "PutRule", new PutRuleInput(name, eventPattern) { EventBusName = eventBusName }, EventBridgeTestJsonContext.Default.PutRuleInput,
            EventBridgeTestJsonContext.Default.PutRuleOutput, default);
        return response.RuleArn ?? throw new InvalidOperationException("PutRule returned no RuleArn.");
    }

    /// <summary>A custom event bus; returns its ARN.</summary>
    public async Task<string> CreateEventBusAsync(string name)
    {
        var response = await InvokeJsonAsync(
            "CreateEventBus", new CreateEventBusInput(name), EventBridgeTestJsonContext.Default.CreateEventBusInput,
            EventBridgeTestJsonContext.Default.CreateEventBusOutput, default);
        return response.EventBusArn ?? throw new InvalidOperationException("CreateEventBus returned no EventBusArn.");
    }

    /// <summary>A target of a rule (of <paramref name="eventBusName"/>'s rules when given); <paramref name="roleArn"/> for a bus in another account.</summary>
    public async Task PutTargetAsync(string rule, string id, string arn, string? eventBusName = null, string? roleArn = null)
    {
        var response = await InvokeJsonAsync(
            "PutTargets", new PutTargetsInput(rule, [new EventTarget(id, arn) { RoleArn = roleArn }]) { EventBusName = eventBusName },
            EventBridgeTestJsonContext.Default.PutTargetsInput, EventBridgeTestJsonContext.Default.PutTargetsOutput, default);
        if (response.FailedEntryCount != 0)
        {
            throw new InvalidOperationException($"PutTargets failed for {response.FailedEntryCount} target(s).");
        }
    }

    /// <summary>Puts one event; throws when EventBridge rejects the entry.</summary>
    public async Task<string> PutEventAsync(PutEventsEntry entry)
    {
        var response = await InvokeJsonAsync(
            "PutEvents", new PutEventsInput([entry]), EventBridgeTestJsonContext.Default.PutEventsInput,
            EventBridgeTestJsonContext.Default.PutEventsOutput, default);
        var result = response.Entries.Single();
        return response.FailedEntryCount == 0 && result.EventId is { } id
            ? id
            : throw new InvalidOperationException($"PutEvents rejected the entry: {result.ErrorCode} {result.ErrorMessage}");
    }
}

public sealed record PutRuleInput(string Name, string EventPattern, string State = "ENABLED")
{
    public string? EventBusName { get; init; }
}

public sealed record CreateEventBusInput(string Name);

public sealed record CreateEventBusOutput(string? EventBusArn);

public sealed record PutRuleOutput(string? RuleArn);

public sealed record EventTarget(string Id, string Arn)
{
    public string? RoleArn { get; init; }
}

public sealed record PutTargetsInput(string Rule, IReadOnlyList<EventTarget> Targets)
{
    public string? EventBusName { get; init; }
}

public sealed record PutTargetsOutput(int FailedEntryCount);

/// <summary>One PutEvents entry; <see cref="Detail"/> is the event's detail object as a JSON string.</summary>
public sealed record PutEventsEntry(
    string Source, string DetailType, string Detail, IReadOnlyList<string> Resources, DateTimeOffset? Time);

public sealed record PutEventsInput(IReadOnlyList<PutEventsEntry> Entries);

public sealed record PutEventsResultEntry(string? EventId, string? ErrorCode, string? ErrorMessage);

public sealed record PutEventsOutput(int FailedEntryCount, IReadOnlyList<PutEventsResultEntry> Entries);

// EventBridge's JSON members are PascalCase, as the records declare them; timestamps are epoch seconds.
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(PutRuleInput))]
[JsonSerializable(typeof(PutRuleOutput))]
[JsonSerializable(typeof(CreateEventBusInput))]
[JsonSerializable(typeof(CreateEventBusOutput))]
[JsonSerializable(typeof(PutTargetsInput))]
[JsonSerializable(typeof(PutTargetsOutput))]
[JsonSerializable(typeof(PutEventsInput))]
[JsonSerializable(typeof(PutEventsOutput))]
internal sealed partial class EventBridgeTestJsonContext : JsonSerializerContext;
