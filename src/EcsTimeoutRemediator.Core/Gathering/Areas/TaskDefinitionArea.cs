using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The task definition of the event (else the service's): its containers, images, roles, secrets, log
/// configuration, volumes and health checks, which every area after it reads from. A service event whose reason
/// names a task definition checks that it exists and is ACTIVE.
/// </summary>
internal sealed class TaskDefinitionArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } =
        [new("task definition", DiagnosisScope.TaskDefinitionState | DiagnosisScope.ContainerHealth, "ReadEcsTaskDefinitions", ["ecs:DescribeTaskDefinition"])];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        if (AreaRun.TaskDefinitionArnOf(context) is not { } arn || !run.ReadsTaskDefinition)
        {
            return context;
        }

        var taskDefinition = await run.Reads.Try("ecs:DescribeTaskDefinition", arn,
            () => run.Ports.Ecs.DescribeTaskDefinitionAsync(arn, run.Cancellation)).ConfigureAwait(false);
        return context with { TaskDefinition = taskDefinition };
    }
}
