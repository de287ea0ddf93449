using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Context;

/// <summary>
/// What the checks look at: a service (cluster + name), or a task definition with the network it will run in
/// (a service not yet created), plus what the stop message proved (target group, image, file system).
/// </summary>
public sealed record DiagnosisTarget
{
    public required string Region { get; init; }
    public string Account { get; init; } = "";
    public string? Cluster { get; init; }
    public string? ServiceName { get; init; }
    public string? TaskDefinitionArn { get; init; }

    /// <summary>Subnets given explicitly (or the stopped task's own); the service's subnets win when it is read.</summary>
    public IReadOnlyList<string> Subnets { get; init; } = [];
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    /// <summary>Null when unknown (then the service's configuration decides).</summary>
    public bool? AssignPublicIp { get; init; }
    public string? LaunchType { get; init; }
    public string? PlatformVersion { get; init; }

    /// <summary>Target groups given explicitly; the service's load balancers add theirs.</summary>
    public IReadOnlyList<string> TargetGroupArns { get; init; } = [];

    /// <summary>From the stop message: the image and container that failed, when known.</summary>
    public string? Image { get; init; }
    public string? ContainerName { get; init; }
    public string? FileSystemId { get; init; }

    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? StoppingAt { get; init; }

    /// <summary>The kind of event the target comes from (a stopped task, a service action, a failed deployment).</summary>
    public EventKind EventKind { get; init; } = EventKind.TaskStopped;

    /// <summary>A service or deployment event's own reason (<c>RESOURCE:ENI</c>, …); null for a stopped task.</summary>
    public string? EventReason { get; init; }

    /// <summary>The failed deployment of a deployment event.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>The capacity providers a service action event names (their names, from <c>capacityProviderArns</c>).</summary>
    public IReadOnlyList<string> EventCapacityProviders { get; init; } = [];

    /// <summary>The target of one stopped task.</summary>
    public static DiagnosisTarget From(TaskStoppedEvent e, ClassificationResult c)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        return new DiagnosisTarget
        {
            Region = e.Region,
            Account = e.Account,
            Cluster = e.ClusterArn.Length > 0 ? e.ClusterArn : e.ClusterName,
            ServiceName = e.ServiceName,
            TaskDefinitionArn = e.Task.TaskDefinitionArn,
            Subnets = e.SubnetId is { } subnet ? [subnet] : [],
            LaunchType = e.IsFargate ? "FARGATE" : e.Task.LaunchType,
            PlatformVersion = e.Task.PlatformVersion,
            TargetGroupArns = c.Evidence.TargetGroupArn is { } tg ? [tg] : [],
            Image = c.Evidence.Image,
            ContainerName = c.Evidence.ContainerName,
            FileSystemId = c.Evidence.FileSystemId,
            StartedAt = e.Task.StartedAt,
            StoppingAt = e.Task.StoppingAt ?? e.Task.StoppedAt,
            EventKind = e.Kind,
            EventReason = e.Kind == EventKind.TaskStopped ? null : e.Task.Reason,
            DeploymentId = e.DeploymentId,
            EventCapacityProviders = [.. (e.Task.CapacityProviderArns ?? []).Select(ArnParts.LastSegment).OfType<string>()],
        };
    }

    /// <summary>The account of the task definition ARN when none was given.</summary>
    public string AccountOr(string? taskDefinitionArn) =>
        Account.Length > 0 ? Account : ArnParts.Parse(taskDefinitionArn).Account ?? "";
}
