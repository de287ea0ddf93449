using EcsTimeoutRemediator.Classification;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The container itself: its memory, its command and its logs.</summary>
internal sealed class ContainerSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.RaiseMemory, FixId.FixContainerCommand, FixId.InspectContainerLogs];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        switch (fix)
        {
            case FixId.RaiseMemory:
                yield return NextStep.Check("Check the task and container memory limits", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{cpu:cpu,memory:memory,containers:containerDefinitions[].{name:name,memory:memory,memoryReservation:memoryReservation}}");
                break;
            case FixId.FixContainerCommand:
                yield return NextStep.Check("Check the container's entry point, command and image", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,image:image,entryPoint:entryPoint,command:command}");
                break;
            case FixId.InspectContainerLogs:
                yield return NextStep.Check("Find the container's log configuration, then read its last lines", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].{name:name,logConfiguration:logConfiguration}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }
}
