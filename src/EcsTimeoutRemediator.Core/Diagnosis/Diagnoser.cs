using System.Globalization;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>Pure checks over the gathered context; problems first, then what was found fine, then what is unknown.</summary>
public static class Diagnoser
{
    public static IReadOnlyList<Finding> Diagnose(TaskStoppedEvent e, ClassificationResult c, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(context);
        var findings = new List<Finding>();

        if (context.Network is { } network && Category.IsNetworkPath(c.Category) || c.Category == Category.EfsNetwork && context.Network is not null)
        {
            findings.AddRange(NetworkPath.Check(e, c, context.Service, context.Network!));
        }

        if (c.Category == Category.HealthElb)
        {
            findings.AddRange(LoadBalancerHealth.Check(e, context.Service, context.LoadBalancer));
        }

        foreach (var gap in context.Gaps)
        {
            findings.Add(new Finding("permission", FindingStatus.Unknown,
                $"unknown (missing permission {gap.Action} on {gap.Resource})", [gap.Resource]));
        }

        return [.. findings.OrderBy(f => f.Status switch { FindingStatus.Missing => 0, FindingStatus.Wrong => 1, FindingStatus.Unknown => 3, _ => 2 })];
    }
}

/// <summary>Orders the remedies by what the infrastructure proved, and drops the ones it ruled out.</summary>
public static class FixRanking
{
    public static IReadOnlyList<string> Rank(IReadOnlyList<string> fixes, IReadOnlyList<Finding> findings, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(context);
        var proven = findings.Where(f => f.IsProblem && f.Fix is not null).Select(f => f.Fix!).Distinct().ToList();
        var ruledOut = new HashSet<string>();
        if (context.Network is { Subnets.Count: > 0 } network)
        {
            var publicSubnets = network.Subnets.Count(s => network.RouteTableOf(s)?.Routes.Any(r => r.IsDefault && r.IsActive && r.ToInternetGateway) == true);
            if (publicSubnets == 0 || context.Service?.Network?.AssignPublicIp == true)
            {
                ruledOut.Add(FixId.EnableAssignPublicIp);
            }

            if (publicSubnets == network.Subnets.Count)
            {
                ruledOut.Add(FixId.AddNatRoute);
            }
        }

        return [.. proven.Where(fixes.Contains), .. fixes.Where(f => !proven.Contains(f) && !ruledOut.Contains(f))];
    }
}

/// <summary>Can the task's subnets reach the AWS services its start-up needs?</summary>
public static class NetworkPath
{
    public static IEnumerable<Finding> Check(TaskStoppedEvent e, ClassificationResult c, ServiceFacts? service, NetworkFacts network)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(network);
        var region = e.Region;
        var assignPublicIp = service?.Network?.AssignPublicIp;
        var needed = NextSteps.EndpointServices(c.Category);
        var routeTablesWithoutPath = new List<string>();

        foreach (var subnet in network.Subnets)
        {
            var table = network.RouteTableOf(subnet);
            if (table is null)
            {
                yield return new Finding("route-table", FindingStatus.Unknown, $"No route table found for {subnet.SubnetId}.", [subnet.SubnetId]);
                continue;
            }

            var defaultRoute = table.Routes.FirstOrDefault(r => r.IsDefault && r.IsActive);
            if (defaultRoute is { ToInternetGateway: true })
            {
                if (assignPublicIp == false)
                {
                    yield return new Finding("public-ip", FindingStatus.Missing,
                        $"{subnet.SubnetId} is a public subnet ({table.RouteTableId} sends 0.0.0.0/0 to {defaultRoute.GatewayId}) but the service's tasks get no public IP (assignPublicIp DISABLED), so they cannot use the internet gateway.",
                        [subnet.SubnetId, table.RouteTableId, defaultRoute.GatewayId!], FixId.EnableAssignPublicIp)
                    { Headline = "public subnet without public IP" };
                }
                else
                {
                    yield return new Finding("route", FindingStatus.Ok,
                        $"{subnet.SubnetId} routes 0.0.0.0/0 to internet gateway {defaultRoute.GatewayId}{(assignPublicIp == true ? " and tasks get a public IP" : "")}.",
                        [subnet.SubnetId, table.RouteTableId]);
                }
            }
            else if (defaultRoute is { ToNatGateway: true })
            {
                var nat = network.NatGateways.FirstOrDefault(n => n.NatGatewayId == defaultRoute.NatGatewayId);
                if (nat is null || !string.Equals(nat.State, "available", StringComparison.OrdinalIgnoreCase))
                {
                    yield return new Finding("nat-gateway", FindingStatus.Wrong,
                        $"{subnet.SubnetId} routes 0.0.0.0/0 to NAT gateway {defaultRoute.NatGatewayId}, which is {nat?.State ?? "missing"}.",
                        [subnet.SubnetId, table.RouteTableId, defaultRoute.NatGatewayId!], FixId.AddNatRoute)
                    { Headline = $"NAT gateway {nat?.State ?? "missing"}" };
                }
                else
                {
                    yield return new Finding("route", FindingStatus.Ok,
                        $"{subnet.SubnetId} routes 0.0.0.0/0 to available NAT gateway {nat.NatGatewayId}.", [subnet.SubnetId, table.RouteTableId, nat.NatGatewayId]);
                }
            }
            else
            {
                routeTablesWithoutPath.Add(table.RouteTableId);
                var missing = MissingEndpoints(network, needed, region, table.RouteTableId);
                if (missing.Count > 0)
                {
                    yield return new Finding("vpc-endpoints", FindingStatus.Missing,
                        $"{subnet.SubnetId} has no route to the internet ({table.RouteTableId} has no 0.0.0.0/0 route to an internet or NAT gateway) and the VPC lacks the endpoints {string.Join(", ", missing)}.",
                        [subnet.SubnetId, table.RouteTableId, subnet.VpcId], FixId.AddVpcEndpoints)
                    { Headline = $"no route to {ServiceLabel(c.Category)}" };
                }
                else
                {
                    yield return new Finding("vpc-endpoints", FindingStatus.Ok,
                        $"{subnet.SubnetId} is private and the VPC has the endpoints {string.Join(", ", needed)}.", [subnet.SubnetId, subnet.VpcId]);
                }
            }
        }

