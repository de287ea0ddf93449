namespace EcsTimeoutRemediator.Context;

/// <summary>A read the function was not allowed to make, or did not make: reported, never fatal.</summary>
public sealed record ReadGap(string Action, string Resource, string Message)
{
    /// <summary>True when the read was not made (the read budget was spent, or the resource is out of this
    /// function's reach), rather than denied.</summary>
    public bool NotAttempted { get; init; }

    /// <summary>Set when the read was made and AWS did not answer it after the SDK's retries (only <c>doctor</c>
    /// goes on after such a read; the event path fails).</summary>
    public ServiceFailure? Failure { get; init; }
}

/// <summary>The network facts around the task's subnets.</summary>
public sealed record NetworkFacts(
    IReadOnlyList<SubnetFacts> Subnets,
    IReadOnlyList<RouteTableFacts> RouteTables,
    IReadOnlyList<VpcEndpointFacts> Endpoints,
    IReadOnlyList<SecurityGroupFacts> SecurityGroups,
    IReadOnlyList<NatGatewayFacts> NatGateways)
{
    /// <summary>The VPC's network ACLs (empty when not read).</summary>
    public IReadOnlyList<NetworkAclFacts> NetworkAcls { get; init; } = [];

    /// <summary>The security groups of the VPC's interface endpoints (read together with the task's).</summary>
    public IReadOnlyList<SecurityGroupFacts> EndpointSecurityGroups { get; init; } = [];

    /// <summary>enableDnsSupport of the VPC; null when not read.</summary>
    public bool? DnsSupport { get; init; }

    /// <summary>enableDnsHostnames of the VPC; null when not read.</summary>
    public bool? DnsHostnames { get; init; }

    /// <summary>The network ACL of a subnet: its explicit association, else the VPC's default ACL.</summary>
    public NetworkAclFacts? NetworkAclOf(SubnetFacts subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        return NetworkAcls.FirstOrDefault(a => a.SubnetIds.Contains(subnet.SubnetId))
            ?? NetworkAcls.FirstOrDefault(a => a.IsDefault && a.VpcId == subnet.VpcId);
    }

    /// <summary>The route table of any subnet of the VPC by id (for a NAT gateway's subnet that was not described).</summary>
    public RouteTableFacts? RouteTableOf(string subnetId, string? vpcId) =>
        RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(subnetId))
        ?? RouteTables.FirstOrDefault(t => t.IsMain && (vpcId is null || t.VpcId == vpcId));

    /// <summary>The route table that governs a subnet: its explicit association, else the VPC's main table.</summary>
    public RouteTableFacts? RouteTableOf(SubnetFacts subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        return RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(subnet.SubnetId))
            ?? RouteTables.FirstOrDefault(t => t.IsMain && t.VpcId == subnet.VpcId);
    }

    /// <summary>The active default route (0.0.0.0/0) of the route table that governs a subnet; null when it has none.</summary>
    public RouteFacts? DefaultRouteOf(SubnetFacts subnet) => RouteTableOf(subnet)?.Routes.FirstOrDefault(r => r.IsDefault && r.IsActive);
}

/// <summary>The DNS attributes of a VPC: enableDnsSupport and enableDnsHostnames, each null when not read.</summary>
public sealed record VpcDnsFacts(bool? Support, bool? Hostnames);

/// <summary>The load balancer facts for a health failure.</summary>
public sealed record LoadBalancerFacts(TargetGroupFacts? TargetGroup, IReadOnlyList<TargetHealthFacts> Targets)
{
    /// <summary>The target group's load balancers (their security groups); empty when not read.</summary>
    public IReadOnlyList<LoadBalancerSummary> LoadBalancers { get; init; } = [];

    /// <summary>The task's security groups, for the inbound check from the load balancer.</summary>
    public IReadOnlyList<SecurityGroupFacts> TaskSecurityGroups { get; init; } = [];
}

