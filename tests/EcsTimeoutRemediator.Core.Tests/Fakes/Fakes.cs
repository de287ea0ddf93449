using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory AWS account: services, task definitions, the VPC around them and the load balancers.</summary>
public sealed partial class FakeAccount : IEcsServices, INetworkInspector, ILoadBalancerInspector
{
    public Dictionary<string, ServiceFacts> Services { get; } = [];
    public Dictionary<string, TaskDefinitionFacts> TaskDefinitions { get; } = [];
    public List<SubnetFacts> Subnets { get; } = [];
    public List<RouteTableFacts> RouteTables { get; } = [];
    public List<VpcEndpointFacts> Endpoints { get; } = [];
    public List<SecurityGroupFacts> SecurityGroups { get; } = [];
    public List<NatGatewayFacts> NatGateways { get; } = [];
    public Dictionary<string, TargetGroupFacts> TargetGroups { get; } = [];
    public Dictionary<string, List<TargetHealthFacts>> TargetHealth { get; } = [];

    /// <summary>Actions that fail with AccessDenied.</summary>
    public HashSet<string> Denied { get; } = [];

    /// <summary>Actions that fail with a transient error (as after the SDK's retries).</summary>
    public HashSet<string> Failing { get; } = [];

    /// <summary>Actions AWS does not answer after the SDK's retries: each fails with its <see cref="ServiceFailure"/>, as the adapters raise it.</summary>
    public Dictionary<string, ServiceFailure> Unanswered { get; } = [];

    public List<string> Calls { get; } = [];

    private readonly Lock _calls = new();

    /// <summary>Every read fails with an AccessDenied that names no action, as some services word it: the gap is then named by the reader.</summary>
    public bool DenyEverythingUnnamed { get; set; }

    private T Call<T>(string action, Func<T> read)
    {
        lock (_calls)
        {
            Calls.Add(action);
        }

        if (DenyEverythingUnnamed && action != "ecs:UpdateService")
        {
            throw new PermissionDeniedException("", "Access denied");
        }

        if (Denied.Contains(action))
        {
            throw new PermissionDeniedException(action, $"User is not authorized to perform: {action}");
        }

        if (Failing.Contains(action))
        {
            throw new TimeoutException($"{action} timed out");
        }

        if (Unanswered.TryGetValue(action, out var failure))
        {
            throw new ServiceFailureException(action, failure, null);
        }

        return read();
    }

    public Task<ServiceFacts?> DescribeServiceAsync(string cluster, string service, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecs:DescribeServices", () => Services.GetValueOrDefault(service)));

    public Task<TaskDefinitionFacts?> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecs:DescribeTaskDefinition", () => TaskDefinitions.GetValueOrDefault(taskDefinition)));

    /// <summary>Every UpdateService call, in order.</summary>
    public List<ServiceUpdate> Updates { get; } = [];

    /// <summary>Runs right before an UpdateService is applied (to simulate a concurrent change).</summary>
    public Action? BeforeUpdate { get; set; }

    public Task<ServiceFacts> UpdateServiceAsync(ServiceUpdate update, CancellationToken cancellationToken)
    {
        var name = update.Service;
        return Task.FromResult(Call("ecs:UpdateService", () =>
        {
            BeforeUpdate?.Invoke();
            lock (Updates)
            {
                Updates.Add(update);
                var s = Services[name];
                Services[name] = s with
                {
                    HealthCheckGracePeriodSeconds = update.HealthCheckGracePeriodSeconds ?? s.HealthCheckGracePeriodSeconds,
                    Network = update.Network ?? s.Network,
                };
                return Services[name];
            }
        }));
    }

    /// <summary>
    /// EC2's protocol, as the adapter drives it: the subnets, then in their VPC the route tables, the endpoints, the
    /// task's and the endpoints' security groups in one call, the NAT gateways when a default route uses one, the
    /// network ACLs and both DNS attributes.
    /// </summary>
    public async Task<NetworkFacts?> PathOfAsync(
        IReadOnlyList<string> subnetIds, IReadOnlyList<string> securityGroupIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken)
    {
        if (subnetIds.Count == 0)
        {
            return null;
        }

        var subnets = await SubnetsAsync(subnetIds, known, reads, cancellationToken);
        var vpcId = subnets.Select(x => x.VpcId).FirstOrDefault();
        if (vpcId is null)
        {
            return new NetworkFacts(subnets, [], [], [], []);
        }

        var routeTables = await reads.ReadAsync("ec2:DescribeRouteTables", vpcId, "the routes are not checked", () => DescribeRouteTablesAsync(vpcId, cancellationToken)) ?? [];
        var endpoints = await reads.ReadAsync("ec2:DescribeVpcEndpoints", vpcId, "the VPC endpoints are not checked", () => DescribeVpcEndpointsAsync(vpcId, cancellationToken)) ?? [];
        IReadOnlyList<string> endpointGroupIds = [.. endpoints.SelectMany(ep => ep.SecurityGroupIds).Distinct()];
        var groups = await SecurityGroupsAsync([.. securityGroupIds, .. endpointGroupIds], known, reads, cancellationToken);
        var routed = new NetworkFacts(subnets, routeTables, [], [], []);
        IReadOnlyList<NatGatewayFacts> nats = [];
        if (subnets.Any(subnet => routed.DefaultRouteOf(subnet) is { ToNatGateway: true }))
        {
            nats = await reads.ReadAsync("ec2:DescribeNatGateways", vpcId, "the NAT gateways are not checked", () => DescribeNatGatewaysAsync(vpcId, cancellationToken)) ?? [];
        }

        var acls = await reads.ReadAsync("ec2:DescribeNetworkAcls", vpcId, "the network ACLs are not checked", () => DescribeNetworkAclsAsync(vpcId, cancellationToken)) ?? [];
        var dns = await DnsOfAsync(vpcId, reads, cancellationToken);
        return new NetworkFacts(subnets, routeTables, endpoints, [.. groups.Where(x => securityGroupIds.Contains(x.GroupId))], nats)
        {
            NetworkAcls = acls,
            EndpointSecurityGroups = [.. groups.Where(x => endpointGroupIds.Contains(x.GroupId))],
            DnsSupport = dns.Support,
            DnsHostnames = dns.Hostnames,
        };
    }

    public Task<IReadOnlyList<SubnetFacts>> SubnetsAsync(IReadOnlyList<string> subnetIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken) =>
        known.SubnetsAsync(subnetIds, reads, wanted => DescribeSubnetsAsync(wanted, cancellationToken));

    public Task<IReadOnlyList<SecurityGroupFacts>> SecurityGroupsAsync(IReadOnlyList<string> groupIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken) =>
        known.SecurityGroupsAsync(groupIds, reads, wanted => DescribeSecurityGroupsAsync(wanted, cancellationToken));

    public async Task<VpcDnsFacts> DnsOfAsync(string vpcId, IReadMeter reads, CancellationToken cancellationToken)
    {
        var support = await reads.ReadAsync<bool?>("ec2:DescribeVpcAttribute", $"{vpcId}/enableDnsSupport", "the VPC's DNS resolution is not checked",
            async () => await DescribeVpcAttributeAsync(vpcId, "enableDnsSupport", cancellationToken));
        var hostnames = await reads.ReadAsync<bool?>("ec2:DescribeVpcAttribute", $"{vpcId}/enableDnsHostnames", "the VPC's DNS hostnames are not checked",
            async () => await DescribeVpcAttributeAsync(vpcId, "enableDnsHostnames", cancellationToken));
        return new VpcDnsFacts(support, hostnames);
    }

    public Task<IReadOnlyList<SubnetFacts>> DescribeSubnetsAsync(IReadOnlyList<string> subnetIds, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<SubnetFacts>>("ec2:DescribeSubnets", () => [.. Subnets.Where(s => subnetIds.Contains(s.SubnetId))]));

    public Task<IReadOnlyList<RouteTableFacts>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<RouteTableFacts>>("ec2:DescribeRouteTables", () => [.. RouteTables.Where(r => r.VpcId == vpcId)]));

