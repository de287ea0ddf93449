using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The target group of the event (else the service's first): its health check, its targets' health, its load
/// balancers' security groups, and the task's groups for the inbound rule from them.
/// </summary>
internal sealed class LoadBalancerArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } =
    [
        new("load balancer", DiagnosisScope.LoadBalancer, "ReadLoadBalancers",
            ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeLoadBalancers"]),
    ];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        var target = context.Target!;
        var targetGroupArn = (target.TargetGroupArns.Count > 0 ? target.TargetGroupArns[0] : null)
            ?? context.Service?.LoadBalancers.Select(l => l.TargetGroupArn).FirstOrDefault(a => a is not null);
        if (!run.Asks(DiagnosisScope.LoadBalancer) || targetGroupArn is null)
        {
            return context;
        }

        var elb = run.Ports.LoadBalancers;
        var tg = await run.Reads.Try("elasticloadbalancing:DescribeTargetGroups", targetGroupArn,
            () => elb.DescribeTargetGroupAsync(targetGroupArn, run.Cancellation)).ConfigureAwait(false);
        if (tg is null)
        {
            return context with { LoadBalancer = new LoadBalancerFacts(null, []) };
        }

        var health = await run.Reads.Try("elasticloadbalancing:DescribeTargetHealth", targetGroupArn,
            () => elb.DescribeTargetHealthAsync(targetGroupArn, run.Cancellation)).ConfigureAwait(false);
        IReadOnlyList<LoadBalancerSummary> loadBalancers = [];
        if (tg.LoadBalancerArns.Count > 0)
        {
            loadBalancers = await run.Reads.Try("elasticloadbalancing:DescribeLoadBalancers", string.Join(",", tg.LoadBalancerArns),
                () => elb.DescribeLoadBalancersAsync(tg.LoadBalancerArns, run.Cancellation)).ConfigureAwait(false) ?? [];
        }

        var taskGroups = target.SecurityGroups.Count > 0 ? await run.GroupsAsync(target.SecurityGroups).ConfigureAwait(false) : [];
        return context with { LoadBalancer = new LoadBalancerFacts(tg, health ?? []) { LoadBalancers = loadBalancers, TaskSecurityGroups = taskGroups } };
    }
}
