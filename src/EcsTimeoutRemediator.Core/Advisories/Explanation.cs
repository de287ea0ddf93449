using System.Globalization;
using System.Text;
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

    /// <summary>Human-readable rendering for a terminal.</summary>
    public string ToText()
    {
        var c = Classification;
        var sb = new StringBuilder();
        var who = Task is null ? "" : Task.Service is { } s ? $"{Task.Cluster}/{s}" : $"{Task.Cluster} (task family {Task.Family})";
        sb.Append(CultureInfo.InvariantCulture, $"{(c.Actionable ? "FAILURE" : "NO ACTION NEEDED")}: {c.Category}{(who.Length > 0 ? $" on {who}" : "")}\n\n");
        sb.Append("What happened\n  ").Append(c.Summary).Append('\n');
        if (Task is not null)
        {
            sb.Append("\nTask\n");
            Line(sb, "event", Task.EventName);
            Line(sb, "deployment", Task.DeploymentId);
            Line(sb, "task", Task.TaskArn);
            Line(sb, "task definition", Task.TaskDefinitionArn);
            Line(sb, "launch", Task.LaunchType is null ? null : $"{Task.LaunchType}{(Task.PlatformVersion is { } pv ? $" (platform {pv})" : "")}");
            Line(sb, "subnet", Task.SubnetId is null ? null : $"{Task.SubnetId} ({Task.AvailabilityZone})");
            Line(sb, "stopped at", Task.StoppedAt?.ToString("u", CultureInfo.InvariantCulture));
            Line(sb, "ran for", Task.EventName is not null ? null : Task.SecondsRunning is { } secs ? $"{secs.ToString(CultureInfo.InvariantCulture)} s" : "never started");
        }

        var e = c.Evidence;
        sb.Append("\nEvidence\n");
        Line(sb, "stop code", e.StopCode);
        Line(sb, "message", e.MatchedText);
        Line(sb, "container", e.ContainerName);
        Line(sb, "exit code", e.ExitCode?.ToString(CultureInfo.InvariantCulture));
        Line(sb, "image", e.Image);
        Line(sb, "registry", e.RegistryHost);
        Line(sb, "target group", e.TargetGroupArn);
        Line(sb, "secrets", e.SecretArns is { Count: > 0 } arns ? string.Join(", ", arns) : null);
        Line(sb, "log group", e.LogGroup);
        Line(sb, "file system", e.FileSystemId);
        Line(sb, "http status", e.HttpStatus?.ToString(CultureInfo.InvariantCulture));
        Line(sb, "endpoint", e.EndpointHost);
        Line(sb, "rule", $"{c.Rule} (confidence {c.Confidence.ToString("0.00", CultureInfo.InvariantCulture)})");
        if (c.Fixes.Count > 0)
        {
            Line(sb, "fixes", string.Join(", ", c.Fixes));
        }

        sb.Append("\nNext steps\n");
        var n = 1;
        foreach (var step in NextSteps)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {n++}. {step.Title}\n     {step.Command}\n");
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            sb.Append("  ").Append(label.PadRight(16)).Append(value).Append('\n');
        }
    }
}
