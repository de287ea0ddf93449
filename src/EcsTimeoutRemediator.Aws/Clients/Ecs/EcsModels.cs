using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Aws.Clients.Ecs;

// The records below are the ECS JSON 1.1 wire shapes (camelCase on the wire), trimmed to the fields the
// remediator reads. Absent lists read as empty, absent numbers as 0 unless the field is nullable.
// Source-generated deserialization sets every init-only property, absent ones to null; the list
// properties' init accessors turn that null back into an empty list.

/// <summary>ECS DescribeServices input. ECS accepts up to 10 services per call; the client batches.</summary>
public sealed record DescribeServicesRequest
{
    public required string Cluster { get; init; }

    public required IReadOnlyList<string> Services { get; init; }

    /// <summary>"TAGS" returns each service's tags.</summary>
    public IReadOnlyList<string> Include { get; init; } = ["TAGS"];
}

public sealed record DescribeServicesResponse
{
    public IReadOnlyList<EcsService> Services { get; init => field = value ?? []; } = [];

    /// <summary>Services that could not be described (reason "MISSING" for an unknown service).</summary>
    public IReadOnlyList<EcsFailure> Failures { get; init => field = value ?? []; } = [];
}

/// <summary>ECS UpdateService input; null fields are left unchanged.</summary>
public sealed record UpdateServiceRequest
{
    public required string Cluster { get; init; }

    public required string Service { get; init; }

    public int? HealthCheckGracePeriodSeconds { get; init; }

    public EcsNetworkConfiguration? NetworkConfiguration { get; init; }

    public bool? ForceNewDeployment { get; init; }
}

/// <summary>ECS DescribeTaskDefinition input: a family, family:revision or ARN.</summary>
public sealed record DescribeTaskDefinitionRequest
{
    public required string TaskDefinition { get; init; }

    public IReadOnlyList<string> Include { get; init; } = ["TAGS"];
}

public sealed record DescribeTaskDefinitionResponse
{
    public EcsTaskDefinition? TaskDefinition { get; init; }

    public IReadOnlyList<EcsTag> Tags { get; init => field = value ?? []; } = [];
}

/// <summary>ECS DescribeTasks input. ECS accepts up to 100 tasks per call; the client batches.</summary>
public sealed record DescribeTasksRequest
{
    public required string Cluster { get; init; }

    public required IReadOnlyList<string> Tasks { get; init; }

    public IReadOnlyList<string> Include { get; init; } = ["TAGS"];
}

public sealed record DescribeTasksResponse
{
    public IReadOnlyList<EcsTask> Tasks { get; init => field = value ?? []; } = [];

    public IReadOnlyList<EcsFailure> Failures { get; init => field = value ?? []; } = [];
}

/// <summary>ECS DescribeClusters input (names or ARNs).</summary>
public sealed record DescribeClustersRequest
{
    public required IReadOnlyList<string> Clusters { get; init; }
}

public sealed record DescribeClustersResponse
{
    public IReadOnlyList<EcsCluster> Clusters { get; init => field = value ?? []; } = [];

    /// <summary>Clusters that could not be described (reason "MISSING" for an unknown cluster).</summary>
    public IReadOnlyList<EcsFailure> Failures { get; init => field = value ?? []; } = [];
}

public sealed record EcsCluster
{
    public string? ClusterArn { get; init; }

    public string? ClusterName { get; init; }

    /// <summary>ACTIVE, PROVISIONING, DEPROVISIONING, FAILED or INACTIVE.</summary>
    public string? Status { get; init; }

    public int RegisteredContainerInstancesCount { get; init; }

    public int RunningTasksCount { get; init; }

    public int PendingTasksCount { get; init; }

    public int ActiveServicesCount { get; init; }

    public IReadOnlyList<string> CapacityProviders { get; init => field = value ?? []; } = [];

    public IReadOnlyList<EcsCapacityProviderStrategyItem> DefaultCapacityProviderStrategy { get; init => field = value ?? []; } = [];
}

