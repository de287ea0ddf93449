namespace EcsTimeoutRemediator.Aws.Clients.ElbV2;

/// <summary>ELBv2 DescribeTargetGroups input: by ARNs, or every target group of a load balancer.</summary>
public sealed record DescribeTargetGroupsRequest
{
    public IReadOnlyList<string>? TargetGroupArns { get; init; }

    public string? LoadBalancerArn { get; init; }

    /// <summary>Page size per call (1–400); the client follows NextMarker and returns every page.</summary>
    public int? PageSize { get; init; }
}

public sealed record TargetGroup
{
    public required string TargetGroupArn { get; init; }

    public string? TargetGroupName { get; init; }

    public string? Protocol { get; init; }

    public int? Port { get; init; }

    public string? VpcId { get; init; }

    /// <summary>instance, ip, lambda or alb.</summary>
    public string? TargetType { get; init; }

    public bool? HealthCheckEnabled { get; init; }

    public string? HealthCheckProtocol { get; init; }

    public string? HealthCheckPort { get; init; }

    public string? HealthCheckPath { get; init; }

    public int? HealthCheckIntervalSeconds { get; init; }

    public int? HealthCheckTimeoutSeconds { get; init; }

    public int? HealthyThresholdCount { get; init; }

    public int? UnhealthyThresholdCount { get; init; }

    /// <summary>The matcher's HTTP codes ("200", "200-299").</summary>
    public string? MatcherHttpCode { get; init; }

    public IReadOnlyList<string> LoadBalancerArns { get; init; } = [];
}

/// <summary>ELBv2 DescribeTargetHealth input; no targets means every registered target.</summary>
public sealed record DescribeTargetHealthRequest
{
    public required string TargetGroupArn { get; init; }

    public IReadOnlyList<TargetReference>? Targets { get; init; }
}

public sealed record TargetReference(string Id, int? Port = null);

/// <summary>One target's health, flattened from Target + TargetHealth.</summary>
public sealed record TargetHealthDescription
{
    public required string Id { get; init; }

    public int? Port { get; init; }

    public string? AvailabilityZone { get; init; }

    public string? HealthCheckPort { get; init; }

    /// <summary>initial, healthy, unhealthy, unused, draining, unavailable, …</summary>
    public string? State { get; init; }

    /// <summary>Target.ResponseCodeMismatch, Target.Timeout, Target.FailedHealthChecks, Elb.InitialHealthChecking, …</summary>
    public string? Reason { get; init; }

    public string? Description { get; init; }
}

/// <summary>ELBv2 DescribeLoadBalancers input; the client returns every page.</summary>
public sealed record DescribeLoadBalancersRequest
{
    public required IReadOnlyList<string> LoadBalancerArns { get; init; }

    public int? PageSize { get; init; }
}

public sealed record LoadBalancer
{
    public required string LoadBalancerArn { get; init; }

    public string? LoadBalancerName { get; init; }

    public string? DnsName { get; init; }

    /// <summary>internet-facing or internal.</summary>
    public string? Scheme { get; init; }

    public string? VpcId { get; init; }

    /// <summary>application, network or gateway.</summary>
    public string? Type { get; init; }

    /// <summary>active, provisioning, active_impaired or failed.</summary>
    public string? State { get; init; }

    public string? StateReason { get; init; }

    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    public IReadOnlyList<LoadBalancerZone> AvailabilityZones { get; init; } = [];
}

public sealed record LoadBalancerZone(string? ZoneName, string? SubnetId);
