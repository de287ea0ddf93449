namespace EcsTimeoutRemediator.Events;

/// <summary>What kind of event a <see cref="TaskStoppedEvent"/> was read from.</summary>
public enum EventKind
{
    /// <summary>An "ECS Task State Change" of a STOPPED task.</summary>
    TaskStopped,

    /// <summary>An "ECS Service Action" ERROR/WARN: a task of the service could not be placed, configured or started.</summary>
    ServiceAction,

    /// <summary>An "ECS Deployment State Change" SERVICE_DEPLOYMENT_FAILED.</summary>
    DeploymentFailed,
}

/// <summary>
/// A validated STOPPED task event, with the identifiers derived once from its ARNs. Service and deployment
/// events are read into the same shape (<see cref="Kind"/>): their service becomes the task's group, their
/// reason the stopped reason, so they classify, diagnose and thread with the stopped tasks of that service.
/// </summary>
public sealed record TaskStoppedEvent(EventEnvelope Envelope, TaskDetail Task)
{
    public EventKind Kind { get; init; } = EventKind.TaskStopped;

    /// <summary>The service or deployment event's name (<c>SERVICE_TASK_PLACEMENT_FAILURE</c>, …); null for a stopped task.</summary>
    public string? EventName { get; init; }

    /// <summary>The failed deployment (<c>ecs-svc/…</c>) of a deployment event.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>The ARN of the service a service or deployment event is about.</summary>
    public string? ServiceArn { get; init; }

    public string EventId => Envelope.Id ?? "";
    public string Account => Envelope.Account ?? TaskArnParts.Account ?? "";
    public string Region => Envelope.Region ?? TaskArnParts.Region ?? "";
    public string TaskArn => Task.TaskArn ?? "";
    public string ClusterArn => Task.ClusterArn ?? "";
    public string ClusterName => ArnParts.LastSegment(Task.ClusterArn) ?? "";
    public string TaskId => ArnParts.LastSegment(Task.TaskArn) ?? "";

    /// <summary>The service name when the task was started by a service (<c>group = service:NAME</c>).</summary>
    public string? ServiceName => Task.Group is { } g && g.StartsWith("service:", StringComparison.Ordinal) ? g["service:".Length..] : null;

    /// <summary>The task definition family when the task was run on its own (<c>group = family:NAME</c>).</summary>
    public string? Family => Task.Group is { } g && g.StartsWith("family:", StringComparison.Ordinal)
        ? g["family:".Length..]
        : ArnParts.FamilyOf(Task.TaskDefinitionArn);

    /// <summary>The ENI attachment's subnet, if the task ran in awsvpc mode.</summary>
    public string? SubnetId => Detail("subnetId");
    public string? NetworkInterfaceId => Detail("networkInterfaceId");
    public string? PrivateIpv4Address => Detail("privateIPv4Address");

    public bool IsFargate =>
        string.Equals(Task.LaunchType, "FARGATE", StringComparison.OrdinalIgnoreCase)
        || (Task.CapacityProviderName?.StartsWith("FARGATE", StringComparison.OrdinalIgnoreCase) ?? false);

    public StopFacts Facts => StopFacts.From(Task);

    private ArnParts TaskArnParts => ArnParts.Parse(Task.TaskArn);

    private string? Detail(string name)
    {
        foreach (var attachment in Task.Attachments ?? [])
        {
            if (!string.Equals(attachment.Type, "eni", StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(attachment.Type, "ElasticNetworkInterface", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var d in attachment.Details ?? [])
            {
                if (string.Equals(d.Name, name, StringComparison.Ordinal) && !string.IsNullOrEmpty(d.Value))
                {
                    return d.Value;
                }
            }
        }

        return null;
    }
}

/// <summary>The parts of an ARN (<c>arn:partition:service:region:account:resource</c>).</summary>
public readonly record struct ArnParts(string? Partition, string? Service, string? Region, string? Account, string? Resource)
{
    public static ArnParts Parse(string? arn)
    {
        if (string.IsNullOrEmpty(arn) || !arn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return default;
        }

        var parts = arn.Split(':', 6);
        return parts.Length < 6 ? default : new ArnParts(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /// <summary>Region prefixes of the partitions other than <c>aws</c>; the longer prefix first where one extends another.</summary>
    private static readonly (string Prefix, string Partition)[] Partitions =
    [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
    ];

    /// <summary>
    /// The partition of a region, for ARNs built from a region: <c>cn-north-1</c> → <c>aws-cn</c>,
    /// <c>us-gov-west-1</c> → <c>aws-us-gov</c>, <c>us-iso-east-1</c> → <c>aws-iso</c>, <c>us-isob-east-1</c> →
    /// <c>aws-iso-b</c>; every other region (and none) → <c>aws</c>.
    /// </summary>
    public static string PartitionOf(string? region)
    {
        foreach (var (prefix, partition) in Partitions)
        {
            if (region is not null && region.StartsWith(prefix, StringComparison.Ordinal))
            {
                return partition;
            }
        }

        return "aws";
    }

    public static string? LastSegment(string? arn)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return null;
        }

        var slash = arn.LastIndexOf('/');
        return slash >= 0 ? arn[(slash + 1)..] : Parse(arn).Resource ?? arn;
    }

    /// <summary><c>arn:aws:ecs:r:a:task-definition/family:3</c> → <c>family</c>.</summary>
    public static string? FamilyOf(string? taskDefinitionArn)
    {
        var last = LastSegment(taskDefinitionArn);
        if (last is null)
        {
            return null;
        }

        var colon = last.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? last[..colon] : last;
    }
}
