using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The EFS area: mount targets, the platform version and the task role.</summary>
internal sealed class EfsSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.GrantTaskRolePermissions, FixId.UpgradePlatformVersion, FixId.AddEfsMountTarget];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        var cl = t.Cluster;
        switch (fix)
        {
            case FixId.GrantTaskRolePermissions:
                yield return NextStep.Check("Find the task role used for EFS IAM authorization", Fact.TaskRole,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{taskRoleArn:taskRoleArn,volumes:volumes[].efsVolumeConfiguration}");
                yield return NextStep.Check("Read the file system policy that refused the mount", null,
                    "aws", "efs", "describe-file-system-policy", "--region", r, "--file-system-id", FileSystem(t));
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
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }
}
