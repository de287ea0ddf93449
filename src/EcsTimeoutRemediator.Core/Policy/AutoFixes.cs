using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Policy;

/// <summary>Everything a fix may look at when deciding: pure data.</summary>
public sealed record FixInput(
    TaskStoppedEvent Event,
    ClassificationResult Classification,
    InfrastructureContext Context,
    ServiceFacts Service,
    OptIn OptIn,
    PolicySettings Settings,
    int RecentFailures);

/// <summary>A plan, or the reason there is none.</summary>
public sealed record FixEvaluation(FixPlan? Plan, string? SkipReason)
{
    public static FixEvaluation Skip(string reason) => new(null, reason);

    public static FixEvaluation Of(FixPlan plan) => new(plan, null);
}

/// <summary>
/// One low-risk automatic fix: the categories it answers, the IAM actions it needs (the template grants exactly
/// the union of these), its preconditions, and the re-check made right before acting.
/// </summary>
public interface IAutoFix
{
    string Id { get; }

    IReadOnlyList<string> Categories { get; }

    IReadOnlyList<string> Permissions { get; }

    /// <summary>Whether the fix waits for repeated failures (<see cref="FixInput.RecentFailures"/>), so that every failure must be counted as evidence.</summary>
    bool NeedsEvidence { get; }

    FixEvaluation Evaluate(FixInput input);

    /// <summary>Null when the plan still applies to the service as read right now; else why not.</summary>
    string? StillNeeded(FixPlan plan, ServiceFacts current);

    /// <summary>True when the service as read right now already has what the plan sets (its UpdateService went through).</summary>
    bool IsDone(FixPlan plan, ServiceFacts current);
}

/// <summary>Gives a service that dies during start-up more time before load balancer health checks count.</summary>
public sealed class RaiseHealthCheckGraceFix : IAutoFix
{
    public string Id => FixId.RaiseHealthCheckGrace;

    public IReadOnlyList<string> Categories { get; } = [Category.HealthElb];

    public IReadOnlyList<string> Permissions { get; } = ["ecs:UpdateService"];

    public bool NeedsEvidence => true;

    public FixEvaluation Evaluate(FixInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Service;
        var settings = input.Settings;
        if (s.LoadBalancers.Count == 0)
        {
            return FixEvaluation.Skip("the service has no load balancer, so a health-check grace period does not apply");
        }

        var task = input.Event.Task;
        if (task.StartedAt is not { } started)
        {
            return FixEvaluation.Skip("the task never started, so it was not killed during start-up");
        }

        var tg = input.Context.LoadBalancer?.TargetGroup;
        var unhealthyAfter = tg is null ? TimeSpan.Zero : TimeSpan.FromSeconds(tg.UnhealthyThresholdCount * tg.HealthCheckIntervalSeconds);
        var lived = ((task.StoppingAt ?? task.StoppedAt ?? started) - started);
        var window = TimeSpan.FromSeconds(s.HealthCheckGracePeriodSeconds) + unhealthyAfter + settings.StartupMargin;
        if (lived > window)
        {
            return FixEvaluation.Skip(string.Create(CultureInfo.InvariantCulture,
                $"the task ran {lived.TotalSeconds:0} s, longer than the grace period plus the unhealthy threshold ({window.TotalSeconds:0} s): it was healthy once, so more grace would not help"));
        }

        var targets = input.Context.LoadBalancer?.Targets ?? [];
        if (targets.Any(t => string.Equals(t.Reason, "Target.ResponseCodeMismatch", StringComparison.Ordinal)))
        {
            return FixEvaluation.Skip("the target answered with the wrong HTTP code (Target.ResponseCodeMismatch): the health-check path or port is wrong, and more grace cannot cure that");
        }

        if (input.RecentFailures < settings.EvidenceCount)
        {
            return FixEvaluation.Skip(string.Create(CultureInfo.InvariantCulture,
                $"seen {input.RecentFailures} time(s) in the last {settings.EvidenceWindow.TotalMinutes:0} minutes; the fix needs {settings.EvidenceCount}"));
        }

        var cap = Math.Min(input.OptIn.MaxGraceSeconds ?? settings.MaxGraceSeconds, settings.HardMaxGraceSeconds);
        var current = s.HealthCheckGracePeriodSeconds;
        if (current >= cap)
        {
            return FixEvaluation.Skip(string.Create(CultureInfo.InvariantCulture,
                $"the grace period is already {current} s, at the cap of {cap} s: the application does not become healthy in time. Check the health-check path and port, that the application listens on 0.0.0.0 (not 127.0.0.1), and that the task's security group allows the load balancer's security group on the container port"));
        }

        var next = Math.Min(Math.Max(60, 2 * current), cap);
        var update = new ServiceUpdate(input.Event.ClusterArn, s.ServiceName) { HealthCheckGracePeriodSeconds = next };
        return FixEvaluation.Of(new FixPlan(
            Id,
            update,
            "healthCheckGracePeriodSeconds",
            current.ToString(CultureInfo.InvariantCulture),
            next.ToString(CultureInfo.InvariantCulture),
            ["aws", "ecs", "update-service", "--region", input.Event.Region, "--cluster", input.Event.ClusterName, "--service", s.ServiceName, "--health-check-grace-period-seconds", current.ToString(CultureInfo.InvariantCulture)]));
    }

