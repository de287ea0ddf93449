using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>
/// Load balancer facts for a health failure: the health check settings, the ports it probes against the
/// container's port mappings, the target health reasons, the load balancer's security groups against the task's
/// inbound rules, and the task's lifetime against the grace period.
/// </summary>
public static class LoadBalancerHealth
{
    public static IEnumerable<Finding> Check(DiagnosisTarget target, ServiceFacts? service, TaskDefinitionFacts? td, LoadBalancerFacts? lb)
    {
        ArgumentNullException.ThrowIfNull(target);
        var tg = lb?.TargetGroup;
        var binding = service?.LoadBalancers.FirstOrDefault(l => tg is null || l.TargetGroupArn == tg.TargetGroupArn);
        var container = td?.Containers.FirstOrDefault(c => c.Name == binding?.ContainerName)
            ?? td?.Containers.FirstOrDefault(c => c.ContainerPorts.Count > 0);
        var containerPort = binding?.ContainerPort ?? (container is { ContainerPorts.Count: > 0 } ? container.ContainerPorts[0] : null);
        if (tg is not null)
        {
            var probes = tg.HealthCheckPort is { } hcPort ? Sentence.Of($"{Sentence.Id(hcPort)}") : Sentence.Words("traffic-port");
            yield return Finding.Of("health-check-settings", FindingStatus.Ok,
                Sentence.Of($"Target group {Name(tg)} (port {Port(tg.Port)}) checks {tg.HealthCheckProtocol ?? tg.Protocol} {tg.HealthCheckPath ?? "/"} on port {probes} every {tg.HealthCheckIntervalSeconds} s (timeout {tg.HealthCheckTimeoutSeconds} s), unhealthy after {tg.UnhealthyThresholdCount}, healthy after {tg.HealthyThresholdCount}, expecting {tg.Matcher ?? "200"}."),
                [tg.TargetGroupArn]);

            foreach (var finding in CheckPorts(tg, container, containerPort))
            {
                yield return finding;
            }
        }

        foreach (var t in lb?.Targets.Where(t => !string.Equals(t.State, "healthy", StringComparison.OrdinalIgnoreCase)) ?? [])
        {
            var wrongPathOrPort = string.Equals(t.Reason, "Target.ResponseCodeMismatch", StringComparison.Ordinal);
            var wrongPort = containerPort is { } p && t.Port is { } tp && tp != p;
            var description = t.Description is { } d ? Sentence.Of($": {d}") : Sentence.Empty;
            var listens = wrongPort ? Sentence.Of($"; the container listens on {Port(containerPort)}") : Sentence.Empty;
            yield return Finding.Of("target-health", wrongPathOrPort || wrongPort ? FindingStatus.Wrong : FindingStatus.Ok,
                Sentence.Of($"Target {Sentence.Id(t.TargetId)}:{Port(t.Port)} is {t.State} ({t.Reason}{description}){listens}."),
                [t.TargetId], wrongPathOrPort || wrongPort ? FixId.FixHealthCheck : null)
            with { Headline = wrongPathOrPort ? "health check path or port answers the wrong code" : wrongPort ? $"target registered on port {t.Port}" : null };
        }

        if (lb is { LoadBalancers.Count: > 0, TaskSecurityGroups.Count: > 0 } && containerPort is { } port)
        {
            yield return CheckSecurityGroups(lb, port);
        }

        if (service is not null && target.StartedAt is { } started && target.StoppingAt is { } stopping)
        {
            var lived = (stopping - started).TotalSeconds;
            var grace = service.HealthCheckGracePeriodSeconds;
            var window = grace + (tg is null ? 0 : tg.UnhealthyThresholdCount * tg.HealthCheckIntervalSeconds);
            var duringBoot = lived <= window + 30;
            var marks = tg is null ? Sentence.Empty : Sentence.Of($" and the target group needs {tg.UnhealthyThresholdCount} × {tg.HealthCheckIntervalSeconds} s to mark it unhealthy");
            yield return Finding.Of("grace-period", duringBoot ? FindingStatus.Wrong : FindingStatus.Ok,
                Sentence.Of($"The task ran {lived:0} s; the service's health-check grace period is {grace} s{marks}. {Sentence.Words(duringBoot ? "It died during start-up." : "It had run past start-up.")}"),
                [service.ServiceArn], duringBoot ? FixId.RaiseHealthCheckGrace : null)
            with { Headline = duringBoot ? $"killed during start-up (grace {grace} s)" : null };
        }
    }

