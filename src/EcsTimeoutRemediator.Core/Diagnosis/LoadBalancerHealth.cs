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
            yield return new Finding("health-check-settings", FindingStatus.Ok,
                string.Create(CultureInfo.InvariantCulture,
                    $"Target group {tg.TargetGroupName ?? tg.TargetGroupArn} (port {tg.Port}) checks {tg.HealthCheckProtocol ?? tg.Protocol} {tg.HealthCheckPath ?? "/"} on port {tg.HealthCheckPort ?? "traffic-port"} every {tg.HealthCheckIntervalSeconds} s (timeout {tg.HealthCheckTimeoutSeconds} s), unhealthy after {tg.UnhealthyThresholdCount}, healthy after {tg.HealthyThresholdCount}, expecting {tg.Matcher ?? "200"}."),
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
            yield return new Finding("target-health", wrongPathOrPort || wrongPort ? FindingStatus.Wrong : FindingStatus.Ok,
                $"Target {t.TargetId}:{t.Port} is {t.State} ({t.Reason}{(t.Description is { } d ? $": {d}" : "")}){(wrongPort ? $"; the container listens on {containerPort}" : "")}.",
                [t.TargetId], wrongPathOrPort || wrongPort ? FixId.FixHealthCheck : null)
            { Headline = wrongPathOrPort ? "health check path or port answers the wrong code" : wrongPort ? $"target registered on port {t.Port}" : null };
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
            yield return new Finding("grace-period", duringBoot ? FindingStatus.Wrong : FindingStatus.Ok,
                string.Create(CultureInfo.InvariantCulture,
                    $"The task ran {lived:0} s; the service's health-check grace period is {grace} s{(tg is null ? "" : $" and the target group needs {tg.UnhealthyThresholdCount} × {tg.HealthCheckIntervalSeconds} s to mark it unhealthy")}. {(duringBoot ? "It died during start-up." : "It had run past start-up.")}"),
                [service.ServiceArn], duringBoot ? FixId.RaiseHealthCheckGrace : null)
            { Headline = duringBoot ? $"killed during start-up (grace {grace} s)" : null };
        }
    }

    private static IEnumerable<Finding> CheckPorts(TargetGroupFacts tg, ContainerDefinitionFacts? container, int? containerPort)
    {
        if (container is null || containerPort is not { } port)
        {
            yield break;
        }

        if (container.ContainerPorts.Count > 0 && !container.ContainerPorts.Contains(port))
        {
            yield return new Finding("container-port", FindingStatus.Wrong,
                $"The service sends the target group's traffic to {container.Name}:{port}, but the container maps only {string.Join(", ", container.ContainerPorts)}.",
                [tg.TargetGroupArn], FixId.FixHealthCheck)
            { Headline = $"container does not map port {port}" };
        }

        if (int.TryParse(tg.HealthCheckPort, NumberStyles.None, CultureInfo.InvariantCulture, out var probed) && probed != port && !container.ContainerPorts.Contains(probed))
        {
            yield return new Finding("health-check-port", FindingStatus.Wrong,
                string.Create(CultureInfo.InvariantCulture,
                    $"Target group {tg.TargetGroupName ?? tg.TargetGroupArn} health-checks port {probed} (target group port {tg.Port}), but container {container.Name} listens on {port}: every check fails."),
                [tg.TargetGroupArn], FixId.FixHealthCheck)
            { Headline = $"health check on port {probed}, container on {port}" };
        }
        else
        {
            yield return new Finding("container-port", FindingStatus.Ok,
                string.Create(CultureInfo.InvariantCulture,
                    $"ECS registers {container.Name}:{port} in target group {tg.TargetGroupName ?? tg.TargetGroupArn}{(tg.Port is { } p && p != port ? $" (its own port {p} is only a default)" : "")}; the health check probes {(probed > 0 ? probed : port)}."),
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
            ? new Finding("load-balancer-security-group", FindingStatus.Ok,
                string.Create(CultureInfo.InvariantCulture, $"The task's security groups accept port {port} from the load balancer."), resources)
            : new Finding("load-balancer-security-group", FindingStatus.Wrong,
                string.Create(CultureInfo.InvariantCulture,
                    $"No security group of the task ({string.Join(", ", taskGroups.Select(g => g.GroupId))}) allows inbound TCP {port} from the load balancer{(lbGroups.Count > 0 ? $"'s security groups {string.Join(", ", lbGroups)}" : "")}: every health check times out."),
                resources, FixId.OpenSecurityGroup)
            { Headline = $"task security group closed to the load balancer on {port}" };
    }
}
