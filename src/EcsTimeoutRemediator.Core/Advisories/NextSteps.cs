using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>
/// One copy-paste step: what it does and the exact command. A command is built as argv (one or more programs
/// with their arguments, run one after the other with <c>&amp;&amp;</c>) and rendered for a POSIX shell by one
/// quoting function, so a value never becomes shell syntax and a placeholder is quoted (<c>'&lt;acl-id&gt;'</c>).
/// </summary>
public sealed record NextStep(string Title, string Command)
{
    /// <summary>The programs and arguments <see cref="Command"/> was rendered from.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<IReadOnlyList<string>> Argv { get; init; } = [];

    /// <summary>A step that runs <paramref name="argv"/>.</summary>
    public static NextStep Run(string title, params string[] argv) => Chain(title, argv);

    /// <summary>A step that runs each command in turn, the next only when the one before succeeded.</summary>
    public static NextStep Chain(string title, params IReadOnlyList<string>[] commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return new NextStep(title, string.Join(" && ", commands.Select(Shell.Join))) { Argv = commands };
    }
}

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

    public static CommandTargets From(TaskStoppedEvent? e, ClassificationResult c, InfrastructureContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        var t = e is null
            ? new CommandTargets("<region>", "<cluster>", "<service>", "<task-arn>", "<task-definition>", null, c.Evidence.ContainerName)
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
            t = t with { DeploymentId = e.DeploymentId, Account = e.Account.Length > 0 ? e.Account : null };
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
        var role = context.TaskDefinition?.ExecutionRoleArn;
        var logGroup = context.TaskDefinition?.Containers
            .Select(x => x.LogOptions.TryGetValue("awslogs-group", out var g) ? g : null)
            .FirstOrDefault(g => g is not null);
        return t with
        {
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

/// <summary>The catalogue of remedies as copy-paste AWS CLI commands, filled with the real ids of the stopped task.</summary>
public static class NextSteps
{
    public static IReadOnlyList<NextStep> For(TaskStoppedEvent? e, ClassificationResult c, InfrastructureContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        var t = CommandTargets.From(e, c, context);
        var steps = new List<NextStep>
        {
            e is { Kind: not EventKind.TaskStopped }
                ? NextStep.Run($"Read the service's latest events{(e.DeploymentId is { } d ? $" and the state of deployment {d}" : "")}",
                    "aws", "ecs", "describe-services", "--region", t.Region, "--cluster", t.Cluster, "--services", Service(t), "--query", "services[0].{events:events[:10].message,deployments:deployments[].{id:id,status:status,rolloutState:rolloutState,rolloutStateReason:rolloutStateReason,failedTasks:failedTasks}}")
                : NextStep.Run("Read the full stop reason of the task (stopped tasks stay visible for about an hour)",
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
        var t = CommandTargets.From(null, c, context) with
        {
            Region = target.Region,
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

    private static string RouteTable(CommandTargets t) => t.RouteTableId ?? "<rtb-id>";

    private static string Role(CommandTargets t) => t.ExecutionRoleName ?? "<execution-role-name>";

    private static IReadOnlyList<string> Groups(CommandTargets t) => t.SecurityGroups.Count > 0 ? t.SecurityGroups : ["<task-sg-id>"];

    private static IReadOnlyList<string> Subnets(CommandTargets t) => t.Subnets.Count > 0 ? t.Subnets : [Subnet(t)];

    /// <summary>An awsvpcConfiguration in the CLI's shorthand (one argument).</summary>
    private static string NetworkConfiguration(IReadOnlyList<string> subnets, IReadOnlyList<string> groups, bool assignPublicIp) =>
        $"awsvpcConfiguration={{subnets=[{string.Join(',', subnets)}],securityGroups=[{string.Join(',', groups)}],assignPublicIp={(assignPublicIp ? "ENABLED" : "DISABLED")}}}";

    /// <summary>The service's awsvpcConfiguration with a public IP, in the CLI's shorthand (one argument).</summary>
    private static string PublicIpNetworkConfiguration(CommandTargets t) =>
        $"awsvpcConfiguration={{subnets=[{string.Join(',', Subnets(t))}],securityGroups=[{string.Join(',', Groups(t))}],assignPublicIp=ENABLED}}";

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

    private static IEnumerable<NextStep> ForFix(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        var cl = t.Cluster;
        switch (fix)
        {
            case FixId.RaiseHealthCheckGrace:
                yield return NextStep.Run("Give the application more time before load balancer health checks count (seconds)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--health-check-grace-period-seconds", "120");
                break;
            case FixId.FixHealthCheck when c.Evidence.TargetGroupArn is { } tg:
                yield return NextStep.Run("Check the target group's health check path, port, matcher and thresholds",
                    "aws", "elbv2", "describe-target-groups", "--region", r, "--target-group-arns", tg, "--query", "TargetGroups[0].{path:HealthCheckPath,port:HealthCheckPort,protocol:HealthCheckProtocol,matcher:Matcher.HttpCode,interval:HealthCheckIntervalSeconds,timeout:HealthCheckTimeoutSeconds,unhealthyThreshold:UnhealthyThresholdCount}");
                yield return NextStep.Run("See why the targets are unhealthy (Target.Timeout, Target.ResponseCodeMismatch, …)",
                    "aws", "elbv2", "describe-target-health", "--region", r, "--target-group-arn", tg);
                break;
            case FixId.FixHealthCheck:
            case FixId.RaiseContainerHealthStartPeriod:
                yield return NextStep.Run("Check the container health check command and its start period",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,healthCheck:healthCheck,portMappings:portMappings}");
                break;
            case FixId.BindAllInterfaces:
                yield return NextStep.Run("From inside a running task, check that the application listens on 0.0.0.0 and answers its health path",
                    "aws", "ecs", "execute-command", "--region", r, "--cluster", cl, "--task", "<running-task-id>", "--container", t.ContainerName ?? "<container>", "--interactive", "--command", "/bin/sh");
                break;
            case FixId.OpenSecurityGroup:
                yield return NextStep.Run("List the service's subnets and security groups",
                    "aws", "ecs", "describe-services", "--region", r, "--cluster", cl, "--services", Service(t), "--query", "services[0].networkConfiguration.awsvpcConfiguration");
                yield return NextStep.Run("Check the task security group: outbound 443 for AWS APIs, inbound from the load balancer's security group on the container port",
                    ["aws", "ec2", "describe-security-groups", "--region", r, "--group-ids", .. Groups(t), "--query", "SecurityGroups[0].{inbound:IpPermissions,outbound:IpPermissionsEgress}"]);
                break;
            case FixId.EnableAssignPublicIp:
                yield return NextStep.Run("Public subnet only: give the Fargate tasks a public IP so they can use the internet gateway",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", PublicIpNetworkConfiguration(t));
                break;
            case FixId.AddNatRoute:
                yield return NextStep.Run("Check where the task's subnet sends 0.0.0.0/0 (internet gateway igw-…, NAT gateway nat-…, or nowhere)",
                    "aws", "ec2", "describe-route-tables", "--region", r, "--filters", $"Name=association.subnet-id,Values={Subnet(t)}", "--query", "RouteTables[].Routes[]");
                yield return NextStep.Run("Private subnet: route 0.0.0.0/0 through a NAT gateway that sits in a public subnet",
                    "aws", "ec2", "create-route", "--region", r, "--route-table-id", RouteTable(t), "--destination-cidr-block", "0.0.0.0/0", "--nat-gateway-id", t.NatGatewayId ?? "<nat-id>");
                break;
            case FixId.AddVpcEndpoints:
                yield return NextStep.Run("Find the VPC of the task's subnet",
                    "aws", "ec2", "describe-subnets", "--region", r, "--subnet-ids", Subnet(t), "--query", "Subnets[0].VpcId");
                yield return NextStep.Run("List the VPC endpoints that already exist",
                    "aws", "ec2", "describe-vpc-endpoints", "--region", r, "--filters", $"Name=vpc-id,Values={Vpc(t)}", "--query", "VpcEndpoints[*].[ServiceName,VpcEndpointType,State]");
                foreach (var service in EndpointServices(c.Category))
                {
                    yield return service == "s3"
                        ? NextStep.Run("Add the S3 gateway endpoint (image layers are served from S3) to the task's route tables",
                            "aws", "ec2", "create-vpc-endpoint", "--region", r, "--vpc-id", Vpc(t), "--vpc-endpoint-type", "Gateway", "--service-name", $"com.amazonaws.{t.Region}.s3", "--route-table-ids", RouteTable(t))
                        : NextStep.Run($"Add the {service} interface endpoint with private DNS",
                            ["aws", "ec2", "create-vpc-endpoint", "--region", r, "--vpc-id", Vpc(t), "--vpc-endpoint-type", "Interface", "--service-name", $"com.amazonaws.{t.Region}.{service}", "--subnet-ids", .. Subnets(t), "--security-group-ids", "<endpoint-sg-id>", "--private-dns-enabled"]);
                }

                break;
            case FixId.GrantExecutionRolePermissions:
                yield return NextStep.Run("Find the task execution role",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.executionRoleArn");
                if (t.ExecutionRolePolicy is { } policy)
                {
                    yield return NextStep.Run("Grant the execution role exactly what the policy simulator found missing",
                        "aws", "iam", "put-role-policy", "--role-name", Role(t), "--policy-name", "ecs-task-start", "--policy-document", policy);
                }
                else if (c.Family == "secrets")
                {
                    IReadOnlyList<string> resources = c.Evidence.SecretArns is { Count: > 0 } arns ? arns : ["<secret-or-parameter-arn>"];
                    var document = AllowPolicy(["secretsmanager:GetSecretValue", "ssm:GetParameters"], resources);
                    yield return NextStep.Run("Allow the execution role to read exactly the referenced secrets and parameters",
                        "aws", "iam", "put-role-policy", "--role-name", Role(t), "--policy-name", "ecs-task-secrets", "--policy-document", document);
                }
                else
                {
                    yield return NextStep.Run("Attach the AWS managed execution policy (ECR pull and CloudWatch Logs write)",
                        "aws", "iam", "attach-role-policy", "--role-name", Role(t), "--policy-arn", $"arn:{ArnParts.PartitionOf(t.Region)}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
                }

                break;
            case FixId.EnableKmsKey:
                var key = t.UnusableKey?.KeyArn ?? "<kms-key-arn>";
                yield return NextStep.Run("Show the state of the KMS key that encrypts the task's secrets",
                    "aws", "kms", "describe-key", "--region", r, "--key-id", key, "--query", "KeyMetadata.{state:KeyState,deletionDate:DeletionDate,origin:Origin,keyStore:CustomKeyStoreId}");
                switch (t.UnusableKey?.KeyState)
                {
                    case "PendingImport":
                        yield return NextStep.Run("The key has no key material: get the wrapping key and import token, then import the material",
                            "aws", "kms", "get-parameters-for-import", "--region", r, "--key-id", key, "--wrapping-algorithm", "RSAES_OAEP_SHA_256", "--wrapping-key-spec", "RSA_4096");
                        break;
                    case "Unavailable":
                        yield return NextStep.Run("The key lives in a custom key store that is disconnected: reconnect it",
                            "aws", "kms", "connect-custom-key-store", "--region", r, "--custom-key-store-id", "<custom-key-store-id>");
                        break;
                    case "Creating" or "Updating":
                        yield return NextStep.Run("The key is being created or updated: wait until its state is Enabled, then start the tasks again",
                            "aws", "kms", "describe-key", "--region", r, "--key-id", key, "--query", "KeyMetadata.KeyState");
                        break;
                    default:
                        if (t.UnusableKey?.KeyState is null or "PendingDeletion" or "PendingReplicaDeletion")
                        {
                            yield return NextStep.Run("Cancel the scheduled deletion of the key (it is then Disabled)",
                                "aws", "kms", "cancel-key-deletion", "--region", r, "--key-id", key);
                        }

                        yield return NextStep.Run("Enable the key so the execution role can decrypt the secrets again",
                            "aws", "kms", "enable-key", "--region", r, "--key-id", key);
                        break;
                }

                break;
            case FixId.GrantTaskRolePermissions:
                yield return NextStep.Run("Find the task role used for EFS IAM authorization",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{taskRoleArn:taskRoleArn,volumes:volumes[].efsVolumeConfiguration}");
                yield return NextStep.Run("Read the file system policy that refused the mount",
                    "aws", "efs", "describe-file-system-policy", "--region", r, "--file-system-id", c.Evidence.FileSystemId ?? "<fs-id>");
                break;
            case FixId.CreateLogGroup:
                yield return NextStep.Run("Find the log group the awslogs driver writes to",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].logConfiguration.options");
                yield return NextStep.Run("Create it",
                    "aws", "logs", "create-log-group", "--region", r, "--log-group-name", c.Evidence.LogGroup ?? t.LogGroup ?? "<log-group>");
                break;
            case FixId.FixImageReference:
                yield return ImageCheck(r, c.Evidence.Image);
                break;
            case FixId.UsePullThroughCache:
                yield return NextStep.Run("Pull Docker Hub images through an ECR pull-through cache (authenticated, not rate limited per task IP)",
                    "aws", "ecr", "create-pull-through-cache-rule", "--region", r, "--ecr-repository-prefix", "docker-hub", "--upstream-registry-url", "registry-1.docker.io", "--credential-arn", "<docker-hub-secret-arn>");
                break;
            case FixId.MatchRuntimePlatform:
                yield return NextStep.Run("Compare the task's runtime platform with the image's platforms",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.runtimePlatform");
                yield return NextStep.Run("List the platforms the image was built for",
                    "docker", "manifest", "inspect", c.Evidence.Image ?? "<image>");
                break;
            case FixId.RaiseMemory:
                yield return NextStep.Run("Check the task and container memory limits",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{cpu:cpu,memory:memory,containers:containerDefinitions[].{name:name,memory:memory,memoryReservation:memoryReservation}}");
                break;
            case FixId.UpgradePlatformVersion:
                yield return NextStep.Run("Run the service on the latest Fargate platform version (EFS needs 1.4.0 or later)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--platform-version", "LATEST");
                break;
            case FixId.AddEfsMountTarget:
                yield return NextStep.Run("List the file system's mount targets (one is needed in the task's Availability Zone)",
                    "aws", "efs", "describe-mount-targets", "--region", r, "--file-system-id", c.Evidence.FileSystemId ?? "<fs-id>");
                yield return NextStep.Run("Create a mount target in the task's subnet; its security group must allow TCP 2049 from the task",
                    "aws", "efs", "create-mount-target", "--region", r, "--file-system-id", c.Evidence.FileSystemId ?? "<fs-id>", "--subnet-id", Subnet(t), "--security-groups", "<efs-sg-id>");
                break;
            case FixId.OpenNetworkAcl:
                yield return NextStep.Run("Read the network ACL of the task's subnet (rules are evaluated in order; the first match decides)",
                    "aws", "ec2", "describe-network-acls", "--region", r, "--filters", $"Name=association.subnet-id,Values={Subnet(t)}", "--query", "NetworkAcls[0].{id:NetworkAclId,entries:Entries}");
                yield return NextStep.Chain("Allow outbound HTTPS and the inbound return ports (replace '<acl-id>'; pick free rule numbers)",
                    ["aws", "ec2", "create-network-acl-entry", "--region", r, "--network-acl-id", "<acl-id>", "--egress", "--rule-number", "100", "--protocol", "tcp", "--port-range", "From=443,To=443", "--cidr-block", "0.0.0.0/0", "--rule-action", "allow"],
                    ["aws", "ec2", "create-network-acl-entry", "--region", r, "--network-acl-id", "<acl-id>", "--ingress", "--rule-number", "100", "--protocol", "tcp", "--port-range", "From=1024,To=65535", "--cidr-block", "0.0.0.0/0", "--rule-action", "allow"]);
                break;
            case FixId.EnableVpcDns:
                yield return NextStep.Chain("Turn on DNS resolution and DNS hostnames in the task's VPC (interface endpoints and EFS need both)",
                    ["aws", "ec2", "modify-vpc-attribute", "--region", r, "--vpc-id", Vpc(t), "--enable-dns-support", "{\"Value\":true}"],
                    ["aws", "ec2", "modify-vpc-attribute", "--region", r, "--vpc-id", Vpc(t), "--enable-dns-hostnames", "{\"Value\":true}"]);
                break;
            case FixId.FreeSubnetAddresses:
                yield return NextStep.Run(t.Subnets.Count > 1 ? "Check the free IP addresses of the service's subnets" : "Check the free IP addresses of the task's subnet",
                    "aws", "ec2", "describe-subnets", "--region", r, "--filters", $"Name=subnet-id,Values={string.Join(',', Subnets(t))}",
                    "--query", "Subnets[].{id:SubnetId,free:AvailableIpAddressCount,cidr:CidrBlock,zone:AvailabilityZone}");
                yield return NextStep.Run("See what holds the addresses: a network interface in status available is attached to nothing and can be deleted (aws ec2 delete-network-interface)",
                    "aws", "ec2", "describe-network-interfaces", "--region", r, "--filters", $"Name=subnet-id,Values={string.Join(',', t.ShortSubnets.Count > 0 ? t.ShortSubnets : Subnets(t))}",
                    "--query", "NetworkInterfaces[].{id:NetworkInterfaceId,status:Status,type:InterfaceType,description:Description}");
                if (t.Service is not null && t.AssignPublicIp is { } publicIp && t.ShortSubnets.Count > 0)
                {
                    yield return t.RoomySubnets.Count > 0
                        ? NextStep.Run("Place the service's tasks only in its subnets with free addresses (add a new subnet to the list if they are too few)",
                            "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(t.RoomySubnets, Groups(t), publicIp))
                        : NextStep.Run("Give the service a subnet with free addresses (replace '<subnet-with-free-addresses>'; it must be in the same VPC)",
                            "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--network-configuration", NetworkConfiguration(["<subnet-with-free-addresses>"], Groups(t), publicIp));
                }

                break;
            case FixId.UseActiveTaskDefinition:
                var family = ArnParts.FamilyOf(t.TaskDefinition) ?? "<family>";
                yield return NextStep.Run("Check the task definition's status (ACTIVE, INACTIVE or DELETE_IN_PROGRESS; a deleted one cannot be described)",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{status:status,revision:revision,deregisteredAt:deregisteredAt}");
                yield return NextStep.Run($"List the ACTIVE revisions of {family}, newest first",
                    "aws", "ecs", "list-task-definitions", "--region", r, "--family-prefix", family, "--status", "ACTIVE", "--sort", "DESC", "--max-items", "5");
                yield return NextStep.Run("Point the service at an ACTIVE revision (replace '<revision>'; or register a new one first with aws ecs register-task-definition)",
                    "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--task-definition", $"{family}:<revision>");
                break;
            case FixId.EnableManagedScaling:
                foreach (var provider in t.ScalingProviders.Where(p => !p.ManagedScalingEnabled).DefaultIfEmpty())
                {
                    var name = provider?.Name ?? "<capacity-provider>";
                    yield return NextStep.Run($"Let ECS grow the Auto Scaling group{(provider?.AutoScalingGroupName is { } g ? $" {g}" : "")} of capacity provider {name} for the tasks it has to place",
                        "aws", "ecs", "update-capacity-provider", "--region", r, "--name", name, "--auto-scaling-group-provider", "managedScaling={status=ENABLED,targetCapacity=100}");
                }

                break;
            case FixId.RollBackDeployment:
                var deployment = t.DeploymentId ?? "<deployment-id>";
                yield return NextStep.Run($"List the stopped tasks of deployment {deployment} (visible for about an hour), then describe them for their stop reasons",
                    "aws", "ecs", "list-tasks", "--region", r, "--cluster", cl, "--started-by", deployment, "--desired-status", "STOPPED");
                if (!t.RolledBack)
                {
                    yield return NextStep.Run(t.PreviousTaskDefinition is null
                            ? "Roll the service back by hand to the revision that last ran (replace '<previous-task-definition>')"
                            : "Roll the service back by hand to the revision its other deployment runs",
                        "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--task-definition", t.PreviousTaskDefinition ?? "<previous-task-definition>");
                }

                if (t.CircuitBreaker is not { Enable: true, Rollback: true })
                {
                    yield return NextStep.Run("Let the circuit breaker roll a failed deployment back by itself",
                        "aws", "ecs", "update-service", "--region", r, "--cluster", cl, "--service", Service(t), "--deployment-configuration",
                        string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"deploymentCircuitBreaker={{enable=true,rollback=true}},maximumPercent={t.MaximumPercent ?? 200},minimumHealthyPercent={t.MinimumHealthyPercent ?? 100}"));
                }

                break;
            case FixId.FreeImageStorage:
                yield return NextStep.Run("Compare the image's size with the task's ephemeral storage (Fargate: 20 GiB unless ephemeralStorage raises it, up to 200)",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{ephemeralStorage:ephemeralStorage,images:containerDefinitions[].image}");
                yield return NextStep.Run("On EC2, find the container instance that ran the task, then free its Docker or containerd volume (unused images, stopped containers) or give it a larger data volume",
                    "aws", "ecs", "describe-tasks", "--region", r, "--cluster", cl, "--tasks", t.TaskArn, "--query", "tasks[0].{launchType:launchType,containerInstanceArn:containerInstanceArn}");
                break;
            case FixId.RebuildImage:
                yield return NextStep.Run("Inspect the image's manifest: attestation or zstd layers an old runtime cannot apply show up here",
                    "docker", "buildx", "imagetools", "inspect", c.Evidence.Image ?? "<image>");
                yield return NextStep.Run("Rebuild and push the image as one plain manifest per platform, without provenance or SBOM attestations",
                    "docker", "buildx", "build", "--provenance=false", "--sbom=false", "--platform", "linux/amd64", "--tag", c.Evidence.Image ?? "<image>", "--push", ".");
                break;
            case FixId.AddClusterCapacity:
                yield return NextStep.Run("Read the service's latest events: the placement failure names the missing resource (CPU, memory, ENI, ports, capacity provider)",
                    "aws", "ecs", "describe-services", "--region", r, "--cluster", cl, "--services", Service(t), "--query", "services[0].{capacityProviderStrategy:capacityProviderStrategy,launchType:launchType,events:events[:5].message}");
                yield return NextStep.Run("Check the cluster's capacity providers and registered instances",
                    "aws", "ecs", "describe-clusters", "--region", r, "--clusters", cl, "--query", "clusters[0].{capacityProviders:capacityProviders,defaultStrategy:defaultCapacityProviderStrategy,instances:registeredContainerInstancesCount,pending:pendingTasksCount}");
                yield return NextStep.Run("List the container instances (EC2), then describe them for their free CPU, memory and ports",
                    "aws", "ecs", "list-container-instances", "--region", r, "--cluster", cl, "--query", "containerInstanceArns");
                foreach (var provider in t.ScalingProviders.DistinctBy(p => p.AutoScalingGroupName))
                {
                    var group = provider.AutoScalingGroupName!;
                    yield return NextStep.Run($"Check the Auto Scaling group {group} behind capacity provider {provider.Name}: its sizes and its instances",
                        "aws", "autoscaling", "describe-auto-scaling-groups", "--region", r, "--auto-scaling-group-names", group,
                        "--query", "AutoScalingGroups[0].{desired:DesiredCapacity,min:MinSize,max:MaxSize,instances:Instances[].{id:InstanceId,state:LifecycleState,health:HealthStatus}}");
                    yield return NextStep.Run($"Give {group} instances (replace the placeholders; the maximum bounds the desired capacity); they join cluster {cl} through the ECS agent",
                        "aws", "autoscaling", "update-auto-scaling-group", "--region", r, "--auto-scaling-group-name", group, "--max-size", "<max-size>", "--desired-capacity", "<instances>");
                }

                break;
            case FixId.FixPlacementConstraints:
                yield return NextStep.Run("Compare the task's placement constraints and required attributes with the container instances",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{placementConstraints:placementConstraints,requiresAttributes:requiresAttributes[].name,cpu:cpu,memory:memory,networkMode:networkMode}");
                break;
            case FixId.FixContainerCommand:
                yield return NextStep.Run("Check the container's entry point, command and image",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,image:image,entryPoint:entryPoint,command:command}");
                break;
            case FixId.InspectContainerLogs:
                yield return NextStep.Run("Find the container's log configuration, then read its last lines",
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,logConfiguration:logConfiguration}");
                break;
            case FixId.FixSecretReference:
                foreach (var arn in c.Evidence.SecretArns ?? ["<secret-or-parameter-arn>"])
                {
                    yield return arn.Contains(":ssm:", StringComparison.Ordinal)
                        ? NextStep.Run("Check that the parameter exists", "aws", "ssm", "get-parameters", "--region", r, "--names", arn, "--query", "InvalidParameters")
                        : NextStep.Run("Check that the secret exists", "aws", "secretsmanager", "describe-secret", "--region", r, "--secret-id", arn);
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
                break;
        }
    }

    /// <summary>The VPC endpoint services a category needs.</summary>
    public static IReadOnlyList<string> EndpointServices(string category) => category switch
    {
        Category.SecretsNetwork => ["ecr.api", "ecr.dkr", "s3", "secretsmanager", "ssm", "kms"],
        Category.LogsNetwork => ["ecr.api", "ecr.dkr", "s3", "logs"],
        _ => ["ecr.api", "ecr.dkr", "s3"],
    };

    private static NextStep ImageCheck(string region, string? image)
    {
        var reference = ImageReference.Parse(image);
        return reference is { IsEcr: true, RegistryId: { } registryId }
            ? NextStep.Run("Check that the repository and tag exist in ECR",
                "aws", "ecr", "describe-images", "--region", region, "--registry-id", registryId, "--repository-name", reference.Value.Repository,
                "--image-ids", reference.Value.Digest is { } d ? $"imageDigest={d}" : $"imageTag={reference.Value.Tag}")
            : NextStep.Run("Check that the image exists and can be pulled", "docker", "manifest", "inspect", image ?? "<image>");
    }
}
