using EcsTimeoutRemediator.Classification;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>What each fix does, in a few words: the heading of its steps in every format.</summary>
public static class FixTitles
{
    public static string Of(string? fix) => fix switch
    {
        FixId.RaiseHealthCheckGrace => "Give the application more time before health checks count",
        FixId.EnableAssignPublicIp => "Give the tasks a public IP",
        FixId.AddNatRoute => "Route 0.0.0.0/0 through a NAT gateway",
        FixId.AddVpcEndpoints => "Add the VPC endpoints the task needs",
        FixId.GrantExecutionRolePermissions => "Grant the execution role what it lacks",
        FixId.GrantTaskRolePermissions => "Let the task role mount the file system",
        FixId.OpenSecurityGroup => "Open the security group",
        FixId.CreateLogGroup => "Create the log group",
        FixId.FixImageReference => "Point the task at an image that exists",
        FixId.FixSecretReference => "Reference secrets and parameters that exist",
        FixId.UsePullThroughCache => "Pull through an ECR pull-through cache",
        FixId.MatchRuntimePlatform => "Match the image to the task's platform",
        FixId.RaiseMemory => "Give the container more memory",
        FixId.UpgradePlatformVersion => "Run on Fargate platform version 1.4.0 or later",
        FixId.AddEfsMountTarget => "Add a mount target in the task's Availability Zone",
        FixId.BindAllInterfaces => "Make the application listen on 0.0.0.0",
        FixId.FixHealthCheck => "Fix the health check",
        FixId.RaiseContainerHealthStartPeriod => "Give the container health check a longer start period",
        FixId.FreeSubnetAddresses => "Free subnet addresses or place the tasks in subnets with room",
        FixId.FixContainerCommand => "Fix the container's command",
        FixId.InspectContainerLogs => "Read the container's logs",
        FixId.OpenNetworkAcl => "Open the network ACL",
        FixId.EnableVpcDns => "Turn on DNS in the VPC",
        FixId.EnableKmsKey => "Make the KMS key usable again",
        FixId.FreeImageStorage => "Make room for the image",
        FixId.RebuildImage => "Rebuild the image",
        FixId.AddClusterCapacity => "Add capacity to the cluster",
        FixId.FixPlacementConstraints => "Relax the placement constraints",
        FixId.UseActiveTaskDefinition => "Use an ACTIVE task definition",
        FixId.EnableManagedScaling => "Turn on managed scaling",
        FixId.RollBackDeployment => "Find why the deployment's tasks failed, and roll back if ECS did not",
        FixId.DeployMemberRole => "Deploy the member role to the account",
        null => "Check",
        _ => throw new ArgumentOutOfRangeException(nameof(fix), fix, "a fix id without a title"),
    };
}
