using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>The task a finding is about, as read from the event.</summary>
public sealed record TaskIdentity
{
    [JsonPropertyName("eventId")] public string? EventId { get; init; }
    [JsonPropertyName("account")] public string? Account { get; init; }
    [JsonPropertyName("region")] public string? Region { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("service")] public string? Service { get; init; }
    [JsonPropertyName("family")] public string? Family { get; init; }
    [JsonPropertyName("taskArn")] public string? TaskArn { get; init; }
    [JsonPropertyName("taskDefinitionArn")] public string? TaskDefinitionArn { get; init; }
    [JsonPropertyName("launchType")] public string? LaunchType { get; init; }
    [JsonPropertyName("platformVersion")] public string? PlatformVersion { get; init; }
    [JsonPropertyName("subnetId")] public string? SubnetId { get; init; }
    [JsonPropertyName("availabilityZone")] public string? AvailabilityZone { get; init; }
    [JsonPropertyName("stoppedAt")] public DateTimeOffset? StoppedAt { get; init; }
    [JsonPropertyName("secondsRunning")] public double? SecondsRunning { get; init; }

    /// <summary>The service or deployment event this was read from (<c>SERVICE_TASK_PLACEMENT_FAILURE</c>, …); null for a stopped task.</summary>
    [JsonPropertyName("eventName")] public string? EventName { get; init; }
    [JsonPropertyName("deploymentId")] public string? DeploymentId { get; init; }

    public static TaskIdentity From(TaskStoppedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new TaskIdentity
        {
            EventId = e.EventId,
            Account = e.Account,
            Region = e.Region,
            Cluster = e.ClusterName,
            Service = e.ServiceName,
            Family = e.Family,
            // A service or deployment event concerns no task: its stand-in ARN (the service's) is not shown as one.
            TaskArn = e.Kind == EventKind.TaskStopped ? e.TaskArn : null,
            EventName = e.EventName,
            DeploymentId = e.DeploymentId,
            TaskDefinitionArn = e.Task.TaskDefinitionArn,
            LaunchType = e.Task.LaunchType ?? e.Task.CapacityProviderName,
            PlatformVersion = e.Task.PlatformVersion,
            SubnetId = e.SubnetId,
            AvailabilityZone = e.Task.AvailabilityZone,
            StoppedAt = e.Task.StoppedAt,
            SecondsRunning = e.Task.StartedAt is { } start && (e.Task.StoppingAt ?? e.Task.StoppedAt) is { } end
                ? Math.Round((end - start).TotalSeconds, 1)
                : null,
        };
    }
}

/// <summary>What happened to a task, why, the evidence and the next steps: the offline answer of <c>explain</c>.</summary>
public sealed record Explanation
{
    [JsonPropertyName("task")] public TaskIdentity? Task { get; init; }
    [JsonPropertyName("classification")] public required ClassificationResult Classification { get; init; }
    [JsonPropertyName("nextSteps")] public required IReadOnlyList<NextStep> NextSteps { get; init; }

    public static Explanation Of(TaskStoppedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var c = Classifier.Classify(e.Facts);
        return new Explanation { Task = TaskIdentity.From(e), Classification = c, NextSteps = Advisories.NextSteps.For(e, c) };
    }

    /// <summary>The document the renderings are made from (<see cref="AdvisoryDocument.Of(Explanation)"/>).</summary>
    [JsonIgnore] public AdvisoryDocument Document => AdvisoryDocument.Of(this);

    /// <summary>Human-readable rendering for a terminal (<see cref="Formats.PlainText.Explain"/>).</summary>
    public string ToText() => Formats.PlainText.Explain(Document);
}
