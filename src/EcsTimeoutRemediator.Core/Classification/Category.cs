namespace EcsTimeoutRemediator.Classification;

/// <summary>The stable category ids. Other tools and users key on these strings: never rename one.</summary>
public static class Category
{
    public const string ImagePullNetwork = "image-pull/network";
    public const string ImagePullPermission = "image-pull/permission";
    public const string ImagePullNotFound = "image-pull/not-found";
    public const string ImagePullRateLimit = "image-pull/rate-limit";
    public const string ImagePullPlatform = "image-pull/platform";
    public const string ImagePullUnpack = "image-pull/unpack";
    public const string SecretsNetwork = "secrets/network";
    public const string SecretsPermission = "secrets/permission";
    public const string SecretsNotFound = "secrets/not-found";
    public const string LogsNetwork = "logs/network";
    public const string LogsPermission = "logs/permission";
    public const string LogsNotFound = "logs/not-found";
    public const string EfsNetwork = "efs/network";
    public const string EfsPermission = "efs/permission";
    public const string EniTimeout = "eni/timeout";
    public const string HealthElb = "health/elb";
    public const string HealthContainer = "health/container";
    public const string ExitOom = "exit/oom";
    public const string ExitEssential = "exit/essential";
    public const string StartContainer = "start/container";
    public const string PlacementCapacity = "placement/capacity";
    public const string BenignUser = "benign/user";
    public const string BenignScaling = "benign/scaling";
    public const string BenignSpot = "benign/spot";
    public const string BenignMaintenance = "benign/maintenance";
    public const string Unknown = "unknown";

    /// <summary>Every category id, as declared by <see cref="CategoryTable"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. CategoryTable.All.Select(c => c.Id)];

    public static string FamilyOf(string category)
    {
        var slash = category.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? category : category[..slash];
    }

    public static bool IsBenign(string category) => category.StartsWith("benign/", StringComparison.Ordinal);

    /// <summary>True for the categories that mean "the task could not reach an AWS service".</summary>
    public static bool IsNetworkPath(string category) =>
        category is ImagePullNetwork or SecretsNetwork or LogsNetwork or EniTimeout;
}

/// <summary>The stable remedy ids that a classification may propose.</summary>
public static class FixId
{
    public const string RaiseHealthCheckGrace = "raise-health-check-grace";
    public const string EnableAssignPublicIp = "enable-assign-public-ip";
    public const string AddNatRoute = "add-nat-route";
    public const string AddVpcEndpoints = "add-vpc-endpoints";
    public const string GrantExecutionRolePermissions = "grant-execution-role-permissions";
    public const string GrantTaskRolePermissions = "grant-task-role-permissions";
    public const string OpenSecurityGroup = "open-security-group";
    public const string CreateLogGroup = "create-log-group";
    public const string FixImageReference = "fix-image-reference";
    public const string FixSecretReference = "fix-secret-reference";
    public const string UsePullThroughCache = "use-pull-through-cache";
    public const string MatchRuntimePlatform = "match-runtime-platform";
    public const string RaiseMemory = "raise-memory";
    public const string UpgradePlatformVersion = "upgrade-platform-version";
    public const string AddEfsMountTarget = "add-efs-mount-target";
    public const string BindAllInterfaces = "bind-all-interfaces";
    public const string FixHealthCheck = "fix-health-check";
    public const string RaiseContainerHealthStartPeriod = "raise-container-health-start-period";
    public const string FreeSubnetAddresses = "free-subnet-addresses";
    public const string FixContainerCommand = "fix-container-command";
    public const string InspectContainerLogs = "inspect-container-logs";
    public const string OpenNetworkAcl = "open-network-acl";
    public const string EnableVpcDns = "enable-vpc-dns";
    public const string EnableKmsKey = "enable-kms-key";
    public const string FreeImageStorage = "free-image-storage";
    public const string RebuildImage = "rebuild-image";
    public const string AddClusterCapacity = "add-cluster-capacity";
    public const string FixPlacementConstraints = "fix-placement-constraints";

    // Proven by the checks of service and deployment events rather than named by a category.
    public const string UseActiveTaskDefinition = "use-active-task-definition";
    public const string EnableManagedScaling = "enable-managed-scaling";
    public const string RollBackDeployment = "roll-back-deployment";

    // Proven when an organization-wide deployment cannot assume the event's account's member role.
    public const string DeployMemberRole = "deploy-member-role";

    /// <summary>Every fix id: each has a title (<c>FixTitles</c>) and manual steps (<c>NextSteps</c>), which tests hold to.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        RaiseHealthCheckGrace, EnableAssignPublicIp, AddNatRoute, AddVpcEndpoints, GrantExecutionRolePermissions,
        GrantTaskRolePermissions, OpenSecurityGroup, CreateLogGroup, FixImageReference, FixSecretReference,
        UsePullThroughCache, MatchRuntimePlatform, RaiseMemory, UpgradePlatformVersion, AddEfsMountTarget,
        BindAllInterfaces, FixHealthCheck, RaiseContainerHealthStartPeriod, FreeSubnetAddresses, FixContainerCommand,
        InspectContainerLogs, OpenNetworkAcl, EnableVpcDns, EnableKmsKey, FreeImageStorage, RebuildImage,
        AddClusterCapacity, FixPlacementConstraints, UseActiveTaskDefinition, EnableManagedScaling, RollBackDeployment,
        DeployMemberRole,
    ];
}