        if (network.SecurityGroups.Count > 0)
        {
            var allows443 = network.SecurityGroups.Any(g => g.Outbound.Any(r => r.CoversPort(443) && (r.Ipv4Ranges.Count > 0 || r.SourceGroupIds.Count > 0 || r.Ipv6Ranges.Count > 0)));
            yield return allows443
                ? new Finding("security-group-egress", FindingStatus.Ok, "The task's security groups allow outbound HTTPS (443).", [.. network.SecurityGroups.Select(g => g.GroupId)])
                : new Finding("security-group-egress", FindingStatus.Wrong,
                    $"No security group of the task ({string.Join(", ", network.SecurityGroups.Select(g => g.GroupId))}) allows outbound HTTPS (443).",
                    [.. network.SecurityGroups.Select(g => g.GroupId)], FixId.OpenSecurityGroup)
                { Headline = "outbound 443 blocked" };
        }
    }

    /// <summary>The endpoint services (short names) the VPC lacks, for a subnet with the given route table.</summary>
    public static IReadOnlyList<string> MissingEndpoints(NetworkFacts network, IReadOnlyList<string> needed, string region, string routeTableId)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(needed);
        var missing = new List<string>();
        foreach (var service in needed)
        {
            var name = $"com.amazonaws.{region}.{service}";
            var endpoint = network.Endpoints.FirstOrDefault(ep => string.Equals(ep.ServiceName, name, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(ep.State, "deleted", StringComparison.OrdinalIgnoreCase));
            var present = service == "s3"
                ? endpoint is not null && (endpoint.RouteTableIds.Contains(routeTableId) || !string.Equals(endpoint.Type, "Gateway", StringComparison.OrdinalIgnoreCase))
                : endpoint is not null;
            if (!present)
            {
                missing.Add(service);
            }
        }

        return missing;
    }

    private static string ServiceLabel(string category) => category switch
    {
        Category.SecretsNetwork => "Secrets Manager / SSM",
        Category.LogsNetwork => "CloudWatch Logs",
        Category.EfsNetwork => "EFS",
        _ => "ECR",
    };
}

/// <summary>Load balancer facts for a health failure: health check settings, target health, lifetime vs grace.</summary>
public static class LoadBalancerHealth
{
    public static IEnumerable<Finding> Check(TaskStoppedEvent e, ServiceFacts? service, LoadBalancerFacts? lb)
    {
        ArgumentNullException.ThrowIfNull(e);
        var tg = lb?.TargetGroup;
        if (tg is not null)
        {
            yield return new Finding("health-check-settings", FindingStatus.Ok,
                string.Create(CultureInfo.InvariantCulture,
                    $"Target group {tg.TargetGroupName ?? tg.TargetGroupArn} checks {tg.HealthCheckProtocol ?? tg.Protocol} {tg.HealthCheckPath ?? "/"} on port {tg.HealthCheckPort ?? "traffic-port"} every {tg.HealthCheckIntervalSeconds} s (timeout {tg.HealthCheckTimeoutSeconds} s), unhealthy after {tg.UnhealthyThresholdCount}, expecting {tg.Matcher ?? "200"}."),
                [tg.TargetGroupArn]);
        }

        foreach (var target in lb?.Targets.Where(t => !string.Equals(t.State, "healthy", StringComparison.OrdinalIgnoreCase)) ?? [])
        {
            var wrongPathOrPort = string.Equals(target.Reason, "Target.ResponseCodeMismatch", StringComparison.Ordinal);
            yield return new Finding("target-health", wrongPathOrPort ? FindingStatus.Wrong : FindingStatus.Ok,
                $"Target {target.TargetId}:{target.Port} is {target.State} ({target.Reason}{(target.Description is { } d ? $": {d}" : "")}).",
                [target.TargetId], wrongPathOrPort ? FixId.FixHealthCheck : null)
            { Headline = wrongPathOrPort ? "health check path or port answers the wrong code" : null };
        }

        if (service is not null && e.Task.StartedAt is { } started && (e.Task.StoppingAt ?? e.Task.StoppedAt) is { } stopping)
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
}
