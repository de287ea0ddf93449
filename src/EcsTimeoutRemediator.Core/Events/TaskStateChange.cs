using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Events;

/// <summary>The EventBridge envelope of an "ECS Task State Change" event.</summary>
public record EventEnvelope
{
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("detail-type")] public string? DetailType { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("account")] public string? Account { get; init; }
    [JsonPropertyName("time")] public DateTimeOffset? Time { get; init; }
    [JsonPropertyName("region")] public string? Region { get; init; }
    [JsonPropertyName("resources")] public IReadOnlyList<string>? Resources { get; init; }
    [JsonPropertyName("detail")] public TaskDetail? Detail { get; init; }
}

/// <summary>The task fields of the event that the product reads; every field may be missing.</summary>
public sealed record TaskDetail
{
    [JsonPropertyName("taskArn")] public string? TaskArn { get; init; }
    [JsonPropertyName("clusterArn")] public string? ClusterArn { get; init; }
    [JsonPropertyName("group")] public string? Group { get; init; }
    [JsonPropertyName("startedBy")] public string? StartedBy { get; init; }
    [JsonPropertyName("launchType")] public string? LaunchType { get; init; }
    [JsonPropertyName("platformVersion")] public string? PlatformVersion { get; init; }
    [JsonPropertyName("capacityProviderName")] public string? CapacityProviderName { get; init; }
    [JsonPropertyName("lastStatus")] public string? LastStatus { get; init; }
    [JsonPropertyName("desiredStatus")] public string? DesiredStatus { get; init; }
    [JsonPropertyName("stopCode")] public string? StopCode { get; init; }
    [JsonPropertyName("stoppedReason")] public string? StoppedReason { get; init; }
    [JsonPropertyName("createdAt")] public DateTimeOffset? CreatedAt { get; init; }
    [JsonPropertyName("pullStartedAt")] public DateTimeOffset? PullStartedAt { get; init; }
    [JsonPropertyName("pullStoppedAt")] public DateTimeOffset? PullStoppedAt { get; init; }
    [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("stoppingAt")] public DateTimeOffset? StoppingAt { get; init; }
    [JsonPropertyName("stoppedAt")] public DateTimeOffset? StoppedAt { get; init; }
    [JsonPropertyName("connectivity")] public string? Connectivity { get; init; }
    [JsonPropertyName("version")] public long? Version { get; init; }
    [JsonPropertyName("taskDefinitionArn")] public string? TaskDefinitionArn { get; init; }
    [JsonPropertyName("availabilityZone")] public string? AvailabilityZone { get; init; }
    [JsonPropertyName("attachments")] public IReadOnlyList<TaskAttachment>? Attachments { get; init; }
    [JsonPropertyName("containers")] public IReadOnlyList<ContainerDetail>? Containers { get; init; }

    // The fields of "ECS Service Action" and "ECS Deployment State Change" events (same detail object).
    [JsonPropertyName("eventType")] public string? EventType { get; init; }
    [JsonPropertyName("eventName")] public string? EventName { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("serviceName")] public string? ServiceName { get; init; }
    [JsonPropertyName("service")] public string? Service { get; init; }
    [JsonPropertyName("deploymentId")] public string? DeploymentId { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset? UpdatedAt { get; init; }
    [JsonPropertyName("capacityProviderArns")] public IReadOnlyList<string>? CapacityProviderArns { get; init; }
}

public sealed record TaskAttachment
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("details")] public IReadOnlyList<NameValue>? Details { get; init; }
}

public sealed record NameValue
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
}

public sealed record ContainerDetail
{
    [JsonPropertyName("containerArn")] public string? ContainerArn { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("image")] public string? Image { get; init; }
    [JsonPropertyName("imageDigest")] public string? ImageDigest { get; init; }
    [JsonPropertyName("lastStatus")] public string? LastStatus { get; init; }
    [JsonPropertyName("exitCode")] public int? ExitCode { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("healthStatus")] public string? HealthStatus { get; init; }
}

/// <summary>What the classifier reads: the stop code, the stopped reason and each container's reason and exit code.</summary>
public sealed record StopFacts
{
    [JsonPropertyName("stoppedReason")] public string? StoppedReason { get; init; }
    [JsonPropertyName("stopCode")] public string? StopCode { get; init; }
    [JsonPropertyName("containers")] public IReadOnlyList<ContainerDetail>? Containers { get; init; }

    public static StopFacts From(TaskDetail detail) => new()
    {
        StoppedReason = detail.StoppedReason,
        StopCode = detail.StopCode,
        Containers = detail.Containers,
    };
}