/// <summary>ECS DescribeCapacityProviders input: up to 100 names or ARNs; answered in pages of up to 10.</summary>
public sealed record DescribeCapacityProvidersRequest
{
    public required IReadOnlyList<string> CapacityProviders { get; init; }

    public string? NextToken { get; init; }
}

public sealed record DescribeCapacityProvidersResponse
{
    public IReadOnlyList<EcsCapacityProvider> CapacityProviders { get; init => field = value ?? []; } = [];

    /// <summary>Providers that could not be described (reason "MISSING" for an unknown one).</summary>
    public IReadOnlyList<EcsFailure> Failures { get; init => field = value ?? []; } = [];

    public string? NextToken { get; init; }
}

public sealed record EcsCapacityProvider
{
    public string? CapacityProviderArn { get; init; }

    public string? Name { get; init; }

    /// <summary>ACTIVE or INACTIVE.</summary>
    public string? Status { get; init; }

    public EcsAutoScalingGroupProvider? AutoScalingGroupProvider { get; init; }

    public string? UpdateStatus { get; init; }
}

public sealed record EcsAutoScalingGroupProvider
{
    public string? AutoScalingGroupArn { get; init; }

    public EcsManagedScaling? ManagedScaling { get; init; }

    /// <summary>ENABLED or DISABLED.</summary>
    public string? ManagedTerminationProtection { get; init; }
}

public sealed record EcsManagedScaling
{
    /// <summary>ENABLED or DISABLED.</summary>
    public string? Status { get; init; }

    public int? TargetCapacity { get; init; }
}

public sealed record ListTagsForResourceRequest
{
    public required string ResourceArn { get; init; }
}

public sealed record ListTagsForResourceResponse
{
    public IReadOnlyList<EcsTag> Tags { get; init => field = value ?? []; } = [];
}

public sealed record EcsTag(string Key, string? Value);

public sealed record EcsFailure
{
    public string? Arn { get; init; }

    public string? Reason { get; init; }

    public string? Detail { get; init; }
}

public sealed record EcsService
{
    public string? ServiceArn { get; init; }

    public string? ServiceName { get; init; }

    public string? ClusterArn { get; init; }

    /// <summary>ACTIVE, DRAINING or INACTIVE.</summary>
    public string? Status { get; init; }

    public int DesiredCount { get; init; }

    public int RunningCount { get; init; }

    public int PendingCount { get; init; }

    public string? LaunchType { get; init; }

    public IReadOnlyList<EcsCapacityProviderStrategyItem> CapacityProviderStrategy { get; init => field = value ?? []; } = [];

    public string? PlatformVersion { get; init; }

    public string? PlatformFamily { get; init; }

    public string? TaskDefinition { get; init; }

    public IReadOnlyList<EcsLoadBalancer> LoadBalancers { get; init => field = value ?? []; } = [];

    public EcsNetworkConfiguration? NetworkConfiguration { get; init; }

    /// <summary>0 when the service has none (ECS then omits the field).</summary>
    public int HealthCheckGracePeriodSeconds { get; init; }

    public EcsDeploymentConfiguration? DeploymentConfiguration { get; init; }

    public IReadOnlyList<EcsDeployment> Deployments { get; init => field = value ?? []; } = [];

    /// <summary>The most recent events first, at most <see cref="EcsClient.MaxEventsPerService"/>.</summary>
    public IReadOnlyList<EcsServiceEvent> Events { get; init => field = value ?? []; } = [];

    public string? SchedulingStrategy { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public IReadOnlyList<EcsTag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>The value of tag <paramref name="key"/>, or null.</summary>
    public string? GetTag(string key) => Tags.FirstOrDefault(t => t.Key == key)?.Value;
}

public sealed record EcsCapacityProviderStrategyItem
{
    public string? CapacityProvider { get; init; }

    public int Weight { get; init; }

    public int Base { get; init; }
}

public sealed record EcsLoadBalancer
{
    public string? TargetGroupArn { get; init; }

    public string? LoadBalancerName { get; init; }

    public string? ContainerName { get; init; }

