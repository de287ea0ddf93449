using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>The execution role (and the task role for EFS) against what the task definition needs.</summary>
public static class RoleChecks
{
    /// <summary>The execution role's missing permissions, or empty.</summary>
    public static IReadOnlyList<RequiredPermission> Missing(RolePermissionFacts? role) =>
        role is null || role.Decisions.Count == 0
            ? []
            : [.. role.Required.Where(p => RolePermissions.DecisionFor(p, role.Decisions) is not ({ IsAllowed: true } or { IsUndecided: true }))];

    /// <summary>The permissions whose statements hang on condition keys the simulator could not evaluate.</summary>
    public static IReadOnlyList<(RequiredPermission Permission, PermissionDecision Decision)> Undecided(RolePermissionFacts? role) =>
        role is null || role.Decisions.Count == 0
            ? []
            : [.. role.Required
                .Select(p => (Permission: p, Decision: RolePermissions.DecisionFor(p, role.Decisions)))
                .Where(x => x.Decision is { IsUndecided: true })
                .Select(x => (x.Permission, x.Decision!))];

    public static IEnumerable<Finding> CheckExecutionRole(TaskDefinitionFacts td, DiagnosisScope scope, RolePermissionFacts? role, string region, string account)
    {
        ArgumentNullException.ThrowIfNull(td);
        if (td.ExecutionRoleArn is null)
        {
            var required = RolePermissions.ForExecutionRole(td, region, account, scope);
            if (required.Count > 0)
            {
                yield return Finding.Of("execution-role", FindingStatus.Missing,
                    Sentence.Of($"Task definition {Sentence.Id(td.TaskDefinitionArn)} has no execution role, but it needs one to {string.Join(", ", required.Select(p => p.Why).Distinct())}."),
                    [td.TaskDefinitionArn], FixId.GrantExecutionRolePermissions)
                with { Headline = "no execution role" };
            }

            yield break;
        }

        foreach (var finding in CheckRole("execution-role", "execution role", role, FixId.GrantExecutionRolePermissions))
        {
            yield return finding;
        }
    }

    public static IEnumerable<Finding> CheckTaskRoleForEfs(TaskDefinitionFacts td, RolePermissionFacts? role)
    {
        ArgumentNullException.ThrowIfNull(td);
        var iamVolumes = td.EfsVolumes.Where(v => v.IamAuthorization).ToList();
        if (iamVolumes.Count == 0)
        {
            yield break;
        }

        if (td.TaskRoleArn is null)
        {
            yield return Finding.Of("efs-iam", FindingStatus.Missing,
                Sentence.Of($"The EFS volumes {string.Join(", ", iamVolumes.Select(v => v.Name))} use IAM authorization, but the task definition has no task role to authorize the mount with."),
                [td.TaskDefinitionArn], FixId.GrantTaskRolePermissions)
            with { Headline = "EFS IAM authorization without a task role" };
            yield break;
        }

        foreach (var finding in CheckRole("efs-iam", "task role", role, FixId.GrantTaskRolePermissions))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckRole(string check, string what, RolePermissionFacts? role, string fix)
    {
        if (role is null || role.Required.Count == 0)
        {
            yield break;
        }

        if (role.Decisions.Count == 0)
        {
            yield return Finding.Of(check, FindingStatus.Wrong,
                Sentence.Of($"The {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} does not exist (the policy simulator knows no such role)."), [role.RoleArn], fix)
            with { Headline = $"{what} does not exist" };
            yield break;
        }

        var missing = Missing(role);
        foreach (var (permission, decision) in Undecided(role))
        {
            yield return Finding.Of(check, FindingStatus.Unknown,
                Sentence.Of($"unknown (the {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} may {permission.Action} on {Sentence.Id(permission.Resource)} only under conditions on {string.Join(", ", decision.MissingContext)}, which the policy simulator cannot evaluate; needed to {permission.Why})"),
                [role.RoleArn, permission.Resource]);
        }

        if (missing.Count == 0)
        {
            var granted = role.Required.Where(p => RolePermissions.DecisionFor(p, role.Decisions) is { IsAllowed: true }).Select(p => p.Action).Distinct().ToList();
            if (granted.Count > 0)
            {
                yield return Finding.Of(check, FindingStatus.Ok,
                    Sentence.Of($"The {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} is allowed {string.Join(", ", granted)} on the task's resources."), [role.RoleArn]);
            }

            yield break;
        }

        var denied = missing.Select(p => (Permission: p, Decision: RolePermissions.DecisionFor(p, role.Decisions)?.Decision ?? "implicitDeny")).ToList();
        var explicitDeny = denied.Any(d => string.Equals(d.Decision, "explicitDeny", StringComparison.OrdinalIgnoreCase));
        var policy = RolePermissions.PolicyJson(missing);
        var refused = Sentence.Join("; ", denied.Select(d => Sentence.Of($"{d.Permission.Action} on {Sentence.Id(d.Permission.Resource)} ({d.Decision}, needed to {d.Permission.Why})")));
        var removeDeny = explicitDeny ? Sentence.Words(" An explicit Deny statement must be removed first.") : Sentence.Empty;
        yield return Finding.Of(check, FindingStatus.Missing,
            Sentence.Of($"The {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} may not {refused}.{removeDeny} Missing policy: {policy}"),
            [role.RoleArn, .. missing.Select(p => p.Resource).Distinct()], fix)
        with
        {
            Headline = $"{what} lacks {missing[0].Action}",
            Detail = policy,
        };
    }
}

/// <summary>The execution role area: may it pull the image, read the secrets and write the logs.</summary>
public sealed class ExecutionRoleCheck : IAreaCheck
{
    public DiagnosisScope Checks => DiagnosisScope.ExecutionRole;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && input.TaskDefinition is { } td
            ? RoleChecks.CheckExecutionRole(td, input.Scope & Checks, input.Context.ExecutionRole, input.Target.Region, input.Account)
            : [];

    /// <summary>A simulation of the execution role; one of a task role that is not also the execution role is the EFS area's.</summary>
    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) =>
        gap.Action == "iam:SimulatePrincipalPolicy" && !TaskRoleForEfsCheck.IsTaskRoleOnly(gap, taskDefinition) ? "execution-role" : null;
}

/// <summary>The EFS permissions area: may the task role mount the file system with IAM authorization.</summary>
public sealed class TaskRoleForEfsCheck : IAreaCheck
{
    public DiagnosisScope Checks => DiagnosisScope.EfsPermissions;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && input.TaskDefinition is { } td
            ? RoleChecks.CheckTaskRoleForEfs(td, input.Context.TaskRole)
            : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) =>
        gap.Action == "iam:SimulatePrincipalPolicy" && IsTaskRoleOnly(gap, taskDefinition) ? "efs-iam" : null;

    internal static bool IsTaskRoleOnly(ReadGap gap, TaskDefinitionFacts? taskDefinition) =>
        gap.Resource == taskDefinition?.TaskRoleArn && gap.Resource != taskDefinition?.ExecutionRoleArn;
}
