namespace EcsTimeoutRemediator.Classification;

/// <summary>
/// One category, declared once: what the advisory calls it, what it means, the fixes a stop of it proposes, the
/// diagnosis areas that can prove or rule out its cause and, for the categories that mean "the task could not
/// reach an AWS service", the VPC endpoint services the task needs and the name of the service it could not reach.
/// </summary>
public sealed record CategoryDefinition(string Id, string Headline, string Meaning, IReadOnlyList<string> Fixes, DiagnosisScope Areas)
{
    /// <summary>The VPC endpoints a task of this category needs: every task pulls its image, so ECR's and S3's at least.</summary>
    public IReadOnlyList<string> EndpointServices { get; init; } = CategoryTable.ImagePullEndpoints;

    /// <summary>The service the network-path findings say could not be reached; null where the endpoints name it.</summary>
    public string? ReachedService { get; init; }

    /// <summary>The task failed while starting (pulling, fetching secrets, setting up logs, volumes or its network
    /// interface, or creating its containers): the console's start-up troubleshooting applies.</summary>
    public bool StartupFailure { get; init; }

    /// <summary>The service and deployment events (files under <c>events/service/</c>) whose reason classifies as this category.</summary>
    public IReadOnlyList<string> ServiceEvents { get; init; } = [];

    public string Family => Category.FamilyOf(Id);

    public bool IsBenign => Category.IsBenign(Id);
}

/// <summary>Every category, in the order the README lists them. Adding a category starts here.</summary>
public static class CategoryTable
{
    public static readonly IReadOnlyList<string> ImagePullEndpoints = ["ecr.api", "ecr.dkr", "s3"];

    private static readonly IReadOnlyList<string> NetworkPathFixes =
        [FixId.EnableAssignPublicIp, FixId.AddNatRoute, FixId.AddVpcEndpoints, FixId.OpenSecurityGroup];