    /// <summary>The target group by its name, else by its ARN (a resource either way).</summary>
    private static Sentence Name(TargetGroupFacts tg) => Sentence.Resource(tg.TargetGroupName ?? tg.TargetGroupArn);

    /// <summary>A port the diagnosis read, as a resource; nothing when it is unknown.</summary>
    private static Sentence Port(int? port) => port is { } p ? Sentence.Of($"{Sentence.Id(p)}") : Sentence.Empty;

    private static IEnumerable<Finding> CheckPorts(TargetGroupFacts tg, ContainerDefinitionFacts? container, int? containerPort)
    {
        if (container is null || containerPort is not { } port)
        {
            yield break;
        }

        if (container.ContainerPorts.Count > 0 && !container.ContainerPorts.Contains(port))
        {
            yield return Finding.Of("container-port", FindingStatus.Wrong,
                Sentence.Of($"The service sends the target group's traffic to {container.Name}:{Sentence.Id(port)}, but the container maps only {Sentence.Ids(container.ContainerPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)))}."),
                [tg.TargetGroupArn], FixId.FixHealthCheck)
            with { Headline = $"container does not map port {port}" };
        }

        if (int.TryParse(tg.HealthCheckPort, NumberStyles.None, CultureInfo.InvariantCulture, out var probed) && probed != port && !container.ContainerPorts.Contains(probed))
        {
            yield return Finding.Of("health-check-port", FindingStatus.Wrong,
                Sentence.Of($"Target group {Name(tg)} health-checks port {Sentence.Id(probed)} (target group port {Port(tg.Port)}), but container {container.Name} listens on {Sentence.Id(port)}: every check fails."),
                [tg.TargetGroupArn], FixId.FixHealthCheck)
            with { Headline = $"health check on port {probed}, container on {port}" };
        }
        else
        {
            var ownPort = tg.Port is { } p && p != port ? Sentence.Of($" (its own port {Sentence.Id(p)} is only a default)") : Sentence.Empty;
            yield return Finding.Of("container-port", FindingStatus.Ok,
                Sentence.Of($"ECS registers {container.Name}:{Sentence.Id(port)} in target group {Name(tg)}{ownPort}; the health check probes {Sentence.Id(probed > 0 ? probed : port)}."),
                [tg.TargetGroupArn]);
        }
    }

    private static Finding CheckSecurityGroups(LoadBalancerFacts lb, int port)
    {
        var lbGroups = lb.LoadBalancers.SelectMany(l => l.SecurityGroups).ToHashSet(StringComparer.Ordinal);
        var taskGroups = lb.TaskSecurityGroups;
        var open = taskGroups.Any(g => g.Inbound.Any(r => r.CoversPort(port)
            && (r.SourceGroupIds.Any(lbGroups.Contains) || r.Ipv4Ranges.Count > 0 || r.Ipv6Ranges.Count > 0)));
        var resources = (IReadOnlyList<string>)[.. taskGroups.Select(g => g.GroupId), .. lbGroups];
        return open
            ? Finding.Of("load-balancer-security-group", FindingStatus.Ok,
                Sentence.Of($"The task's security groups accept port {Sentence.Id(port)} from the load balancer."), resources)
            : Finding.Of("load-balancer-security-group", FindingStatus.Wrong,
                Sentence.Of($"No security group of the task ({Sentence.Ids(taskGroups.Select(g => g.GroupId))}) allows inbound TCP {Sentence.Id(port)} from the load balancer{(lbGroups.Count > 0 ? Sentence.Of($"'s security groups {Sentence.Ids(lbGroups)}") : Sentence.Empty)}: every health check times out."),
                resources, FixId.OpenSecurityGroup)
            with { Headline = $"task security group closed to the load balancer on {port}" };
    }
}

/// <summary>The load-balancer health area; it speaks for an ELB health failure even when the service has no target group.</summary>
public sealed class LoadBalancerCheck : IAreaCheck
{
    private static readonly IReadOnlyDictionary<string, string> Unread = UnreadNames.All("load-balancer",
        "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeLoadBalancers");

    public DiagnosisScope Checks => DiagnosisScope.LoadBalancer;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && (input.Context.LoadBalancer is not null || input.Category == Category.HealthElb)
            ? LoadBalancerHealth.Check(input.Target, input.Context.Service, input.TaskDefinition, input.Context.LoadBalancer)
            : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => UnreadNames.Of(gap, Unread);
}
