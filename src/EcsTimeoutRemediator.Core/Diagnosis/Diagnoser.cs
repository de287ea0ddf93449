using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>Pure checks over the gathered context; problems first, then what was found fine, then what is unknown.</summary>
public static class Diagnoser
{
    /// <summary>Every area's checks, in the order their findings are listed within one status.</summary>
    public static IReadOnlyList<IAreaCheck> Checks { get; } =
    [
        new NetworkPathCheck(),
        new RegistryCheck(),
        new ExecutionRoleCheck(),
        new SecretKeyCheck(),
        new LogGroupCheck(),
        new EfsCheck(),
        new TaskRoleForEfsCheck(),
        new ContainerHealthCheck(),
        new LoadBalancerCheck(),
        new SubnetAddressesCheck(),
        new TaskDefinitionStateCheck(),
        new ClusterCapacityCheck(),
        new DeploymentCheck(),
    ];

    /// <summary>The checks the stop's category chose, over what was gathered for it.</summary>
    public static IReadOnlyList<Finding> Diagnose(TaskStoppedEvent e, ClassificationResult c, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Target ?? DiagnosisTarget.From(e, c) with { AssignPublicIp = context.Service?.Network?.AssignPublicIp };
        var scope = context.Target is null ? ServiceEventChecks.ScopeFor(e, c) : context.Scope;
        return Diagnose(target, c.Category, scope, context);
    }

    /// <summary>Every check of <paramref name="scope"/>; <paramref name="category"/> is null for <c>doctor</c>.</summary>
    public static IReadOnlyList<Finding> Diagnose(DiagnosisTarget target, string? category, DiagnosisScope scope, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Unreachable is { } refusal)
        {
            // Nothing of the account was read: no check can say anything else.
            return [AccountChecks.Unreachable(refusal)];
        }

        var td = context.TaskDefinition;
        var input = new CheckInput(target, category, scope, context, target.AccountOr(td?.TaskDefinitionArn));
        var findings = Checks.SelectMany(check => check.Check(input)).ToList();
        foreach (var gap in context.Gaps)
        {
            findings.Add(gap.Failure is { } failure
                ? Finding.Of(AreaOf(gap, td), FindingStatus.Unknown,
                    Sentence.Of($"unknown ({failure.Describe()}): {gap.Action} on {Sentence.Id(gap.Resource)} was not read"), [gap.Resource])
                : Finding.Of("permission", FindingStatus.Unknown,
                    gap.NotAttempted
                        ? Sentence.Of($"unknown ({gap.Message}: {gap.Action} on {Sentence.Id(gap.Resource)})")
                        : Sentence.Of($"unknown (missing permission {gap.Action} on {Sentence.Id(gap.Resource)})"), [gap.Resource]));
        }

        return [.. findings.OrderBy(f => f.Status switch { FindingStatus.Missing => 0, FindingStatus.Wrong => 1, FindingStatus.Unknown => 3, _ => 2 })];
    }

    /// <summary>The check a read that AWS did not answer leaves unknown, named as that check is when it is known.</summary>
    private static string AreaOf(ReadGap gap, TaskDefinitionFacts? td) =>
        Checks.Select(check => check.NameOfUnread(gap, td)).FirstOrDefault(name => name is not null) ?? gap.Action.Split(':')[0];
}

/// <summary>Orders the remedies by what the infrastructure proved, and drops the ones it ruled out.</summary>
public static class FixRanking
{
    public static IReadOnlyList<string> Rank(IReadOnlyList<string> fixes, IReadOnlyList<Finding> findings, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(context);
        var problems = findings.Where(f => f.IsProblem && f.Fix is not null).ToList();
        var proven = problems.Select(f => f.Fix!).Concat(problems.SelectMany(f => f.Alternatives ?? [])).Distinct().ToList();
        var ruledOut = new HashSet<string>();
        if (context.Network is { Subnets.Count: > 0, RouteTables.Count: > 0 } network)
        {
            var publicSubnets = network.Subnets.Count(s => network.RouteTableOf(s)?.Routes.Any(r => r.IsDefault && r.IsActive && r.ToInternetGateway) == true);
            if (publicSubnets == 0 || context.Service?.Network?.AssignPublicIp == true)
            {
                ruledOut.Add(FixId.EnableAssignPublicIp);
            }

            if (publicSubnets == network.Subnets.Count)
            {
                ruledOut.Add(FixId.AddNatRoute);
            }
        }

        // A fix the infrastructure proved leads, even when the category's own list did not name it (a network ACL),
        // with the fixes that would cure the same problem instead.
        return [.. proven, .. fixes.Where(f => !proven.Contains(f) && !ruledOut.Contains(f))];
    }
}
