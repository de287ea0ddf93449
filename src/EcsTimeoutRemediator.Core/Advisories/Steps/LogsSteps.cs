using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The logs area: the awslogs log group.</summary>
internal sealed class LogsSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.CreateLogGroup];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        switch (fix)
        {
            case FixId.CreateLogGroup:
                yield return NextStep.Check("Find the log group the awslogs driver writes to", Fact.LogGroup,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.containerDefinitions[].logConfiguration.options");
                yield return NextStep.Change(t.LogGroup is null ? "Create it (replace '<log-group>' with the awslogs-group of the task definition)" : $"Create log group {t.LogGroup}",
                    "aws", "logs", "create-log-group", "--region", r, "--log-group-name", t.LogGroup ?? "<log-group>");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }
}