    public static IReadOnlyList<CategoryDefinition> All { get; } =
    [
        new(Category.ImagePullNetwork, "image pull timed out",
            "the registry (or ECR auth) could not be reached in time", NetworkPathFixes, DiagnosisScope.NetworkPath)
        {
            StartupFailure = true,
            ReachedService = "ECR",
        },
        new(Category.ImagePullPermission, "image pull denied",
            "the registry refused: execution role or registry credentials lack permission",
            [FixId.GrantExecutionRolePermissions], DiagnosisScope.Registry | DiagnosisScope.EcrPermissions)
        {
            StartupFailure = true,
        },
        new(Category.ImagePullNotFound, "image not found",
            "the repository, tag or digest does not exist (or the reference is malformed)",
            [FixId.FixImageReference], DiagnosisScope.Registry)
        {
            StartupFailure = true,
        },
        new(Category.ImagePullRateLimit, "image pull rate limited",
            "the registry throttled pulls (Docker Hub pull rate limit, ECR rate exceeded)",
            [FixId.UsePullThroughCache], DiagnosisScope.Registry)
        {
            StartupFailure = true,
        },
        new(Category.ImagePullPlatform, "image built for another platform",
            "the image was not built for the task's CPU architecture / OS",
            [FixId.MatchRuntimePlatform, FixId.FixImageReference], DiagnosisScope.Registry | DiagnosisScope.ImagePlatform)
        {
            StartupFailure = true,
        },
        new(Category.ImagePullUnpack, "image could not be unpacked",
            "the image was downloaded but could not be unpacked or stored",
            [FixId.FreeImageStorage, FixId.RebuildImage], DiagnosisScope.None)
        {
            StartupFailure = true,
        },
        new(Category.SecretsNetwork, "secrets fetch timed out",
            "Secrets Manager / SSM Parameter Store could not be reached in time", NetworkPathFixes, DiagnosisScope.NetworkPath)
        {
            StartupFailure = true,
            EndpointServices = ["ecr.api", "ecr.dkr", "s3", "secretsmanager", "ssm", "kms"],
            ReachedService = "Secrets Manager / SSM",
        },
        new(Category.SecretsPermission, "secrets access denied",
            "the execution role may not read a referenced secret or parameter (or its KMS key)",
            [FixId.GrantExecutionRolePermissions], DiagnosisScope.SecretsPermissions)
        {
            StartupFailure = true,
        },
        new(Category.SecretsNotFound, "secret or parameter not found",
            "a referenced secret, parameter or JSON key does not exist",
            [FixId.FixSecretReference], DiagnosisScope.None)
        {
            StartupFailure = true,
        },
        new(Category.LogsNetwork, "CloudWatch Logs unreachable",
            "the awslogs driver could not reach CloudWatch Logs", NetworkPathFixes, DiagnosisScope.NetworkPath)
        {
            StartupFailure = true,
            EndpointServices = ["ecr.api", "ecr.dkr", "s3", "logs"],
            ReachedService = "CloudWatch Logs",
        },
        new(Category.LogsPermission, "CloudWatch Logs access denied",
            "the execution role may not create log streams / put log events",
            [FixId.GrantExecutionRolePermissions], DiagnosisScope.LogsPermissions)
        {
            StartupFailure = true,
        },
        new(Category.LogsNotFound, "log group missing",
            "the log group does not exist",
            [FixId.CreateLogGroup], DiagnosisScope.LogGroup)
        {
            StartupFailure = true,
        },
        new(Category.EfsNetwork, "EFS mount timed out",
            "the EFS mount timed out or its DNS name did not resolve (no mount target in the AZ, port 2049 closed)",
            [FixId.AddEfsMountTarget, FixId.OpenSecurityGroup, FixId.UpgradePlatformVersion], DiagnosisScope.Efs)
        {
            StartupFailure = true,
            ReachedService = "EFS",
        },
        new(Category.EfsPermission, "EFS mount denied",
            "the file system refused the mount (policy, access point, IAM authorization)",
            [FixId.GrantTaskRolePermissions], DiagnosisScope.Efs | DiagnosisScope.EfsPermissions)
        {
            StartupFailure = true,
        },
        new(Category.EniTimeout, "network interface not provisioned",
            "the task's network interface was not provisioned or attached",
            [FixId.FreeSubnetAddresses], DiagnosisScope.NetworkPath)
        {
            StartupFailure = true,
            ServiceEvents = ["service-task-configuration-failure.json"],
        },
        new(Category.HealthElb, "failed load balancer health checks",
            "the load balancer health checks failed and the service replaced the task",
            [FixId.RaiseHealthCheckGrace, FixId.FixHealthCheck, FixId.BindAllInterfaces, FixId.OpenSecurityGroup],
            DiagnosisScope.LoadBalancer | DiagnosisScope.ContainerHealth),
        new(Category.HealthContainer, "failed container health checks",
            "the container health check failed",
            [FixId.RaiseContainerHealthStartPeriod, FixId.FixHealthCheck, FixId.BindAllInterfaces], DiagnosisScope.ContainerHealth),
        new(Category.ExitOom, "container out of memory",
            "a container was killed for exceeding its memory (exit code 137 alone is not proof)",
            [FixId.RaiseMemory], DiagnosisScope.None),
        new(Category.ExitEssential, "essential container exited",
            "an essential container exited",
            [FixId.InspectContainerLogs], DiagnosisScope.None),
        new(Category.StartContainer, "container failed to start",
            "the runtime could not create or start a container (entry point, command, runtime error)",
            [FixId.FixContainerCommand, FixId.FixImageReference], DiagnosisScope.None)
        {
            StartupFailure = true,
        },
        new(Category.PlacementCapacity, "no capacity to place the task",
            "ECS could not place the task",
            [FixId.AddClusterCapacity, FixId.FixPlacementConstraints], DiagnosisScope.None)
        {
            ServiceEvents = ["service-task-placement-failure.json", "service-task-placement-failure-eni.json"],
        },
        new(Category.BenignUser, "stopped on purpose", "stopped on purpose (StopTask)", [], DiagnosisScope.None),
        new(Category.BenignScaling, "stopped by a deployment or scale-in", "deployment or scale-in", [], DiagnosisScope.None),
        new(Category.BenignSpot, "Spot capacity reclaimed", "Spot capacity reclaimed", [], DiagnosisScope.None),
        new(Category.BenignMaintenance, "stopped for maintenance", "task retirement or infrastructure maintenance", [], DiagnosisScope.None),
        new(Category.Unknown, "task stopped for an unrecognised reason",
            "nothing matched; a person should read the message", [], DiagnosisScope.None)
        {
            // Their checks are chosen by the event's reason (ServiceEventChecks), not by a category.
            ServiceEvents = ["service-deployment-failed.json", "service-task-configuration-failure-task-definition.json", "service-task-start-impaired.json"],
        },
    ];

    private static readonly Dictionary<string, CategoryDefinition> ById = All.ToDictionary(c => c.Id, StringComparer.Ordinal);

    /// <summary>The definition of a category id; an id no rule can produce is a programming error.</summary>
    public static CategoryDefinition Of(string category) =>
        ById.TryGetValue(category, out var definition)
            ? definition
            : throw new ArgumentOutOfRangeException(nameof(category), category, "not a category of the table");
}