    public int? ContainerPort { get; init; }
}

public sealed record EcsNetworkConfiguration
{
    [JsonPropertyName("awsvpcConfiguration")]
    public EcsAwsVpcConfiguration? AwsVpcConfiguration { get; init; }
}

public sealed record EcsAwsVpcConfiguration
{
    public IReadOnlyList<string> Subnets { get; init => field = value ?? []; } = [];

    public IReadOnlyList<string> SecurityGroups { get; init => field = value ?? []; } = [];

    /// <summary>ENABLED or DISABLED.</summary>
    public string? AssignPublicIp { get; init; }
}

public sealed record EcsDeploymentConfiguration
{
    public EcsDeploymentCircuitBreaker? DeploymentCircuitBreaker { get; init; }

    public int? MaximumPercent { get; init; }

    public int? MinimumHealthyPercent { get; init; }
}

public sealed record EcsDeploymentCircuitBreaker
{
    public bool Enable { get; init; }

    public bool Rollback { get; init; }
}

public sealed record EcsDeployment
{
    public string? Id { get; init; }

    /// <summary>PRIMARY, ACTIVE or INACTIVE.</summary>
    public string? Status { get; init; }

    public string? TaskDefinition { get; init; }

    public int DesiredCount { get; init; }

    public int PendingCount { get; init; }

    public int RunningCount { get; init; }

    public int FailedTasks { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public string? LaunchType { get; init; }

    public string? PlatformVersion { get; init; }

    /// <summary>COMPLETED, FAILED or IN_PROGRESS.</summary>
    public string? RolloutState { get; init; }

    public string? RolloutStateReason { get; init; }

    public EcsNetworkConfiguration? NetworkConfiguration { get; init; }
}

public sealed record EcsServiceEvent
{
    public string? Id { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public string? Message { get; init; }
}

public sealed record EcsTaskDefinition
{
    public string? TaskDefinitionArn { get; init; }

    public string? Family { get; init; }

    public int Revision { get; init; }

    public string? Status { get; init; }

    public IReadOnlyList<EcsContainerDefinition> ContainerDefinitions { get; init => field = value ?? []; } = [];

    public string? TaskRoleArn { get; init; }

    public string? ExecutionRoleArn { get; init; }

    /// <summary>awsvpc, bridge, host or none.</summary>
    public string? NetworkMode { get; init; }

    public IReadOnlyList<string> RequiresCompatibilities { get; init => field = value ?? []; } = [];

    public EcsRuntimePlatform? RuntimePlatform { get; init; }

    public IReadOnlyList<EcsVolume> Volumes { get; init => field = value ?? []; } = [];

    /// <summary>Task-level CPU units as ECS returns them ("256").</summary>
    public string? Cpu { get; init; }

    /// <summary>Task-level memory in MiB as ECS returns it ("512").</summary>
    public string? Memory { get; init; }
}

public sealed record EcsContainerDefinition
{
    public string? Name { get; init; }

    public string? Image { get; init; }

    /// <summary>ECS treats an absent value as true.</summary>
    public bool? Essential { get; init; }

    public int? Memory { get; init; }

    public int? MemoryReservation { get; init; }

    public IReadOnlyList<EcsPortMapping> PortMappings { get; init => field = value ?? []; } = [];

    public EcsLogConfiguration? LogConfiguration { get; init; }

    public IReadOnlyList<EcsSecret> Secrets { get; init => field = value ?? []; } = [];

    public EcsRepositoryCredentials? RepositoryCredentials { get; init; }

    public EcsHealthCheck? HealthCheck { get; init; }
}

public sealed record EcsPortMapping
{
    public int? ContainerPort { get; init; }

    public int? HostPort { get; init; }

    public string? Protocol { get; init; }

    public string? Name { get; init; }
}

public sealed record EcsLogConfiguration
{
    private static readonly IReadOnlyDictionary<string, string> EmptyOptions = new Dictionary<string, string>();

