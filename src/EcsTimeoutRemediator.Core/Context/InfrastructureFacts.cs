namespace EcsTimeoutRemediator.Context;

/// <summary>An ECS service as read right now (DescribeServices with tags).</summary>
public sealed record ServiceFacts
{
    public required string ServiceArn { get; init; }
    public required string ServiceName { get; init; }
    public required string ClusterArn { get; init; }
    public string? Status { get; init; }
    public int DesiredCount { get; init; }
    public int RunningCount { get; init; }
    public string? LaunchType { get; init; }
    public IReadOnlyList<string> CapacityProviders { get; init; } = [];
    public string? PlatformVersion { get; init; }
    public string? TaskDefinitionArn { get; init; }

    /// <summary>0 when the service has none (DescribeServices omits it then).</summary>
    public int HealthCheckGracePeriodSeconds { get; init; }

    public IReadOnlyList<ServiceLoadBalancer> LoadBalancers { get; init; } = [];
    public AwsVpcFacts? Network { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<DeploymentFacts> Deployments { get; init; } = [];

    /// <summary>The deployment circuit breaker of the service's deployment configuration; null when ECS reports none.</summary>
    public CircuitBreakerFacts? CircuitBreaker { get; init; }

    /// <summary>The deployment configuration's maximumPercent and minimumHealthyPercent, when reported.</summary>
    public int? MaximumPercent { get; init; }
    public int? MinimumHealthyPercent { get; init; }

    public bool IsFargate =>
        string.Equals(LaunchType, "FARGATE", StringComparison.OrdinalIgnoreCase)
        || CapacityProviders.Any(p => p.StartsWith("FARGATE", StringComparison.OrdinalIgnoreCase));
}

public sealed record ServiceLoadBalancer(string? TargetGroupArn, string? LoadBalancerName, string? ContainerName, int? ContainerPort);

public sealed record AwsVpcFacts(IReadOnlyList<string> Subnets, IReadOnlyList<string> SecurityGroups, bool AssignPublicIp);

public sealed record DeploymentFacts(string Id, string? Status, string? RolloutState, int DesiredCount, int RunningCount, int FailedTasks)
{
    /// <summary>Why the rollout is in its state ("ECS deployment circuit breaker: tasks failed to start.").</summary>
    public string? RolloutStateReason { get; init; }

    public string? TaskDefinitionArn { get; init; }
}

/// <summary>The deployment circuit breaker settings of a service: whether it watches deployments and rolls a failed one back.</summary>
public sealed record CircuitBreakerFacts(bool Enable, bool Rollback);

/// <summary>An ECS cluster as DescribeClusters reports it.</summary>
public sealed record ClusterFacts(string ClusterArn, string ClusterName, string? Status, int RegisteredContainerInstancesCount)
{
    public IReadOnlyList<string> CapacityProviders { get; init; } = [];

    /// <summary>The providers of the cluster's default capacity provider strategy, in order.</summary>
    public IReadOnlyList<string> DefaultStrategy { get; init; } = [];
}

/// <summary>An ECS capacity provider and the Auto Scaling group behind it (none for FARGATE and FARGATE_SPOT).</summary>
public sealed record CapacityProviderFacts(string Name, string? CapacityProviderArn, string? Status)
{
    public string? AutoScalingGroupArn { get; init; }

    /// <summary>ENABLED or DISABLED: whether ECS scales the group to fit the tasks it has to place.</summary>
    public string? ManagedScalingStatus { get; init; }

    public int? TargetCapacity { get; init; }

    public string? ManagedTerminationProtection { get; init; }

    /// <summary><c>arn:…:autoScalingGroup:UUID:autoScalingGroupName/NAME</c> → <c>NAME</c>.</summary>
    public string? AutoScalingGroupName => AutoScalingGroupArn is { } arn && arn.IndexOf("autoScalingGroupName/", StringComparison.Ordinal) is var at and >= 0
        ? arn[(at + "autoScalingGroupName/".Length)..]
        : null;

    public bool ManagedScalingEnabled => string.Equals(ManagedScalingStatus, "ENABLED", StringComparison.OrdinalIgnoreCase);

    /// <summary>The AWS Fargate providers, which no Auto Scaling group backs.</summary>
    public static bool IsFargate(string name) => name.StartsWith("FARGATE", StringComparison.OrdinalIgnoreCase);
}

/// <summary>DescribeCapacityProviders: the providers found, and the names ECS reported as missing.</summary>
public sealed record CapacityProviderLookup(IReadOnlyList<CapacityProviderFacts> Found, IReadOnlyList<string> Missing);

/// <summary>The parts of a task definition that start-up failures depend on.</summary>
public sealed record TaskDefinitionFacts
{
    public required string TaskDefinitionArn { get; init; }
    public string? Family { get; init; }

