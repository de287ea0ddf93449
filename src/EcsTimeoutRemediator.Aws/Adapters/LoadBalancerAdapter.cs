using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.ElbV2;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary><see cref="ILoadBalancerInspector"/> over the ELBv2 client.</summary>
public sealed class LoadBalancerAdapter(IElbV2Client elb) : ILoadBalancerInspector
{
    public async Task<TargetGroupFacts?> DescribeTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken)
    {
        IReadOnlyList<TargetGroup> groups;
        try
        {
            groups = await Denials.Guard("elasticloadbalancing:DescribeTargetGroups",
                () => elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { TargetGroupArns = [targetGroupArn] }, cancellationToken)).ConfigureAwait(false);
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return null;
        }

        var tg = groups.Count > 0 ? groups[0] : null;
        return tg is null ? null : new TargetGroupFacts
        {
            TargetGroupArn = tg.TargetGroupArn,
            TargetGroupName = tg.TargetGroupName,
            Protocol = tg.Protocol,
            Port = tg.Port,
            TargetType = tg.TargetType,
            HealthCheckProtocol = tg.HealthCheckProtocol,
            HealthCheckPort = tg.HealthCheckPort,
            HealthCheckPath = tg.HealthCheckPath,
            Matcher = tg.MatcherHttpCode,
            HealthCheckIntervalSeconds = tg.HealthCheckIntervalSeconds ?? 30,
            HealthCheckTimeoutSeconds = tg.HealthCheckTimeoutSeconds ?? 5,
            HealthyThresholdCount = tg.HealthyThresholdCount ?? 5,
            UnhealthyThresholdCount = tg.UnhealthyThresholdCount ?? 2,
            LoadBalancerArns = tg.LoadBalancerArns,
        };
    }

    public async Task<IReadOnlyList<LoadBalancerSummary>> DescribeLoadBalancersAsync(IReadOnlyList<string> loadBalancerArns, CancellationToken cancellationToken)
    {
        try
        {
            var balancers = await Denials.Guard("elasticloadbalancing:DescribeLoadBalancers",
                () => elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { LoadBalancerArns = loadBalancerArns }, cancellationToken)).ConfigureAwait(false);
            return [.. balancers.Select(b => new LoadBalancerSummary(b.LoadBalancerArn, b.LoadBalancerName, b.Type, b.SecurityGroups))];
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return [];
        }
    }

    public async Task<IReadOnlyList<TargetHealthFacts>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken)
    {
        try
        {
            var targets = await Denials.Guard("elasticloadbalancing:DescribeTargetHealth",
                () => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, cancellationToken)).ConfigureAwait(false);
            return [.. targets.Select(t => new TargetHealthFacts(t.Id, t.Port, t.State, t.Reason, t.Description))];
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return [];
        }
    }
}