    public string? StillNeeded(FixPlan plan, ServiceFacts current)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(current);
        var now = current.HealthCheckGracePeriodSeconds.ToString(CultureInfo.InvariantCulture);
        return now == plan.Before ? null : $"the grace period changed from {plan.Before} s to {now} s since the decision; nothing was changed";
    }

    public bool IsDone(FixPlan plan, ServiceFacts current)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(current);
        return current.HealthCheckGracePeriodSeconds.ToString(CultureInfo.InvariantCulture) == plan.After;
    }
}

/// <summary>Lets Fargate tasks in public subnets reach ECR, Secrets Manager and CloudWatch Logs through the internet gateway.</summary>
public sealed class EnableAssignPublicIpFix : IAutoFix
{
    public const string SecurityHubNote =
        "A public IP on ECS tasks fails AWS Security Hub control ECS.2 (\"ECS services should not have public IP addresses assigned to them automatically\") unless the service is exempted.";

    public string Id => FixId.EnableAssignPublicIp;

    public IReadOnlyList<string> Categories { get; } = [Category.ImagePullNetwork, Category.SecretsNetwork, Category.LogsNetwork];

    public IReadOnlyList<string> Permissions { get; } = ["ecs:UpdateService"];

    public bool NeedsEvidence => false;

    public FixEvaluation Evaluate(FixInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Service;
        if (!s.IsFargate)
        {
            return FixEvaluation.Skip("the service does not run on Fargate; EC2 tasks get their network from the instance");
        }

        if (s.Network is not { } vpc)
        {
            return FixEvaluation.Skip("the service has no awsvpc network configuration");
        }

        if (vpc.AssignPublicIp)
        {
            return FixEvaluation.Skip("the service's tasks already get a public IP");
        }

        if (input.Context.Network is not { } network || network.Subnets.Count < vpc.Subnets.Count || input.Context.Gaps.Count > 0)
        {
            return FixEvaluation.Skip("the subnets, route tables and security groups could not all be read, so the fix cannot prove it is safe");
        }

        foreach (var subnet in network.Subnets)
        {
            var routes = network.RouteTableOf(subnet)?.Routes ?? [];
            var defaultRoute = routes.FirstOrDefault(r => r.IsDefault && r.IsActive);
            if (defaultRoute is { ToNatGateway: true })
            {
                return FixEvaluation.Skip($"{subnet.SubnetId} routes 0.0.0.0/0 through NAT gateway {defaultRoute.NatGatewayId}: it is a private subnet, so a public IP would not help; check the NAT gateway or add VPC endpoints");
            }

            if (defaultRoute is not { ToInternetGateway: true })
            {
                return FixEvaluation.Skip($"{subnet.SubnetId} has no 0.0.0.0/0 route to an internet gateway: it is a private subnet; add a NAT route or the VPC endpoints ({string.Join(", ", CategoryTable.Of(input.Classification.Category).EndpointServices)})");
            }
        }

        var open = network.SecurityGroups.FirstOrDefault(g => g.Inbound.Any(r => r.IsOpenToTheWorld));
        if (open is not null)
        {
            return FixEvaluation.Skip($"security group {open.GroupId} allows inbound traffic from 0.0.0.0/0 or ::/0: a public IP would expose the tasks to the internet; close that rule first or route through a NAT gateway");
        }

        var update = new ServiceUpdate(input.Event.ClusterArn, s.ServiceName) { Network = vpc with { AssignPublicIp = true } };
        return FixEvaluation.Of(new FixPlan(
            Id,
            update,
            "networkConfiguration.awsvpcConfiguration.assignPublicIp",
            "DISABLED",
            "ENABLED",
            ["aws", "ecs", "update-service", "--region", input.Event.Region, "--cluster", input.Event.ClusterName, "--service", s.ServiceName,
                "--network-configuration", $"awsvpcConfiguration={{subnets=[{string.Join(',', vpc.Subnets)}],securityGroups=[{string.Join(',', vpc.SecurityGroups)}],assignPublicIp=DISABLED}}"]));
    }

    public string? StillNeeded(FixPlan plan, ServiceFacts current)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(current);
        var planned = plan.Update.Network!;
        if (current.Network is not { } now)
        {
            return "the service no longer has an awsvpc network configuration; nothing was changed";
        }

        if (now.AssignPublicIp)
        {
            return "the service's tasks already get a public IP; nothing was changed";
        }

        return now.Subnets.SequenceEqual(planned.Subnets) && now.SecurityGroups.SequenceEqual(planned.SecurityGroups)
            ? null
            : "the service's subnets or security groups changed since the decision; nothing was changed";
    }

    public bool IsDone(FixPlan plan, ServiceFacts current)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(current);
        return current.Network is { AssignPublicIp: true } now && plan.Update.Network is { } planned
            && now.Subnets.SequenceEqual(planned.Subnets) && now.SecurityGroups.SequenceEqual(planned.SecurityGroups);
    }
}

/// <summary>The fixes this product may apply by itself.</summary>
public static class AutoFixes
{
    public static IReadOnlyList<IAutoFix> All { get; } = [new RaiseHealthCheckGraceFix(), new EnableAssignPublicIpFix()];

    public static IReadOnlyList<string> Ids { get; } = [.. All.Select(f => f.Id)];

    /// <summary>The IAM actions the fixes need, for the template's ApplyFixes statement.</summary>
    public static IReadOnlySet<string> Permissions { get; } = All.SelectMany(f => f.Permissions).ToHashSet(StringComparer.Ordinal);
}
