using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// Whether the execution role may do what starting the task takes: pull from ECR and read private registry
/// credentials, read the secrets and parameters (and decrypt them with their keys), create log streams and groups.
/// One policy simulation of the permissions the task definition requires.
/// </summary>
internal sealed class ExecutionRoleArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } = [RoleSimulation.Declared];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        var roleScope = RoleSimulation.ExecutionRoleScope(run, context);
        if (roleScope == DiagnosisScope.None)
        {
            return context;
        }

        var td = context.TaskDefinition!;
        var required = RolePermissions.ForExecutionRole(td, context.Target!.Region, context.Target.Account, roleScope);
        if (SecretKeysArea.ResourcesRead(run, context, required).Count > 0)
        {
            required = RolePermissions.WithKeyDecrypt(required, context.SecretKeys);
        }

        return context with { ExecutionRole = await RoleSimulation.SimulateAsync(run, td.ExecutionRoleArn!, required).ConfigureAwait(false) };
    }
}
