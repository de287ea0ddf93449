using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;

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

    private static string Service(CommandTargets t) => t.Service ?? "<service>";

    private static string TaskDef(CommandTargets t) => t.TaskDefinition ?? "<task-definition>";

    private static string Subnet(CommandTargets t) => t.Subnet ?? "<subnet-id>";

    private static string Vpc(CommandTargets t) => t.VpcId ?? "<vpc-id>";

    private static string RouteTable(CommandTargets t) => t.RouteTableId ?? "<route-table-id>";

    private static string Role(CommandTargets t) => t.ExecutionRoleName ?? "<execution-role-name>";

    private static IReadOnlyList<string> Groups(CommandTargets t) => t.SecurityGroups.Count > 0 ? t.SecurityGroups : ["<task-security-group-id>"];

    private static IReadOnlyList<string> Subnets(CommandTargets t) => t.Subnets.Count > 0 ? t.Subnets : [Subnet(t)];

    /// <summary>The target group the service was read with, else the placeholder (never the stop message's).</summary>
    private static string TargetGroup(CommandTargets t) => t.TargetGroupArn ?? "<target-group-arn>";

    /// <summary>The image as the event's container or the task definition names it, else the placeholder (never the stop message's).</summary>
    private static string Image(CommandTargets t) => t.Image ?? "<image>";

    /// <summary>The task definition's file system, else the placeholder (never the stop message's).</summary>
    private static string FileSystem(CommandTargets t) => t.FileSystemId ?? "<file-system-id>";

    /// <summary>
    /// The secrets and parameters to look up: those of the task definition the stop message names, else all of the
    /// task definition's, else the placeholder. A secret is named by its own ARN (without a JSON key, stage or version).
    /// </summary>
    private static IReadOnlyList<string> SecretsToCheck(CommandTargets t, ClassificationResult c)
    {
        var known = t.SecretReferences.Count > 0 ? t.SecretReferences : t.SecretArns;
        var named = known.Where(k => (c.Evidence.SecretArns ?? []).Any(a => string.Equals(a, k, StringComparison.Ordinal)
            || (Diagnosis.RolePermissions.IsSecretsManager(k) && string.Equals(a, Diagnosis.RolePermissions.SecretArn(k), StringComparison.Ordinal)))).ToList();
        IEnumerable<string> chosen = named.Count > 0 ? named : known;
        return [.. chosen.Select(k => Diagnosis.RolePermissions.IsSecretsManager(k) ? Diagnosis.RolePermissions.SecretArn(k) : k)
            .Distinct(StringComparer.Ordinal)
            .DefaultIfEmpty("<secret-or-parameter-arn>")];
    }

    /// <summary>An awsvpcConfiguration in the CLI's shorthand (one argument).</summary>
    private static string NetworkConfiguration(IReadOnlyList<string> subnets, IReadOnlyList<string> groups, bool assignPublicIp) =>
        $"awsvpcConfiguration={{subnets=[{string.Join(',', subnets)}],securityGroups=[{string.Join(',', groups)}],assignPublicIp={(assignPublicIp ? "ENABLED" : "DISABLED")}}}";

    /// <summary>An identity policy allowing <paramref name="actions"/> on exactly <paramref name="resources"/>, serialised.</summary>
    private static string AllowPolicy(IReadOnlyList<string> actions, IReadOnlyList<string> resources)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteStartArray("Action");
            foreach (var action in actions)
            {
                w.WriteStringValue(action);
            }

            w.WriteEndArray();
            w.WriteStartArray("Resource");
            foreach (var resource in resources)
            {
                w.WriteStringValue(resource);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IEnumerable<NextStep> ForFix(string fix, CommandTargets t, ClassificationResult c) =>
        Steps(fix, t, c).Select(step => step with { Fix = fix });

    private static IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        var cl = t.Cluster;
        switch (fix)
        {
            case FixId.RaiseHealthCheckGrace:
                yield return NextStep.Change("Give the application more time before load balancer health checks count (seconds)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--health-check-grace-period-seconds", "120");
                break;
            case FixId.FixHealthCheck when t.TargetGroupArn is not null || c.Evidence.TargetGroupArn is not null:
                var tg = TargetGroup(t);
                if (t.TargetGroupArn is { } diagnosed && t.ContainerPort is { } port && int.TryParse(t.HealthCheckPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var probed) && probed != port)
                {
                    yield return NextStep.Change(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Health-check the port ECS registers the targets on ({port}) instead of {probed}"),
                        "aws", "elbv2", "modify-target-group", "--region", r, "--target-group-arn", diagnosed, "--health-check-port", "traffic-port");
                }

                if (t.TargetGroupArn is { } mismatched && t.HealthCheckCodeMismatch)
                {
                    yield return NextStep.Change("Health-check a path the application answers with 200-399 (replace '<health-check-path>')",
                        "aws", "elbv2", "modify-target-group", "--region", r, "--target-group-arn", mismatched, "--health-check-path", "<health-check-path>", "--matcher", "HttpCode=200-399");
                }

                yield return NextStep.Check("Check the target group's health check path, port, matcher and thresholds", Fact.TargetGroupHealthCheck,
                    "aws", "elbv2", "describe-target-groups", "--region", r, "--target-group-arns", tg, "--query", "TargetGroups[0].{path:HealthCheckPath,port:HealthCheckPort,protocol:HealthCheckProtocol,matcher:Matcher.HttpCode,interval:HealthCheckIntervalSeconds,timeout:HealthCheckTimeoutSeconds,unhealthyThreshold:UnhealthyThresholdCount}");
                yield return NextStep.Check("See why the targets are unhealthy (Target.Timeout, Target.ResponseCodeMismatch, …)", Fact.TargetHealth,
                    "aws", "elbv2", "describe-target-health", "--region", r, "--target-group-arn", tg);
                break;
            case FixId.FixHealthCheck:
            case FixId.RaiseContainerHealthStartPeriod:
                yield return NextStep.Check("Check the container health check command and its start period", Fact.ContainerHealthCheck,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,healthCheck:healthCheck,portMappings:portMappings}");
                break;
            case FixId.BindAllInterfaces:
                yield return NextStep.Check("From inside a running task, check that the application listens on 0.0.0.0 and answers its health path", null,
                    "aws", "ecs", "execute-command", "--region", r, "--cluster", cl, "--task", "<running-task-id>", "--container", t.ContainerName ?? "<container>", "--interactive", "--command", "/bin/sh");
                break;
            case FixId.OpenSecurityGroup:
                foreach (var step in OpenSecurityGroup(t, c))
                {
                    yield return step;
                }

                break;
            case FixId.EnableAssignPublicIp:
                yield return NextStep.Change("Public subnet only: give the Fargate tasks a public IP so they can use the internet gateway",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(Subnets(t), Groups(t), assignPublicIp: true));
                break;
            case FixId.AddNatRoute:
                yield return NextStep.Check("Check where the task's subnet sends 0.0.0.0/0 (internet gateway igw-…, NAT gateway nat-…, or nowhere)", Fact.SubnetRoute,
                    "aws", "ec2", "describe-route-tables", "--region", r, "--filters", $"Name=association.subnet-id,Values={Subnet(t)}", "--query", "RouteTables[].Routes[]");
                yield return NextStep.Change(t.NatGatewayId is null
                        ? "Route 0.0.0.0/0 through a NAT gateway that sits in a public subnet (replace '<nat-gateway-id>'; aws ec2 create-nat-gateway makes one)"
                        : $"Route 0.0.0.0/0 through NAT gateway {t.NatGatewayId}",
                    "aws", "ec2", "create-route", "--region", r, "--route-table-id", RouteTable(t), "--destination-cidr-block", "0.0.0.0/0", "--nat-gateway-id", t.NatGatewayId ?? "<nat-gateway-id>");
                break;
            case FixId.AddVpcEndpoints:
                yield return NextStep.Check("Find the VPC of the task's subnet", Fact.SubnetVpc,
                    "aws", "ec2", "describe-subnets", "--region", r, "--subnet-ids", Subnet(t), "--query", "Subnets[0].VpcId");
                yield return NextStep.Check("List the VPC endpoints that already exist", Fact.VpcEndpoints,
                    "aws", "ec2", "describe-vpc-endpoints", "--region", r, "--filters", $"Name=vpc-id,Values={Vpc(t)}", "--query", "VpcEndpoints[*].[ServiceName,VpcEndpointType,State]");
                foreach (var service in t.MissingEndpoints ?? CategoryTable.Of(c.Category).EndpointServices)
                {
                    if (service != "s3")
                    {
                        yield return NextStep.Change($"Add the {service} interface endpoint with private DNS, in a security group that allows 443 from the task",
                            ["aws", "ec2", "create-vpc-endpoint", "--region", r, "--vpc-id", Vpc(t), "--vpc-endpoint-type", "Interface", "--service-name", $"com.amazonaws.{t.Region}.{service}", "--subnet-ids", .. Subnets(t), "--security-group-ids", "<endpoint-security-group-id>", "--private-dns-enabled"]);
                    }
                    else if (t.S3GatewayOffTable is { } s3)
                    {
                        yield return NextStep.Change($"Put the S3 gateway endpoint {s3} (image layers are served from S3) on the task's route table",
                            "aws", "ec2", "modify-vpc-endpoint", "--region", r, "--vpc-endpoint-id", s3, "--add-route-table-ids", RouteTable(t));
                    }
                    else
                    {
                        yield return NextStep.Change("Add the S3 gateway endpoint (image layers are served from S3) to the task's route tables",
                            "aws", "ec2", "create-vpc-endpoint", "--region", r, "--vpc-id", Vpc(t), "--vpc-endpoint-type", "Gateway", "--service-name", $"com.amazonaws.{t.Region}.s3", "--route-table-ids", RouteTable(t));
                    }
                }

                break;
            case FixId.GrantExecutionRolePermissions:
                yield return NextStep.Check("Find the task execution role", Fact.ExecutionRole,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.executionRoleArn");
                if (t.ExecutionRolePolicy is { } policy)
                {
                    yield return NextStep.Change("Grant the execution role exactly what the policy simulator found missing",
                        "aws", "iam", "put-role-policy", "--role-name", Role(t), "--policy-name", "ecs-task-start", "--policy-document", policy);
                }
                else if (c.Family == "secrets")
                {
                    IReadOnlyList<string> resources = t.SecretArns.Count > 0 ? t.SecretArns : ["<secret-or-parameter-arn>"];
                    var document = AllowPolicy(["secretsmanager:GetSecretValue", "ssm:GetParameters"], resources);
                    yield return NextStep.Change(t.SecretArns.Count > 0
                            ? "Allow the execution role to read exactly the secrets and parameters of the task definition"
                            : "Allow the execution role to read exactly the task's secrets and parameters (replace '<secret-or-parameter-arn>' with their ARNs)",
                        "aws", "iam", "put-role-policy", "--role-name", Role(t), "--policy-name", "ecs-task-secrets", "--policy-document", document);
                }
                else
                {
                    yield return NextStep.Change("Attach the AWS managed execution policy (ECR pull and CloudWatch Logs write)",
                        "aws", "iam", "attach-role-policy", "--role-name", Role(t), "--policy-arn", $"arn:{ArnParts.PartitionOf(t.Region)}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
                }

                break;
            case FixId.EnableKmsKey:
                var key = t.UnusableKey?.KeyArn ?? "<kms-key-arn>";
                yield return NextStep.Check("Show the state of the KMS key that encrypts the task's secrets", Fact.KeyState,
                    "aws", "kms", "describe-key", "--region", r, "--key-id", key, "--query", "KeyMetadata.{state:KeyState,deletionDate:DeletionDate,origin:Origin,keyStore:CustomKeyStoreId}");
                switch (t.UnusableKey?.KeyState)
                {
                    case "PendingImport":
                        yield return NextStep.Change("The key has no key material: get the wrapping key and import token, then import the material",
                            "aws", "kms", "get-parameters-for-import", "--region", r, "--key-id", key, "--wrapping-algorithm", "RSAES_OAEP_SHA_256", "--wrapping-key-spec", "RSA_4096");
                        break;
                    case "Unavailable":
                        yield return NextStep.Change("The key lives in a custom key store that is disconnected: reconnect it",
                            "aws", "kms", "connect-custom-key-store", "--region", r, "--custom-key-store-id", "<custom-key-store-id>");
                        break;
                    case "Creating" or "Updating":
                        yield return NextStep.Check("The key is being created or updated: wait until its state is Enabled, then start the tasks again", null,
                            "aws", "kms", "describe-key", "--region", r, "--key-id", key, "--query", "KeyMetadata.KeyState");
                        break;
                    default:
                        if (t.UnusableKey?.KeyState is null or "PendingDeletion" or "PendingReplicaDeletion")
                        {
                            yield return NextStep.Change("Cancel the scheduled deletion of the key (it is then Disabled)",
                                "aws", "kms", "cancel-key-deletion", "--region", r, "--key-id", key);
                        }

                        yield return NextStep.Change("Enable the key so the execution role can decrypt the secrets again",
                            "aws", "kms", "enable-key", "--region", r, "--key-id", key);
                        break;
                }

                break;
            case FixId.GrantTaskRolePermissions:
                yield return NextStep.Check("Find the task role used for EFS IAM authorization", Fact.TaskRole,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{taskRoleArn:taskRoleArn,volumes:volumes[].efsVolumeConfiguration}");
                yield return NextStep.Check("Read the file system policy that refused the mount", null,
                    "aws", "efs", "describe-file-system-policy", "--region", r, "--file-system-id", FileSystem(t));
                break;
            case FixId.CreateLogGroup:
                yield return NextStep.Check("Find the log group the awslogs driver writes to", Fact.LogGroup,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].logConfiguration.options");
                yield return NextStep.Change(t.LogGroup is null ? "Create it (replace '<log-group>' with the awslogs-group of the task definition)" : $"Create log group {t.LogGroup}",
                    "aws", "logs", "create-log-group", "--region", r, "--log-group-name", t.LogGroup ?? "<log-group>");
                break;
            case FixId.FixImageReference:
                yield return ImageCheck(r, Image(t));
                break;
            case FixId.UsePullThroughCache:
                yield return NextStep.Change("Pull Docker Hub images through an ECR pull-through cache (authenticated, not rate limited per task IP)",
                    "aws", "ecr", "create-pull-through-cache-rule", "--region", r, "--ecr-repository-prefix", "docker-hub", "--upstream-registry-url", "registry-1.docker.io", "--credential-arn", "<docker-hub-secret-arn>");
                break;
            case FixId.MatchRuntimePlatform:
                yield return NextStep.Check("Compare the task's runtime platform with the image's platforms", Fact.RuntimePlatform,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.runtimePlatform");
                yield return NextStep.Check("List the platforms the image was built for", Fact.ImagePlatforms,
                    "docker", "manifest", "inspect", Image(t));
                break;
            case FixId.RaiseMemory:
                yield return NextStep.Check("Check the task and container memory limits", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{cpu:cpu,memory:memory,containers:containerDefinitions[].{name:name,memory:memory,memoryReservation:memoryReservation}}");
                break;
            case FixId.UpgradePlatformVersion:
                yield return NextStep.Change("Run the service on the latest Fargate platform version (EFS needs 1.4.0 or later)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--platform-version", "LATEST");
                break;
            case FixId.AddEfsMountTarget:
                yield return NextStep.Check("List the file system's mount targets (one is needed in the task's Availability Zone)", Fact.MountTargets,
                    "aws", "efs", "describe-mount-targets", "--region", r, "--file-system-id", FileSystem(t));
                yield return NextStep.Change("Create a mount target in the task's subnet (replace '<mount-target-security-group-id>' with a group that allows TCP 2049 from the task)",
                    "aws", "efs", "create-mount-target", "--region", r, "--file-system-id", FileSystem(t), "--subnet-id", t.SubnetWithoutMountTarget ?? Subnet(t), "--security-groups", "<mount-target-security-group-id>");
                break;
            case FixId.OpenNetworkAcl:
                var acl = t.NetworkAclId ?? "<network-acl-id>";
                yield return NextStep.Check("Read the network ACL of the task's subnet (rules are evaluated in order; the first match decides)", Fact.NetworkAcl,
                    "aws", "ec2", "describe-network-acls", "--region", r, "--filters", $"Name=association.subnet-id,Values={Subnet(t)}", "--query", "NetworkAcls[0].{id:NetworkAclId,entries:Entries}");
                yield return NextStep.Chain(t.NetworkAclId is null
                        ? "Allow outbound HTTPS and the inbound return ports (replace '<network-acl-id>'; pick free rule numbers below any deny rule)"
                        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Allow outbound HTTPS and the inbound return ports in {acl} with rules {t.EgressRuleNumber} and {t.IngressRuleNumber}, ahead of the rules that deny them (pick other numbers if these are taken)"),
                    ["aws", "ec2", "create-network-acl-entry", "--region", r, "--network-acl-id", acl, "--egress", "--rule-number", Number(t.EgressRuleNumber), "--protocol", "tcp", "--port-range", "From=443,To=443", "--cidr-block", "0.0.0.0/0", "--rule-action", "allow"],
                    ["aws", "ec2", "create-network-acl-entry", "--region", r, "--network-acl-id", acl, "--ingress", "--rule-number", Number(t.IngressRuleNumber), "--protocol", "tcp", "--port-range", "From=1024,To=65535", "--cidr-block", "0.0.0.0/0", "--rule-action", "allow"])
                    with { Kind = StepKind.Change };
                break;
            case FixId.EnableVpcDns:
                yield return NextStep.Chain("Turn on DNS resolution and DNS hostnames in the task's VPC (interface endpoints and EFS need both)",
                    ["aws", "ec2", "modify-vpc-attribute", "--region", r, "--vpc-id", Vpc(t), "--enable-dns-support", "{\"Value\":true}"],
                    ["aws", "ec2", "modify-vpc-attribute", "--region", r, "--vpc-id", Vpc(t), "--enable-dns-hostnames", "{\"Value\":true}"])
                    with { Kind = StepKind.Change };
                break;
            case FixId.FreeSubnetAddresses:
                yield return NextStep.Check(t.Subnets.Count > 1 ? "Check the free IP addresses of the service's subnets" : "Check the free IP addresses of the task's subnet", Fact.SubnetAddresses,
                    "aws", "ec2", "describe-subnets", "--region", r, "--filters", $"Name=subnet-id,Values={string.Join(',', Subnets(t))}",
                    "--query", "Subnets[].{id:SubnetId,free:AvailableIpAddressCount,cidr:CidrBlock,zone:AvailabilityZone}");
                if (t.Service is not null && t.AssignPublicIp is { } publicIp && t.ShortSubnets.Count > 0)
                {
                    yield return t.RoomySubnets.Count > 0
                        ? NextStep.Change("Place the service's tasks only in its subnets with free addresses (add a new subnet to the list if they are too few)",
                            "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(t.RoomySubnets, Groups(t), publicIp))
                        : NextStep.Change("Give the service a subnet with free addresses (replace '<subnet-with-free-addresses>'; it must be in the same VPC)",
                            "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(["<subnet-with-free-addresses>"], Groups(t), publicIp));
                }

                yield return NextStep.Check("See what holds the addresses: a network interface in status available is attached to nothing and can be deleted (aws ec2 delete-network-interface)", null,
                    "aws", "ec2", "describe-network-interfaces", "--region", r, "--filters", $"Name=subnet-id,Values={string.Join(',', t.ShortSubnets.Count > 0 ? t.ShortSubnets : Subnets(t))}",
                    "--query", "NetworkInterfaces[].{id:NetworkInterfaceId,status:Status,type:InterfaceType,description:Description}");
                break;
            case FixId.UseActiveTaskDefinition:
                var family = ArnParts.FamilyOf(t.TaskDefinition) ?? "<family>";
                yield return NextStep.Check("Check the task definition's status (ACTIVE, INACTIVE or DELETE_IN_PROGRESS; a deleted one cannot be described)", Fact.TaskDefinitionStatus,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{status:status,revision:revision,deregisteredAt:deregisteredAt}");
                yield return NextStep.Check($"List the ACTIVE revisions of {family}, newest first", null,
                    "aws", "ecs", "list-task-definitions", "--region", r, "--family-prefix", family, "--status", "ACTIVE", "--sort", "DESC", "--max-items", "5");
                yield return NextStep.Change("Point the service at an ACTIVE revision (replace '<revision>'; or register a new one first with aws ecs register-task-definition)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--task-definition", $"{family}:<revision>");
                break;
            case FixId.EnableManagedScaling:
                foreach (var provider in t.ScalingProviders.Where(p => !p.ManagedScalingEnabled).DefaultIfEmpty())
                {
                    var name = provider?.Name ?? "<capacity-provider>";
                    yield return NextStep.Change($"Let ECS grow the Auto Scaling group{(provider?.AutoScalingGroupName is { } g ? $" {g}" : "")} of capacity provider {name} for the tasks it has to place",
                        "aws", "ecs", "update-capacity-provider", "--region", r, "--name", name, "--auto-scaling-group-provider", "managedScaling={status=ENABLED,targetCapacity=100}");
                }

                break;
            case FixId.RollBackDeployment:
                var deployment = t.DeploymentId ?? "<deployment-id>";
                if (!t.RolledBack)
                {
                    yield return NextStep.Change(t.PreviousTaskDefinition is null
                            ? "Roll the service back by hand to the revision that last ran (replace '<previous-task-definition>')"
                            : "Roll the service back by hand to the revision its other deployment runs",
                        "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--task-definition", t.PreviousTaskDefinition ?? "<previous-task-definition>");
                }

                if (t.CircuitBreaker is not { Enable: true, Rollback: true })
                {
                    yield return NextStep.Change("Let the circuit breaker roll a failed deployment back by itself",
                        "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--deployment-configuration",
                        string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"deploymentCircuitBreaker={{enable=true,rollback=true}},maximumPercent={t.MaximumPercent ?? 200},minimumHealthyPercent={t.MinimumHealthyPercent ?? 100}"));
                }

                yield return NextStep.Check($"List the stopped tasks of deployment {deployment} (visible for about an hour), then describe them for their stop reasons", null,
                    "aws", "ecs", "list-tasks", "--region", r, "--cluster", cl, "--started-by", deployment, "--desired-status", "STOPPED");
                break;
            case FixId.FreeImageStorage:
                yield return NextStep.Check("Compare the image's size with the task's ephemeral storage (Fargate: 20 GiB unless ephemeralStorage raises it, up to 200)", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{ephemeralStorage:ephemeralStorage,images:containerDefinitions[].image}");
                yield return NextStep.Check("On EC2, find the container instance that ran the task, then free its Docker or containerd volume (unused images, stopped containers) or give it a larger data volume", null,
                    "aws", "ecs", "describe-tasks", "--region", r, "--cluster", cl, "--tasks", t.TaskArn, "--query", "tasks[0].{launchType:launchType,containerInstanceArn:containerInstanceArn}");
                break;
            case FixId.RebuildImage:
                yield return NextStep.Check("Inspect the image's manifest: attestation or zstd layers an old runtime cannot apply show up here", null,
                    "docker", "buildx", "imagetools", "inspect", Image(t));
                yield return NextStep.Change("Rebuild and push the image as one plain manifest per platform, without provenance or SBOM attestations",
                    "docker", "buildx", "build", "--provenance=false", "--sbom=false", "--platform", "linux/amd64", "--tag", Image(t), "--push", ".");
                break;
            case FixId.AddClusterCapacity:
                foreach (var provider in t.ScalingProviders.DistinctBy(p => p.AutoScalingGroupName))
                {
                    var group = provider.AutoScalingGroupName!;
                    yield return NextStep.Change($"Give {group} instances (replace the placeholders; the maximum bounds the desired capacity); they join cluster {cl} through the ECS agent",
                        "aws", "autoscaling", "update-auto-scaling-group", "--region", r, "--auto-scaling-group-name", group, "--max-size", "<max-size>", "--desired-capacity", "<instances>");
                    yield return NextStep.Check($"Check the Auto Scaling group {group} behind capacity provider {provider.Name}: its sizes and its instances", null,
                        "aws", "autoscaling", "describe-auto-scaling-groups", "--region", r, "--auto-scaling-group-names", group,
                        "--query", "AutoScalingGroups[0].{desired:DesiredCapacity,min:MinSize,max:MaxSize,instances:Instances[].{id:InstanceId,state:LifecycleState,health:HealthStatus}}");
                }

                yield return NextStep.Check("Read the service's latest events: the placement failure names the missing resource (CPU, memory, ENI, ports, capacity provider)", Fact.StopCause,
                    "aws", "ecs", "describe-services", "--region", r, "--cluster", cl, "--services", Service(t), "--query", "services[0].{capacityProviderStrategy:capacityProviderStrategy,launchType:launchType,events:events[:5].message}");
                yield return NextStep.Check("Check the cluster's capacity providers and registered instances", Fact.ClusterCapacity,
                    "aws", "ecs", "describe-clusters", "--region", r, "--clusters", cl, "--query", "clusters[0].{capacityProviders:capacityProviders,defaultStrategy:defaultCapacityProviderStrategy,instances:registeredContainerInstancesCount,pending:pendingTasksCount}");
                yield return NextStep.Check("List the container instances (EC2), then describe them for their free CPU, memory and ports", Fact.ContainerInstances,
                    "aws", "ecs", "list-container-instances", "--region", r, "--cluster", cl, "--query", "containerInstanceArns");
                break;
            case FixId.FixPlacementConstraints:
                yield return NextStep.Check("Compare the task's placement constraints and required attributes with the container instances", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{placementConstraints:placementConstraints,requiresAttributes:requiresAttributes[].name,cpu:cpu,memory:memory,networkMode:networkMode}");
                break;
            case FixId.FixContainerCommand:
                yield return NextStep.Check("Check the container's entry point, command and image", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,image:image,entryPoint:entryPoint,command:command}");
                break;
            case FixId.InspectContainerLogs:
                yield return NextStep.Check("Find the container's log configuration, then read its last lines", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,logConfiguration:logConfiguration}");
                break;
            case FixId.FixSecretReference:
                foreach (var arn in SecretsToCheck(t, c))
                {
                    yield return arn.Contains(":ssm:", StringComparison.Ordinal) || !(arn.StartsWith("arn:", StringComparison.Ordinal) || arn.StartsWith('<'))
                        ? NextStep.Check("Check that the parameter exists", null, "aws", "ssm", "get-parameters", "--region", r, "--names", arn, "--query", "InvalidParameters")
                        : NextStep.Check("Check that the secret exists", null, "aws", "secretsmanager", "describe-secret", "--region", r, "--secret-id", arn);
                }

                break;
            case FixId.DeployMemberRole:
                var role = t.MemberRole ?? Diagnosis.AccountChecks.DefaultMemberRole;
                var account = t.Account ?? "<account-id>";
                yield return NextStep.Run($"In account {account}, see whether role {role} exists and whom it trusts (the central function's role must be named in aws:PrincipalArn)",
                    "aws", "iam", "get-role", "--role-name", role, "--query", "Role.AssumeRolePolicyDocument");
                yield return NextStep.Run($"Deploy the member stack to account {account}: add it to the organizational unit of the member StackSet, or deploy it there alone",
                    "aws", "cloudformation", "create-stack-instances", "--stack-set-name", "ecs-remediator-member", "--regions", r,
                    "--deployment-targets", $"OrganizationalUnitIds=<ou-id>,Accounts={account},AccountFilterType=INTERSECTION");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "a fix id without manual steps");
        }
    }

    /// <summary>
    /// Opening a security group: the rule the diagnosis proved missing (the endpoints' inbound 443 from the task,
    /// the task's outbound 443, the task's inbound from the load balancer), then the reads for what it could not tell.
    /// </summary>
    private static IEnumerable<NextStep> OpenSecurityGroup(CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        foreach (var group in t.ClosedEndpointGroups)
        {
            yield return NextStep.Change($"Let the task's HTTPS into the endpoints' security group {group}",
                ["aws", "ec2", "authorize-security-group-ingress", "--region", r, "--group-id", group, "--ip-permissions", GroupPermission(443, Groups(t))]);
        }

        var health = Category.FamilyOf(c.Category) == "health";
        if (health && t.ContainerPort is { } port && t.LoadBalancerGroups.Count > 0)
        {
            foreach (var group in Groups(t))
            {
                yield return NextStep.Change(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Let the load balancer reach the container port {port} in the task's security group {group}"),
                    ["aws", "ec2", "authorize-security-group-ingress", "--region", r, "--group-id", group, "--ip-permissions", GroupPermission(port, t.LoadBalancerGroups)]);
            }
        }

        yield return NextStep.Check("List the service's subnets and security groups", Fact.ServiceNetwork,
            "aws", "ecs", "describe-services", "--region", r, "--cluster", t.Cluster, "--services", Service(t), "--query", "services[0].networkConfiguration.awsvpcConfiguration");
        yield return NextStep.Check(health
                ? "Check the task security group: inbound from the load balancer's security group on the container port"
                : "Check the task security group: outbound 443 for AWS APIs",
            health ? Fact.TaskIngress : Fact.TaskEgress,
            ["aws", "ec2", "describe-security-groups", "--region", r, "--group-ids", .. Groups(t), "--query", "SecurityGroups[*].{id:GroupId,inbound:IpPermissions,outbound:IpPermissionsEgress}"]);
    }

    /// <summary>One TCP port from the given security groups, in the CLI's shorthand for --ip-permissions (one argument).</summary>
    private static string GroupPermission(int port, IReadOnlyList<string> sourceGroups) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"IpProtocol=tcp,FromPort={port},ToPort={port},UserIdGroupPairs=[{string.Join(',', sourceGroups.Select(g => $"{{GroupId={g}}}"))}]");

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);


    private static NextStep ImageCheck(string region, string image)
    {
        var reference = ImageReference.Parse(image);
        return reference is { IsEcr: true, RegistryId: { } registryId }
            ? NextStep.Check("Check that the repository and tag exist in ECR", Fact.ImageExists,
                "aws", "ecr", "describe-images", "--region", region, "--registry-id", registryId, "--repository-name", reference.Value.Repository,
                "--image-ids", reference.Value.Digest is { } d ? $"imageDigest={d}" : $"imageTag={reference.Value.Tag}")
            : NextStep.Check("Check that the image exists and can be pulled", Fact.ImageExists, "docker", "manifest", "inspect", image);
    }
}
