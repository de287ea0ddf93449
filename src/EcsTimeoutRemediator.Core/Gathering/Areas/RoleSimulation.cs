using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The IAM policy simulation both role areas read with: the execution role's permissions to start the task, the
/// task role's to mount a file system with IAM authorization. One statement grants it for both.
/// </summary>
internal static class RoleSimulation
{
    public static ReadArea Declared { get; } =
        new("execution role", DiagnosisScope.ExecutionRole | DiagnosisScope.EfsPermissions, "SimulateExecutionRoles", ["iam:SimulatePrincipalPolicy"]);

    /// <summary>What the execution role of the context's task definition is checked for; none when the run does not check it.</summary>
    public static DiagnosisScope ExecutionRoleScope(AreaRun run, InfrastructureContext context) =>
        context.TaskDefinition is { ExecutionRoleArn: not null } && run.Ports.Inspectors.Iam is not null
            ? run.Scope & (DiagnosisScope.ExecutionRole | DiagnosisScope.LogGroup)
            : DiagnosisScope.None;

    /// <summary>One simulation of <paramref name="required"/> for <paramref name="roleArn"/>; null when it was not answered.</summary>
    public static async Task<RolePermissionFacts?> SimulateAsync(AreaRun run, string roleArn, IReadOnlyList<RequiredPermission> required)
    {
        if (required.Count == 0)
        {
            return new RolePermissionFacts(roleArn, [], []);
        }

        IReadOnlyList<string> actions = [.. required.Select(r => r.Action).Distinct(StringComparer.Ordinal)];
        IReadOnlyList<string> resources = [.. required.Select(r => r.Resource).Distinct(StringComparer.Ordinal)];
        var decisions = await run.Reads.Try("iam:SimulatePrincipalPolicy", roleArn,
            () => run.Ports.Inspectors.Iam!.SimulateAsync(roleArn, actions, resources, run.Cancellation)).ConfigureAwait(false);
        return decisions is null ? null : new RolePermissionFacts(roleArn, required, decisions);
    }
}