    public string? LogDriver { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init => field = value ?? EmptyOptions; } = EmptyOptions;
}

public sealed record EcsSecret(string Name, string ValueFrom);

public sealed record EcsRepositoryCredentials
{
    public string? CredentialsParameter { get; init; }
}

public sealed record EcsHealthCheck
{
    public IReadOnlyList<string> Command { get; init => field = value ?? []; } = [];

    public int? Interval { get; init; }

    public int? Timeout { get; init; }

    public int? Retries { get; init; }

    public int? StartPeriod { get; init; }
}

public sealed record EcsRuntimePlatform
{
    public string? CpuArchitecture { get; init; }

    public string? OperatingSystemFamily { get; init; }
}

public sealed record EcsVolume
{
    public string? Name { get; init; }

    public EcsEfsVolumeConfiguration? EfsVolumeConfiguration { get; init; }
}

public sealed record EcsEfsVolumeConfiguration
{
    public string? FileSystemId { get; init; }

    public string? RootDirectory { get; init; }

    /// <summary>ENABLED or DISABLED.</summary>
    public string? TransitEncryption { get; init; }

    public int? TransitEncryptionPort { get; init; }

    public EcsEfsAuthorizationConfig? AuthorizationConfig { get; init; }
}

public sealed record EcsEfsAuthorizationConfig
{
    public string? AccessPointId { get; init; }

    /// <summary>ENABLED or DISABLED.</summary>
    public string? Iam { get; init; }
}

public sealed record EcsTask
{
    public string? TaskArn { get; init; }

    public string? ClusterArn { get; init; }

    public string? TaskDefinitionArn { get; init; }

    public string? LastStatus { get; init; }

    public string? DesiredStatus { get; init; }

    public string? HealthStatus { get; init; }

    public string? StoppedReason { get; init; }

    /// <summary>TaskFailedToStart, EssentialContainerExited, UserInitiated, ServiceSchedulerInitiated, …</summary>
    public string? StopCode { get; init; }

    public string? Group { get; init; }

    public string? StartedBy { get; init; }

    public string? LaunchType { get; init; }

    public string? PlatformVersion { get; init; }

    public string? AvailabilityZone { get; init; }

    public string? Cpu { get; init; }

    public string? Memory { get; init; }

    public long Version { get; init; }

    public IReadOnlyList<EcsContainer> Containers { get; init => field = value ?? []; } = [];

    public IReadOnlyList<EcsAttachment> Attachments { get; init => field = value ?? []; } = [];

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? PullStartedAt { get; init; }

    public DateTimeOffset? PullStoppedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? StoppingAt { get; init; }

    public DateTimeOffset? StoppedAt { get; init; }

    public IReadOnlyList<EcsTag> Tags { get; init => field = value ?? []; } = [];
}

public sealed record EcsContainer
{
    public string? ContainerArn { get; init; }

    public string? Name { get; init; }

    public string? Image { get; init; }

    public string? LastStatus { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Why the container stopped ("CannotPullContainerError: …", "ResourceInitializationError: …").</summary>
    public string? Reason { get; init; }

    public string? HealthStatus { get; init; }

    public IReadOnlyList<EcsNetworkInterface> NetworkInterfaces { get; init => field = value ?? []; } = [];
}

public sealed record EcsNetworkInterface
{
    public string? AttachmentId { get; init; }

    public string? PrivateIpv4Address { get; init; }
}

public sealed record EcsAttachment
{
    public string? Id { get; init; }

    /// <summary>ElasticNetworkInterface, …</summary>
    public string? Type { get; init; }

    public string? Status { get; init; }

    public IReadOnlyList<EcsKeyValuePair> Details { get; init => field = value ?? []; } = [];

    /// <summary>The value of detail <paramref name="name"/> (subnetId, networkInterfaceId, …), or null.</summary>
    public string? GetDetail(string name) => Details.FirstOrDefault(d => d.Name == name)?.Value;
}

public sealed record EcsKeyValuePair(string Name, string? Value);

/// <summary>UpdateService's response body.</summary>
internal sealed record UpdateServiceResponse
{
    public EcsService? Service { get; init; }
}
