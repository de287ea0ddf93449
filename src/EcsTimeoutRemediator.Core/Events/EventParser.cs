using System.Text.Json;
using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator.Events;

/// <summary>The outcome of reading one event: exactly one of parsed, ignored (valid but not ours) or invalid.</summary>
public abstract record ParseResult
{
    private ParseResult()
    {
    }

    public sealed record Parsed(TaskStoppedEvent Event) : ParseResult;

    /// <summary>A well-formed event this product does not act on (another source, type or status).</summary>
    public sealed record Ignored(string Reason) : ParseResult;

    /// <summary>Input that is not a well-formed event.</summary>
    public sealed record Invalid(string Reason) : ParseResult;
}

/// <summary>Reads an EventBridge event; never throws on bad input.</summary>
public static class EventParser
{
    public const string ExpectedSource = "aws.ecs";
    public const string ExpectedDetailType = "ECS Task State Change";

    public static ParseResult Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json ?? ""));

    public static ParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        EventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(utf8Json, RemediatorJsonContext.Default.EventEnvelope);
        }
        catch (JsonException ex)
        {
            return new ParseResult.Invalid($"invalid: not a JSON EventBridge event ({Describe(ex)})");
        }

        return Validate(envelope);
    }

    public static ParseResult Validate(EventEnvelope? envelope)
    {
        if (envelope is null)
        {
            return new ParseResult.Invalid("invalid: the event is empty (JSON null)");
        }

        if (envelope.Source is null || envelope.DetailType is null)
        {
            return new ParseResult.Invalid("invalid: not an EventBridge event (missing \"source\" or \"detail-type\")");
        }

        if (!string.Equals(envelope.Source, ExpectedSource, StringComparison.Ordinal))
        {
            return new ParseResult.Ignored($"ignored: source is \"{envelope.Source}\", expected \"{ExpectedSource}\"");
        }

        if (ServiceEvents.Handles(envelope.DetailType))
        {
            return ServiceEvents.Read(envelope);
        }

        if (!string.Equals(envelope.DetailType, ExpectedDetailType, StringComparison.Ordinal))
        {
            return new ParseResult.Ignored($"ignored: detail-type is \"{envelope.DetailType}\", expected \"{ExpectedDetailType}\"");
        }

        if (envelope.Detail is null)
        {
            return new ParseResult.Invalid("invalid: the event has no \"detail\" object");
        }

        if (!string.Equals(envelope.Detail.LastStatus, "STOPPED", StringComparison.OrdinalIgnoreCase))
        {
            return new ParseResult.Ignored($"ignored: task lastStatus is \"{envelope.Detail.LastStatus ?? "(none)"}\", not STOPPED");
        }

        if (string.IsNullOrWhiteSpace(envelope.Detail.TaskArn))
        {
            return new ParseResult.Invalid("invalid: the task detail has no \"taskArn\"");
        }

        return new ParseResult.Parsed(new TaskStoppedEvent(envelope, envelope.Detail));
    }

    /// <summary>
    /// Reads one line of the classify stream: a full EventBridge event or a bare
    /// <c>{"stoppedReason", "stopCode", "containers"}</c> object.
    /// </summary>
    public static StopFactsResult ParseFacts(string line)
    {
        ClassifyLine? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(line, RemediatorJsonContext.Default.ClassifyLine);
        }
        catch (JsonException ex)
        {
            return new StopFactsResult(null, null, $"invalid: {Describe(ex)}");
        }

        if (parsed is null)
        {
            return new StopFactsResult(null, null, "invalid: expected a JSON object");
        }

        if (parsed.Detail is not null || parsed.DetailType is not null || parsed.Source is not null)
        {
            return Validate(parsed) switch
            {
                ParseResult.Parsed p => new StopFactsResult(p.Event.Facts, p.Event, null),
                ParseResult.Ignored i => new StopFactsResult(null, null, i.Reason),
                ParseResult.Invalid v => new StopFactsResult(null, null, v.Reason),
                _ => new StopFactsResult(null, null, "invalid: unreadable event"),
            };
        }

        if (parsed.StoppedReason is null && parsed.StopCode is null && parsed.Containers is null)
        {
            return new StopFactsResult(null, null, "invalid: expected an EventBridge event or an object with \"stoppedReason\", \"stopCode\" or \"containers\"");
        }

        return new StopFactsResult(new StopFacts { StoppedReason = parsed.StoppedReason, StopCode = parsed.StopCode, Containers = parsed.Containers }, null, null);
    }

    private static string Describe(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
        var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" in {ex.Path}";
        var kind = ex.InnerException is FormatException or InvalidOperationException ? "a field has the wrong type" : "malformed JSON";
        return $"{kind}{path}{where}";
    }
}

/// <summary>A classify-stream line read in one pass: either an EventBridge event or bare stop facts.</summary>
public sealed record ClassifyLine : EventEnvelope
{
    [JsonPropertyName("stoppedReason")] public string? StoppedReason { get; init; }
    [JsonPropertyName("stopCode")] public string? StopCode { get; init; }
    [JsonPropertyName("containers")] public IReadOnlyList<ContainerDetail>? Containers { get; init; }
}

