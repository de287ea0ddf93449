using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>Whether the task role may mount the task's file systems with EFS IAM authorization: one policy simulation.</summary>
internal sealed class TaskRoleArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } = [RoleSimulation.Declared];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        if (context.TaskDefinition is not { TaskRoleArn: { } taskRole } td || !run.Asks(DiagnosisScope.EfsPermissions) || run.Ports.Inspectors.Iam is null)
        {
            return context;
        }

        var required = RolePermissions.ForTaskRole(td, context.Target!.Region, context.Target.Account);
        return context with { TaskRole = await RoleSimulation.SimulateAsync(run, taskRole, required).ConfigureAwait(false) };
    }
}