/// <summary>What ECR said about the task's images (ECR images only).</summary>
public sealed record RegistryFacts(IReadOnlyList<EcrImageFacts> Images);

/// <summary>The EFS facts for the task's volumes: mount targets per file system, and the security groups involved.</summary>
public sealed record EfsFacts(
    IReadOnlyDictionary<string, IReadOnlyList<MountTargetFacts>> MountTargets,
    IReadOnlyList<SubnetFacts> TaskSubnets,
    IReadOnlyList<SecurityGroupFacts> SecurityGroups);

/// <summary>
/// The facts of a service or deployment event's checks: the task definition looked up, and the cluster and
/// capacity providers the service places its tasks with. The subnets are in <see cref="InfrastructureContext.Network"/>.
/// </summary>
public sealed record ServiceEventFacts
{
    /// <summary>The task definition that was looked up (DescribeTaskDefinition); null when none was.</summary>
    public string? TaskDefinitionArn { get; init; }

    /// <summary>DescribeClusters of the service's cluster; null when not read (or denied).</summary>
    public ClusterFacts? Cluster { get; init; }

    /// <summary>The capacity providers the service places with: the event's, else its strategy, else the cluster's default.</summary>
    public IReadOnlyList<string> CapacityProviderNames { get; init; } = [];

    /// <summary>Where <see cref="CapacityProviderNames"/> came from: "event", "service" or "cluster default".</summary>
    public string? CapacityProvidersFrom { get; init; }

    /// <summary>DescribeCapacityProviders of the providers backed by an Auto Scaling group; null when not read.</summary>
    public CapacityProviderLookup? CapacityProviders { get; init; }
}

/// <summary>Everything gathered about the infrastructure of one stopped task.</summary>
public sealed record InfrastructureContext
{
    public ServiceFacts? Service { get; init; }
    public TaskDefinitionFacts? TaskDefinition { get; init; }
    public NetworkFacts? Network { get; init; }
    public LoadBalancerFacts? LoadBalancer { get; init; }
    public RegistryFacts? Registry { get; init; }

    /// <summary>The execution role's simulated permissions (null when not checked).</summary>
    public RolePermissionFacts? ExecutionRole { get; init; }

    /// <summary>The task role's simulated permissions for EFS IAM authorization (null when not checked).</summary>
    public RolePermissionFacts? TaskRole { get; init; }

    /// <summary>The customer managed KMS keys of the secrets and parameters the task reads (empty: none, or not read).</summary>
    public IReadOnlyList<SecretKeyFacts> SecretKeys { get; init; } = [];

    /// <summary>The awslogs log groups that were looked up: name → the group, or null when it does not exist.</summary>
    public IReadOnlyDictionary<string, LogGroupFacts?>? LogGroups { get; init; }

    public EfsFacts? Efs { get; init; }

    /// <summary>What a service or deployment event's checks read beyond the service (null when none ran).</summary>
    public ServiceEventFacts? ServiceEvent { get; init; }

    /// <summary>What was checked: the areas of <see cref="DiagnosisScope"/>.</summary>
    public DiagnosisScope Scope { get; init; }

    /// <summary>The target the context was gathered for (doctor or event).</summary>
    public DiagnosisTarget? Target { get; init; }

    public IReadOnlyList<ReadGap> Gaps { get; init; } = [];

    /// <summary>Set when the event's account could not be opened (its member role was refused): nothing was read.</summary>
    public AccountRefusal? Unreachable { get; init; }

    /// <summary>How many AWS read calls gathering made.</summary>
    public int ReadCalls { get; init; }

    /// <summary>How many of <see cref="ReadCalls"/> returned an answer (not denied, not failed).</summary>
    public int ReadsAnswered { get; init; }

    /// <summary>True when reads failed after the SDK's retries and none returned an answer: nothing could be read.</summary>
    public bool NothingRead => ReadsAnswered == 0 && Gaps.Any(g => g.Failure is not null);

    public static InfrastructureContext Empty { get; } = new();
}
