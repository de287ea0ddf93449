using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Context;

/// <summary>
/// Reads, through the ports, only what the category needs: a benign stop costs no call at all, a network failure
/// reads the subnets, route tables, endpoints, security groups and NAT gateways of its VPC, a health failure its
/// target group. A denied read becomes a <see cref="ReadGap"/>; every other error propagates.
/// </summary>
public sealed class ContextGatherer(IEcsServices ecs, INetworkInspector network, ILoadBalancerInspector loadBalancers)
{
    public async Task<InfrastructureContext> GatherAsync(TaskStoppedEvent e, ClassificationResult c, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        if (!c.Actionable)
        {
            return InfrastructureContext.Empty;
        }

        var reads = new Reads();

        ServiceFacts? service = null;
        if (e.ServiceName is { } serviceName)
        {
            service = await reads.Try("ecs:DescribeServices", $"{e.ClusterName}/{serviceName}",
                () => ecs.DescribeServiceAsync(e.ClusterArn.Length > 0 ? e.ClusterArn : e.ClusterName, serviceName, ct)).ConfigureAwait(false);
        }

        TaskDefinitionFacts? taskDefinition = null;
        var taskDefinitionArn = e.Task.TaskDefinitionArn ?? service?.TaskDefinitionArn;
        if (taskDefinitionArn is not null && NeedsTaskDefinition(c.Category))
        {
            taskDefinition = await reads.Try("ecs:DescribeTaskDefinition", taskDefinitionArn,
                () => ecs.DescribeTaskDefinitionAsync(taskDefinitionArn, ct)).ConfigureAwait(false);
        }

        NetworkFacts? networkFacts = null;
        if (NeedsNetwork(c.Category))
        {
            networkFacts = await GatherNetworkAsync(e, service, reads, ct).ConfigureAwait(false);
        }

        LoadBalancerFacts? lb = null;
        if (c.Category == Category.HealthElb)
        {
            var targetGroupArn = c.Evidence.TargetGroupArn ?? service?.LoadBalancers.Select(l => l.TargetGroupArn).FirstOrDefault(a => a is not null);
            if (targetGroupArn is not null)
            {
                var tg = await reads.Try("elasticloadbalancing:DescribeTargetGroups", targetGroupArn,
                    () => loadBalancers.DescribeTargetGroupAsync(targetGroupArn, ct)).ConfigureAwait(false);
                var health = tg is null ? null : await reads.Try("elasticloadbalancing:DescribeTargetHealth", targetGroupArn,
                    () => loadBalancers.DescribeTargetHealthAsync(targetGroupArn, ct)).ConfigureAwait(false);
                lb = new LoadBalancerFacts(tg, health ?? []);
            }
        }

        return new InfrastructureContext
        {
            Service = service,
            TaskDefinition = taskDefinition,
            Network = networkFacts,
            LoadBalancer = lb,
            Gaps = reads.Gaps,
            ReadCalls = reads.Calls,
        };
    }

    private async Task<NetworkFacts?> GatherNetworkAsync(TaskStoppedEvent e, ServiceFacts? service, Reads reads, CancellationToken ct)
    {
        var subnetIds = service?.Network?.Subnets is { Count: > 0 } s ? s : e.SubnetId is { } one ? [one] : [];
        if (subnetIds.Count == 0)
        {
            return null;
        }

        var subnets = await reads.Try("ec2:DescribeSubnets", string.Join(",", subnetIds),
            () => network.DescribeSubnetsAsync(subnetIds, ct)).ConfigureAwait(false) ?? [];
        var vpcId = subnets.Select(x => x.VpcId).FirstOrDefault();
        if (vpcId is null)
        {
            return new NetworkFacts(subnets, [], [], [], []);
        }

        var routeTables = await reads.Try("ec2:DescribeRouteTables", vpcId, () => network.DescribeRouteTablesAsync(vpcId, ct)).ConfigureAwait(false) ?? [];
        var endpoints = await reads.Try("ec2:DescribeVpcEndpoints", vpcId, () => network.DescribeVpcEndpointsAsync(vpcId, ct)).ConfigureAwait(false) ?? [];
        IReadOnlyList<SecurityGroupFacts> groups = [];
        if (service?.Network?.SecurityGroups is { Count: > 0 } groupIds)
        {
            groups = await reads.Try("ec2:DescribeSecurityGroups", string.Join(",", groupIds),
                () => network.DescribeSecurityGroupsAsync(groupIds, ct)).ConfigureAwait(false) ?? [];
        }

        var nats = await reads.Try("ec2:DescribeNatGateways", vpcId, () => network.DescribeNatGatewaysAsync(vpcId, ct)).ConfigureAwait(false) ?? [];
        return new NetworkFacts(subnets, routeTables, endpoints, groups, nats);
    }

    private static bool NeedsTaskDefinition(string category) => Category.FamilyOf(category) is not ("eni");

    private static bool NeedsNetwork(string category) =>
        category is Category.ImagePullNetwork or Category.SecretsNetwork or Category.LogsNetwork or Category.EniTimeout or Category.EfsNetwork;

    /// <summary>Counts reads and turns a denied one into a gap.</summary>
    private sealed class Reads
    {
        private readonly List<ReadGap> _gaps = [];

        public IReadOnlyList<ReadGap> Gaps => _gaps;

        public int Calls { get; private set; }

        /// <returns>The read's result, or the default (null) when the read was denied.</returns>
        public async Task<T?> Try<T>(string action, string resource, Func<Task<T>> read)
        {
            Calls++;
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (PermissionDeniedException ex)
            {
                _gaps.Add(new ReadGap(string.IsNullOrEmpty(ex.Action) ? action : ex.Action, resource, ex.Message));
                return default;
            }
        }
    }
}