    /// <summary>ACTIVE, INACTIVE (deregistered) or DELETE_IN_PROGRESS.</summary>
    public string? Status { get; init; }

    public string? ExecutionRoleArn { get; init; }
    public string? TaskRoleArn { get; init; }
    public string? NetworkMode { get; init; }
    public IReadOnlyList<string> RequiresCompatibilities { get; init; } = [];
    public string? CpuArchitecture { get; init; }
    public string? OperatingSystemFamily { get; init; }
    public IReadOnlyList<ContainerDefinitionFacts> Containers { get; init; } = [];
    public IReadOnlyList<EfsVolumeFacts> EfsVolumes { get; init; } = [];
}

public sealed record ContainerDefinitionFacts
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public bool Essential { get; init; } = true;
    public int? Memory { get; init; }
    public int? MemoryReservation { get; init; }
    public IReadOnlyList<int> ContainerPorts { get; init; } = [];
    public string? LogDriver { get; init; }
    public IReadOnlyDictionary<string, string> LogOptions { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> SecretValueFrom { get; init; } = [];
    public string? RepositoryCredentialsArn { get; init; }
    public IReadOnlyList<string> HealthCheckCommand { get; init; } = [];
    public int? HealthCheckStartPeriod { get; init; }
    public int? HealthCheckInterval { get; init; }
    public int? HealthCheckRetries { get; init; }
}

public sealed record EfsVolumeFacts(string Name, string FileSystemId, string? AccessPointId, bool IamAuthorization, bool TransitEncryption);

public sealed record SubnetFacts(string SubnetId, string VpcId, string? AvailabilityZone, string? CidrBlock, int AvailableIpAddressCount, bool MapPublicIpOnLaunch);

public sealed record RouteFacts(string? DestinationCidr, string? DestinationPrefixListId, string? GatewayId, string? NatGatewayId, string? State)
{
    public bool IsDefault => DestinationCidr == "0.0.0.0/0";
    public bool ToInternetGateway => GatewayId?.StartsWith("igw-", StringComparison.Ordinal) ?? false;
    public bool ToNatGateway => !string.IsNullOrEmpty(NatGatewayId);
    public bool IsActive => State is null || string.Equals(State, "active", StringComparison.OrdinalIgnoreCase);
}

public sealed record RouteTableFacts(string RouteTableId, string VpcId, bool IsMain, IReadOnlyList<string> SubnetIds, IReadOnlyList<RouteFacts> Routes);

public sealed record VpcEndpointFacts(
    string VpcEndpointId,
    string ServiceName,
    string? Type,
    string? State,
    bool PrivateDnsEnabled,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> SecurityGroupIds,
    IReadOnlyList<string> RouteTableIds);

public sealed record SecurityGroupRule(string Protocol, int? FromPort, int? ToPort, IReadOnlyList<string> Ipv4Ranges, IReadOnlyList<string> Ipv6Ranges, IReadOnlyList<string> SourceGroupIds)
{
    public bool CoversPort(int port) =>
        Protocol == "-1" || ((Protocol is "tcp" or "6") && (FromPort ?? 0) <= port && port <= (ToPort ?? 65535));

    public bool IsOpenToTheWorld => Ipv4Ranges.Contains("0.0.0.0/0") || Ipv6Ranges.Contains("::/0");
}

public sealed record SecurityGroupFacts(string GroupId, string? GroupName, string? VpcId, IReadOnlyList<SecurityGroupRule> Inbound, IReadOnlyList<SecurityGroupRule> Outbound);

public sealed record NatGatewayFacts(string NatGatewayId, string? SubnetId, string? VpcId, string? State);

public sealed record TargetGroupFacts
{
    public required string TargetGroupArn { get; init; }
    public string? TargetGroupName { get; init; }
    public string? Protocol { get; init; }
    public int? Port { get; init; }
    public string? TargetType { get; init; }
    public string? HealthCheckProtocol { get; init; }
    public string? HealthCheckPort { get; init; }
    public string? HealthCheckPath { get; init; }
    public string? Matcher { get; init; }
    public int HealthCheckIntervalSeconds { get; init; } = 30;
    public int HealthCheckTimeoutSeconds { get; init; } = 5;
    public int HealthyThresholdCount { get; init; } = 5;
    public int UnhealthyThresholdCount { get; init; } = 2;
    public IReadOnlyList<string> LoadBalancerArns { get; init; } = [];
}

public sealed record TargetHealthFacts(string TargetId, int? Port, string? State, string? Reason, string? Description);