/// <summary>One classify-stream line: the facts (and the event when the line was one), or an error.</summary>
public sealed record StopFactsResult(StopFacts? Facts, TaskStoppedEvent? Event, string? Error);

/// <summary>
/// Reads "ECS Service Action" (placement, configuration, start-impaired) and "ECS Deployment State Change"
/// (SERVICE_DEPLOYMENT_FAILED) events into the stopped-task shape: these start-up failures never stop a task.
/// </summary>
public static class ServiceEvents
{
    public const string ServiceActionType = "ECS Service Action";
    public const string DeploymentStateChangeType = "ECS Deployment State Change";

    public const string PlacementFailure = "SERVICE_TASK_PLACEMENT_FAILURE";
    public const string ConfigurationFailure = "SERVICE_TASK_CONFIGURATION_FAILURE";
    public const string StartImpaired = "SERVICE_TASK_START_IMPAIRED";
    public const string DeploymentFailed = "SERVICE_DEPLOYMENT_FAILED";

    public static IReadOnlyList<string> ServiceActionNames { get; } = [PlacementFailure, ConfigurationFailure, StartImpaired];

    public static bool Handles(string? detailType) =>
        string.Equals(detailType, ServiceActionType, StringComparison.Ordinal)
        || string.Equals(detailType, DeploymentStateChangeType, StringComparison.Ordinal);

    public static ParseResult Read(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var d = envelope.Detail;
        if (d is null)
        {
            return new ParseResult.Invalid("invalid: the event has no \"detail\" object");
        }

        var deployment = string.Equals(envelope.DetailType, DeploymentStateChangeType, StringComparison.Ordinal);
        var name = d.EventName;
        if (deployment ? !string.Equals(name, DeploymentFailed, StringComparison.Ordinal) : !ServiceActionNames.Contains(name ?? "", StringComparer.Ordinal))
        {
            return new ParseResult.Ignored($"ignored: {envelope.DetailType} \"{name ?? "(no eventName)"}\" is not a start-up failure");
        }

        if (!string.Equals(d.EventType, "ERROR", StringComparison.OrdinalIgnoreCase) && !string.Equals(d.EventType, "WARN", StringComparison.OrdinalIgnoreCase))
        {
            return new ParseResult.Ignored($"ignored: {name} of type \"{d.EventType ?? "(none)"}\", not ERROR or WARN");
        }

        // The service ARN is in resources (arn:aws:ecs:r:a:service/CLUSTER/NAME); the name may also come as
        // serviceName or service, and the cluster as clusterArn (deployment events carry none).
        var serviceArn = envelope.Resources?.FirstOrDefault(r => r.Contains(":service/", StringComparison.Ordinal));
        var resource = ArnParts.Parse(serviceArn).Resource;
        var parts = resource?.Split('/') ?? [];
        var service = Usable(d.ServiceName) ?? Usable(d.Service) ?? (parts.Length >= 2 ? parts[^1] : null);
        var clusterArn = Usable(d.ClusterArn)
            ?? (parts.Length == 3 && ArnParts.Parse(serviceArn) is { Partition: { } p, Region: { } r, Account: { } a }
                ? $"arn:{p}:ecs:{r}:{a}:cluster/{parts[1]}"
                : null);
        if (service is null || clusterArn is null)
        {
            return new ParseResult.Invalid($"invalid: the {name} event names no service or cluster (resources, serviceName, clusterArn)");
        }

        var at = d.CreatedAt ?? d.UpdatedAt ?? envelope.Time;
        var reason = Usable(d.Reason) ?? name switch
        {
            StartImpaired => $"{StartImpaired}: the service is unable to consistently start tasks successfully.",
            _ => $"{name}: the event gives no reason.",
        };
        var task = new TaskDetail
        {
            // The service stands in for the task: it keys the ledger's idempotency record, with the event time as
            // its version so that a redelivered event is handled once and the next one is not.
            TaskArn = serviceArn ?? $"{clusterArn.Replace(":cluster/", ":service/", StringComparison.Ordinal)}/{service}",
            ClusterArn = clusterArn,
            Group = $"service:{service}",
            LastStatus = "STOPPED",
            StoppedReason = reason,
            StoppedAt = at,
            Version = at?.ToUnixTimeMilliseconds(),
            Containers = [],
            EventType = d.EventType,
            EventName = name,
            Reason = d.Reason,
            DeploymentId = d.DeploymentId,
            CapacityProviderArns = d.CapacityProviderArns,
        };
        return new ParseResult.Parsed(new TaskStoppedEvent(envelope, task)
        {
            Kind = deployment ? EventKind.DeploymentFailed : EventKind.ServiceAction,
            EventName = name,
            DeploymentId = Usable(d.DeploymentId),
            ServiceArn = serviceArn,
        });
    }

    private static string? Usable(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