    public Task<IReadOnlyList<VpcEndpointFacts>> DescribeVpcEndpointsAsync(string vpcId, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<VpcEndpointFacts>>("ec2:DescribeVpcEndpoints", () => [.. Endpoints]));

    public Task<IReadOnlyList<SecurityGroupFacts>> DescribeSecurityGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<SecurityGroupFacts>>("ec2:DescribeSecurityGroups", () => [.. SecurityGroups.Where(g => groupIds.Contains(g.GroupId))]));

    public Task<IReadOnlyList<NatGatewayFacts>> DescribeNatGatewaysAsync(string vpcId, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<NatGatewayFacts>>("ec2:DescribeNatGateways", () => [.. NatGateways.Where(n => n.VpcId == vpcId)]));

    public Task<TargetGroupFacts?> DescribeTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken) =>
        Task.FromResult(Call("elasticloadbalancing:DescribeTargetGroups", () => TargetGroups.GetValueOrDefault(targetGroupArn)));

    public Task<IReadOnlyList<TargetHealthFacts>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<TargetHealthFacts>>("elasticloadbalancing:DescribeTargetHealth", () => TargetHealth.GetValueOrDefault(targetGroupArn) ?? []));
}

/// <summary>Records what was published; safe for concurrent invocations. <see cref="FailNext"/> publishes fail as SNS would after its retries.</summary>
public sealed class RecordingPublisher : IAdvisoryPublisher
{
    private readonly Lock _gate = new();

    public List<Advisory> Published { get; } = [];

    /// <summary>How many of the next publishes fail.</summary>
    public int FailNext { get; set; }

    public Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new TimeoutException("SNS Publish timed out");
            }

            Published.Add(advisory);
            return Task.FromResult($"msg-{Published.Count}");
        }
    }
}

public sealed class ListLogSink : ILogSink
{
    public List<(LogLevel Level, string Message, string? CorrelationId, IReadOnlyList<KeyValuePair<string, string?>> Fields)> Entries { get; } = [];

    private readonly Lock _gate = new();

    public void Write(LogLevel level, string message, string? correlationId, IReadOnlyList<KeyValuePair<string, string?>> fields)
    {
        lock (_gate)
        {
            Entries.Add((level, message, correlationId, fields));
        }
    }
}

public sealed class CountingMetrics : IMetricSink
{
    public Dictionary<string, int> Counts { get; } = [];

    private readonly Lock _gate = new();

    public void Count(string metric, int value = 1, string? dimensionName = null, string? dimensionValue = null)
    {
        var key = dimensionName is null ? metric : $"{metric}[{dimensionValue}]";
        lock (_gate)
        {
            Counts[key] = Counts.GetValueOrDefault(key) + value;
        }
    }
}
