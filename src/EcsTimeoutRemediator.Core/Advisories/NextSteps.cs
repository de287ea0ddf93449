using System.Collections.Frozen;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Advisories.Steps;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>The identifiers the commands are filled with; placeholders where the event did not carry them.</summary>
public sealed record CommandTargets(
    string Region,
    string Cluster,
    string? Service,
    string TaskArn,
    string? TaskDefinition,
    string? Subnet,
    string? ContainerName)
{
    /// <summary>The event's account (commands run there), when known.</summary>
    public string? Account { get; init; }

    /// <summary>The member role of an account that could not be read, by name.</summary>
    public string? MemberRole { get; init; }

    /// <summary>Subnets of the service (all of them), when known; else just the task's.</summary>
    public IReadOnlyList<string> Subnets { get; init; } = [];
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];
    public string? VpcId { get; init; }
    public string? RouteTableId { get; init; }
    public string? NatGatewayId { get; init; }
    public string? ExecutionRoleName { get; init; }
    public string? LogGroup { get; init; }

    /// <summary>The exact policy the execution role lacks, when the policy simulator proved it.</summary>
    public string? ExecutionRolePolicy { get; init; }

    /// <summary>A customer managed key of the task's secrets that is not enabled, with its state.</summary>
    public KmsKeyFacts? UnusableKey { get; init; }

    /// <summary>The service's assignPublicIp, when the service was read (its network configuration is rewritten whole).</summary>
    public bool? AssignPublicIp { get; init; }

    /// <summary>The service's subnets that are gone or have fewer free addresses than its desired count, and the others.</summary>
    public IReadOnlyList<string> ShortSubnets { get; init; } = [];
    public IReadOnlyList<string> RoomySubnets { get; init; } = [];

    /// <summary>The capacity providers with an Auto Scaling group that the service places with, as read.</summary>
    public IReadOnlyList<CapacityProviderFacts> ScalingProviders { get; init; } = [];

    /// <summary>The failed deployment of a deployment event.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>The task definition the service went back to (rolled back), or that another of its deployments runs.</summary>
    public string? PreviousTaskDefinition { get; init; }

    /// <summary>True when ECS already rolled the service back from the failed deployment.</summary>
    public bool RolledBack { get; init; }

    public CircuitBreakerFacts? CircuitBreaker { get; init; }
    public int? MaximumPercent { get; init; }
    public int? MinimumHealthyPercent { get; init; }

    /// <summary>The image of the failed container as the event or the task definition names it (never the stop message's).</summary>
    public string? Image { get; init; }

    /// <summary>The secrets and parameters the task definition references by ARN.</summary>
    public IReadOnlyList<string> SecretArns { get; init; } = [];

    /// <summary>Every secret and parameter reference (<c>valueFrom</c>) of the task definition: ARNs, and parameter names.</summary>
    public IReadOnlyList<string> SecretReferences { get; init; } = [];

    /// <summary>The first EFS file system of the task definition.</summary>
    public string? FileSystemId { get; init; }

    /// <summary>A subnet of the task in an Availability Zone where the file system has no mount target.</summary>
    public string? SubnetWithoutMountTarget { get; init; }

    /// <summary>The endpoint services the VPC lacks for the task's route table; null when the network was not read.</summary>
    public IReadOnlyList<string>? MissingEndpoints { get; init; }

    /// <summary>The VPC's S3 gateway endpoint when it exists but is not on the task's route table.</summary>
    public string? S3GatewayOffTable { get; init; }

    /// <summary>The security groups of the interface endpoints that do not let the task's HTTPS in.</summary>
    public IReadOnlyList<string> ClosedEndpointGroups { get; init; } = [];

    /// <summary>The network ACL of the task's subnet and the rule numbers an allow rule must take to be evaluated first.</summary>
    public string? NetworkAclId { get; init; }
    public int EgressRuleNumber { get; init; } = 100;
    public int IngressRuleNumber { get; init; } = 100;

    /// <summary>The service's target group, its health-check port and the container port it sends traffic to, as read.</summary>
    public string? TargetGroupArn { get; init; }
    public string? HealthCheckPort { get; init; }
    public int? ContainerPort { get; init; }

    /// <summary>The security groups of the target group's load balancers.</summary>
    public IReadOnlyList<string> LoadBalancerGroups { get; init; } = [];

    /// <summary>True when a target answered the health check with an unexpected HTTP code (a wrong path).</summary>
    public bool HealthCheckCodeMismatch { get; init; }

    /// <param name="region">The region when there is no event (<c>doctor</c>).</param>
    public static CommandTargets From(TaskStoppedEvent? e, ClassificationResult c, InfrastructureContext? context = null, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        var t = e is null
            ? new CommandTargets(region ?? "<region>", "<cluster>", "<service>", "<task-arn>", "<task-definition>", null, c.Evidence.ContainerName)
            : new CommandTargets(
                e.Region.Length > 0 ? e.Region : "<region>",
                e.ClusterName.Length > 0 ? e.ClusterName : "<cluster>",
                e.ServiceName,
                e.TaskArn,
                e.Task.TaskDefinitionArn,
                e.SubnetId,
                c.Evidence.ContainerName);
        if (e is not null)
        {
            var containers = e.Task.Containers ?? [];
            t = t with
            {
                DeploymentId = e.DeploymentId,
                Account = e.Account.Length > 0 ? e.Account : null,
                Image = containers.FirstOrDefault(x => x.Name == c.Evidence.ContainerName && !string.IsNullOrEmpty(x.Image))?.Image
                    ?? containers.FirstOrDefault(x => !string.IsNullOrEmpty(x.Image))?.Image,
            };
        }

        if (context?.Unreachable is { } refusal)
        {
            t = t with { MemberRole = refusal.RoleName, Account = refusal.Account };
        }

        if (context is null)
        {
            return t with { Subnets = t.Subnet is null ? [] : [t.Subnet] };
        }

        t = WithServiceEvent(t, context);

        var subnets = context.Service?.Network?.Subnets is { Count: > 0 } s ? s : t.Subnet is null ? [] : [t.Subnet];
        var network = context.Network;
        var firstSubnet = network?.Subnets.FirstOrDefault(x => x.SubnetId == t.Subnet) ?? (network is { Subnets.Count: > 0 } ? network.Subnets[0] : null);
        var routeTable = firstSubnet is null ? null : network!.RouteTableOf(firstSubnet);
        var nat = network?.NatGateways.FirstOrDefault(n => string.Equals(n.State, "available", StringComparison.OrdinalIgnoreCase));
        var td = context.TaskDefinition;
        var role = td?.ExecutionRoleArn;
        var logGroup = td?.Containers
            .Select(x => x.LogOptions.TryGetValue("awslogs-group", out var g) ? g : null)
            .FirstOrDefault(g => g is not null);
        t = WithNetwork(t, c, context, firstSubnet, routeTable);
        t = WithLoadBalancer(t, context);
        t = WithEfs(t, context);
        return t with
        {
            Image = t.Image ?? td?.Containers.FirstOrDefault(x => x.Name == c.Evidence.ContainerName)?.Image ?? td?.Containers.Select(x => x.Image).FirstOrDefault(i => i is not null),
            SecretArns = [.. td?.Containers.SelectMany(x => x.SecretValueFrom).Where(v => v.StartsWith("arn:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal) ?? []],
            SecretReferences = [.. td?.Containers.SelectMany(x => x.SecretValueFrom).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal) ?? []],
            Subnet = t.Subnet ?? (subnets.Count > 0 ? subnets[0] : null),
            Subnets = subnets,
            SecurityGroups = context.Service?.Network?.SecurityGroups ?? [],
            VpcId = firstSubnet?.VpcId,
            RouteTableId = routeTable?.RouteTableId,
            NatGatewayId = nat?.NatGatewayId,
            ExecutionRoleName = role is null ? null : role[(role.LastIndexOf('/') + 1)..],
            LogGroup = logGroup,
            ExecutionRolePolicy = Diagnosis.RoleChecks.Missing(context.ExecutionRole) is { Count: > 0 } missing ? Diagnosis.RolePermissions.PolicyJson(missing) : null,
            UnusableKey = context.SecretKeys.Select(k => k.Key).FirstOrDefault(k => k is { IsUsable: false }),
        };
    }

    /// <summary>What the network path found: the endpoints the VPC lacks, the closed endpoint groups, the subnet's network ACL.</summary>
    private static CommandTargets WithNetwork(CommandTargets t, ClassificationResult c, InfrastructureContext context, SubnetFacts? subnet, RouteTableFacts? routeTable)
    {
        if (context.Network is not { } network || subnet is null)
        {
            return t;
        }

        var needed = Diagnosis.NetworkPath.RequiredEndpoints(c.Category, context.TaskDefinition);
        var acl = network.NetworkAclOf(subnet);
        return t with
        {
            MissingEndpoints = routeTable is null ? null : Diagnosis.NetworkPath.MissingEndpoints(network, needed, t.Region, routeTable.RouteTableId),
            S3GatewayOffTable = routeTable is null ? null : Diagnosis.NetworkPath.S3GatewayOffTable(network, t.Region, routeTable.RouteTableId)?.VpcEndpointId,
            ClosedEndpointGroups = [.. Diagnosis.NetworkPath.ClosedEndpoints(network, needed, t.Region).SelectMany(x => x.Endpoint.SecurityGroupIds).Distinct(StringComparer.Ordinal)],
            NetworkAclId = acl?.NetworkAclId,
            EgressRuleNumber = acl is null ? 100 : RuleNumberBefore(acl, egress: true, 443),
            IngressRuleNumber = acl is null ? 100 : RuleNumberBefore(acl, egress: false, Diagnosis.NetworkPath.EphemeralFrom),
        };
    }

    /// <summary>100, or the number just below the rule that now decides the traffic when that one denies it (rules are evaluated in order).</summary>
    private static int RuleNumberBefore(NetworkAclFacts acl, bool egress, int port)
    {
        var decisive = acl.Decide(egress, port, Cidr.Anywhere);
        var number = decisive is { Allow: false } deny && deny.RuleNumber <= 100 ? deny.RuleNumber - 1 : 100;
        while (number > 1 && acl.Entries.Any(x => x.Egress == egress && x.RuleNumber == number))
        {
            number--;
        }

        return Math.Max(number, 1);
    }

    /// <summary>
    /// The service's target group as read: its health-check port, the container port and the load balancers' groups.
    /// When the service names its target groups, one of them is used: a target group read because the stop message
    /// named it, but that the service does not send traffic to, does not reach a command.
    /// </summary>
    private static CommandTargets WithLoadBalancer(CommandTargets t, InfrastructureContext context)
    {
        var service = context.Service;
        var bound = service?.LoadBalancers.Select(l => l.TargetGroupArn).OfType<string>().ToList() ?? [];
        var tg = context.LoadBalancer?.TargetGroup is { } read && (bound.Count == 0 || bound.Contains(read.TargetGroupArn, StringComparer.Ordinal)) ? read : null;
        var lb = context.LoadBalancer is { TargetGroup: not null } && tg is null ? null : context.LoadBalancer;
        var binding = service?.LoadBalancers.FirstOrDefault(l => tg is null || l.TargetGroupArn == tg.TargetGroupArn);
        return t with
        {
            TargetGroupArn = tg?.TargetGroupArn ?? binding?.TargetGroupArn,
            HealthCheckPort = tg?.HealthCheckPort,
            ContainerPort = binding?.ContainerPort,
            LoadBalancerGroups = [.. lb?.LoadBalancers.SelectMany(l => l.SecurityGroups).Distinct(StringComparer.Ordinal) ?? []],
            HealthCheckCodeMismatch = lb?.Targets.Any(x => string.Equals(x.Reason, "Target.ResponseCodeMismatch", StringComparison.Ordinal)) == true,
        };
    }

    /// <summary>The task definition's file system and a task subnet whose zone has no mount target of it.</summary>
    private static CommandTargets WithEfs(CommandTargets t, InfrastructureContext context)
    {
        var fileSystem = context.TaskDefinition?.EfsVolumes.Select(v => v.FileSystemId).FirstOrDefault();
        if (fileSystem is null)
        {
            return t;
        }

        var without = context.Efs is { } efs && efs.MountTargets.TryGetValue(fileSystem, out var targets)
            ? efs.TaskSubnets.FirstOrDefault(s => targets.All(m => m.AvailabilityZone != s.AvailabilityZone))?.SubnetId
            : null;
        return t with { FileSystemId = fileSystem, SubnetWithoutMountTarget = without };
    }

    /// <summary>The ids a service or deployment event's checks found: subnets by free addresses, providers, deployments.</summary>
    private static CommandTargets WithServiceEvent(CommandTargets t, InfrastructureContext context)
    {
        var service = context.Service;
        t = t with
        {
            TaskDefinition = t.TaskDefinition ?? context.ServiceEvent?.TaskDefinitionArn ?? service?.TaskDefinitionArn,
            AssignPublicIp = service?.Network?.AssignPublicIp,
            CircuitBreaker = service?.CircuitBreaker,
            MaximumPercent = service?.MaximumPercent,
            MinimumHealthyPercent = service?.MinimumHealthyPercent,
            ScalingProviders = [.. context.ServiceEvent?.CapacityProviders?.Found.Where(p => p.AutoScalingGroupName is not null) ?? []],
        };

        if (service?.Network?.Subnets is { Count: > 0 } subnets && context.Network is { } network)
        {
            var enough = Math.Max(service.DesiredCount, 1);
            bool Roomy(string id) => network.Subnets.FirstOrDefault(x => x.SubnetId == id) is { } found && found.AvailableIpAddressCount >= enough;
            t = t with { ShortSubnets = [.. subnets.Where(id => !Roomy(id))], RoomySubnets = [.. subnets.Where(Roomy)] };
        }

        if (service is not null && t.DeploymentId is { } id)
        {
            var failed = service.Deployments.FirstOrDefault(d => d.Id == id);
            var primary = service.Deployments.FirstOrDefault(d => d.Id != id && string.Equals(d.Status, "PRIMARY", StringComparison.OrdinalIgnoreCase));
            var other = primary ?? service.Deployments.FirstOrDefault(d => d.Id != id && d.TaskDefinitionArn is not null && d.TaskDefinitionArn != failed?.TaskDefinitionArn);
            t = t with
            {
                PreviousTaskDefinition = other?.TaskDefinitionArn,
                RolledBack = primary is not null && service.CircuitBreaker is { Enable: true, Rollback: true },
            };
        }

        return t;
    }
}

/// <summary>
/// The catalogue of remedies as copy-paste AWS CLI commands, filled with the real ids of the stopped task. Each step
/// names its fix, whether it changes the account or only reads it, and the <see cref="Fact"/> a read looks up, so
/// that the advisory's plan (<see cref="Remedy"/>) can lead with the proven fix and leave out what a finding answers.
/// A command carries only ids the diagnosis or the event's own fields named, never a value read out of a stop message:
/// where the infrastructure was not read, the argument is a quoted placeholder the person fills ('&lt;image&gt;'), and
/// where the stop message names another value than the task definition or the service, theirs is used.
/// </summary>
public static class NextSteps
{
    public static IReadOnlyList<NextStep> For(TaskStoppedEvent? e, ClassificationResult c, InfrastructureContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        var t = CommandTargets.From(e, c, context);
        var steps = new List<NextStep>
        {
            e is { Kind: not EventKind.TaskStopped }
                ? NextStep.Check($"Read the service's latest events{(e.DeploymentId is { } d ? $" and the state of deployment {d}" : "")}", Fact.StopCause,
                    "aws", "ecs", "describe-services", "--region", t.Region, "--cluster", t.Cluster, "--services", Service(t), "--query", "services[0].{events:events[:10].message,deployments:deployments[].{id:id,status:status,rolloutState:rolloutState,rolloutStateReason:rolloutStateReason,failedTasks:failedTasks}}")
                : NextStep.Check("Read the full stop reason of the task (stopped tasks stay visible for about an hour)", Fact.StopCause,
                    "aws", "ecs", "describe-tasks", "--region", t.Region, "--cluster", t.Cluster, "--tasks", t.TaskArn, "--query", "tasks[0].{stopCode:stopCode,stoppedReason:stoppedReason,containers:containers[].{name:name,reason:reason,exitCode:exitCode}}"),
        };

        if (!c.Actionable)
        {
            return steps;
        }

        foreach (var fix in c.Fixes)
        {
            steps.AddRange(ForFix(fix, t, c));
        }

        return steps;
    }

    /// <summary>
    /// The commands of one fix for <c>doctor</c> (no stopped task): filled from the checked service or task
    /// definition and what was gathered about it.
    /// </summary>
    public static IReadOnlyList<NextStep> ForDoctor(string fix, DiagnosisTarget target, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(fix);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var td = context.TaskDefinition;
        var containers = td?.Containers ?? [];
        var secrets = containers.SelectMany(x => x.SecretValueFrom).ToList();
        var c = new ClassificationResult
        {
            Category = secrets.Count > 0 ? Category.SecretsNetwork : Category.ImagePullNetwork,
            Family = secrets.Count > 0 ? "secrets" : "doctor",
            Actionable = true,
            Summary = "",
            Confidence = 1,
            Rule = "doctor",
            Fixes = [fix],
            Evidence = new Evidence
            {
                Image = containers.Select(x => x.Image).FirstOrDefault(i => i is not null),
                SecretArns = secrets.Count > 0 ? secrets : null,
                FileSystemId = td?.EfsVolumes.Select(v => v.FileSystemId).FirstOrDefault(),
                LogGroup = containers.Select(x => x.LogOptions.GetValueOrDefault("awslogs-group")).FirstOrDefault(g => g is not null),
            },
        };
        var t = CommandTargets.From(null, c, context, target.Region) with
        {
            Cluster = target.Cluster ?? "<cluster>",
            Service = target.ServiceName,
            TaskDefinition = td?.TaskDefinitionArn ?? target.TaskDefinitionArn,
            Subnet = target.Subnets.Count > 0 ? target.Subnets[0] : null,
            Subnets = target.Subnets,
            SecurityGroups = target.SecurityGroups,
        };
        return [.. ForFix(fix, t, c)];
    }

    /// <summary>Every area's manual steps; each fix id is one area's.</summary>
    internal static IReadOnlyList<IFixSteps> Areas { get; } =
    [
        new HealthSteps(),
        new NetworkPathSteps(),
        new ExecutionRoleSteps(),
        new SecretKeySteps(),
        new EfsSteps(),
        new LogsSteps(),
        new RegistrySteps(),
        new PlacementSteps(),
        new ContainerSteps(),
        new AccountSteps(),
    ];

    private static readonly FrozenDictionary<string, IFixSteps> ByFix =
        Areas.SelectMany(area => area.Fixes.Select(fix => (fix, area))).ToFrozenDictionary(x => x.fix, x => x.area, StringComparer.Ordinal);

    private static IEnumerable<NextStep> ForFix(string fix, CommandTargets t, ClassificationResult c) =>
        ByFix.TryGetValue(fix, out var area)
            ? area.Steps(fix, t, c).Select(step => step with { Fix = fix })
            : throw new ArgumentOutOfRangeException(nameof(fix), fix, "a fix id without manual steps");
}
