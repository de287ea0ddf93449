namespace EcsTimeoutRemediator.Context;

/// <summary>A read the function was not allowed to make: reported, never fatal.</summary>
public sealed record ReadGap(string Action, string Resource, string Message);

/// <summary>The network facts around the task's subnets.</summary>
public sealed record NetworkFacts(
    IReadOnlyList<SubnetFacts> Subnets,
    IReadOnlyList<RouteTableFacts> RouteTables,
    IReadOnlyList<VpcEndpointFacts> Endpoints,
    IReadOnlyList<SecurityGroupFacts> SecurityGroups,
    IReadOnlyList<NatGatewayFacts> NatGateways)
{
    /// <summary>The route table that governs a subnet: its explicit association, else the VPC's main table.</summary>
    public RouteTableFacts? RouteTableOf(SubnetFacts subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        return RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(subnet.SubnetId))
            ?? RouteTables.FirstOrDefault(t => t.IsMain && t.VpcId == subnet.VpcId);
    }
}

/// <summary>The load balancer facts for a health failure.</summary>
public sealed record LoadBalancerFacts(TargetGroupFacts? TargetGroup, IReadOnlyList<TargetHealthFacts> Targets);

/// <summary>Everything gathered about the infrastructure of one stopped task.</summary>
public sealed record InfrastructureContext
{
    public ServiceFacts? Service { get; init; }
    public TaskDefinitionFacts? TaskDefinition { get; init; }
    public NetworkFacts? Network { get; init; }
    public LoadBalancerFacts? LoadBalancer { get; init; }
    public IReadOnlyList<ReadGap> Gaps { get; init; } = [];

    /// <summary>How many AWS read calls gathering made.</summary>
    public int ReadCalls { get; init; }

    public static InfrastructureContext Empty { get; } = new();
}
