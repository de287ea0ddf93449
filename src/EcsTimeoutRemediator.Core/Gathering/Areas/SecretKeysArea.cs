using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The customer managed KMS keys of the secrets and parameters the task reads, read before the execution role's
/// simulation so that it also asks for kms:Decrypt on each key. The secret key port drives Secrets Manager's and
/// SSM's calls (SSM's 50-name batches) and leaves the last read of the budget for the simulation. Only this run's
/// account and Region are read; every secret, parameter or key left unread is reported as a gap.
/// </summary>
internal sealed class SecretKeysArea : IGatheringArea
{
    /// <summary>The reads the key lookups leave for the execution role's simulation.</summary>
    private const int ReservedForSimulation = 1;

    public IReadOnlyList<ReadArea> Declares { get; } =
    [
        new("secret keys", DiagnosisScope.SecretsPermissions, "ReadSecretKeys", ["secretsmanager:DescribeSecret", "kms:DescribeKey"]),
        new("parameter keys", DiagnosisScope.SecretsPermissions, "ReadParameterKeys", ["ssm:DescribeParameters"]),
    ];

    /// <summary>The secrets and parameters whose keys this run reads, from what the execution role is checked for; none when it reads no key.</summary>
    public static IReadOnlyList<string> ResourcesRead(AreaRun run, InfrastructureContext context, IReadOnlyList<RequiredPermission> required) =>
        RoleSimulation.ExecutionRoleScope(run, context).HasFlag(DiagnosisScope.SecretsPermissions) && run.Ports.Inspectors.SecretKeys is not null
            ? RolePermissions.SecretResources(required)
            : [];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        var roleScope = RoleSimulation.ExecutionRoleScope(run, context);
        if (roleScope == DiagnosisScope.None)
        {
            return context;
        }

        var target = context.Target!;
        var required = RolePermissions.ForExecutionRole(context.TaskDefinition!, target.Region, target.Account, roleScope);
        if (ResourcesRead(run, context, required) is not { Count: > 0 } resources)
        {
            return context;
        }

        var reachable = new List<string>();
        foreach (var arn in resources)
        {
            var parts = ArnParts.Parse(arn);
            var action = parts.Service == "secretsmanager" ? "secretsmanager:DescribeSecret" : "ssm:DescribeParameters";
            if (parts.Region != target.Region || parts.Account != target.Account)
            {
                run.Reads.Skip(action, arn, $"it is in {parts.Account}/{parts.Region}, outside this function's account and region; its KMS key is not checked");
            }
            else
            {
                reachable.Add(arn);
            }
        }

        IReadOnlyList<string> secrets = [.. reachable.Where(r => ArnParts.Parse(r).Service == "secretsmanager")];
        IReadOnlyList<string> parameters = [.. reachable.Where(r => ArnParts.Parse(r).Service == "ssm")];
        var references = await run.Ports.Inspectors.SecretKeys!.KeysOfAsync(secrets, parameters, run.Reads.Keeping(ReservedForSimulation), run.Cancellation).ConfigureAwait(false);
        var facts = references.Select(r => r switch
        {
            // Not described (denied or over budget): the reference alone names the key, unless it is an alias.
            { KeyDescribed: false } => new SecretKeyFacts(r.Resource, r.KeyId, RolePermissions.KeyArnOf(r.KeyId, r.Resource), null),
            // An alias that is gone says nothing of the key: values stored under it still decrypt.
            { Key: null } when RolePermissions.KeyArnOf(r.KeyId, r.Resource) is null => new SecretKeyFacts(r.Resource, r.KeyId, null, null) { AliasMissing = true },
            { Key: null } => new SecretKeyFacts(r.Resource, r.KeyId, RolePermissions.KeyArnOf(r.KeyId, r.Resource), null, KeyExists: false),
            { Key: { } key } => new SecretKeyFacts(r.Resource, r.KeyId, key.KeyArn, key),
        });

        // A key that turned out to be AWS managed needs no grant and is never disabled by a customer.
        return context with { SecretKeys = [.. facts.Where(f => f.Key is not { CustomerManaged: false })] };
    }
}
