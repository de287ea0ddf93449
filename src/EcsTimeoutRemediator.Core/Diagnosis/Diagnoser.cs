using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>Pure checks over the gathered context; problems first, then what was found fine, then what is unknown.</summary>
public static class Diagnoser
{
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

        var findings = new List<Finding>();
        var td = context.TaskDefinition;
        var account = target.AccountOr(td?.TaskDefinitionArn);

        if (scope.HasFlag(DiagnosisScope.NetworkPath) && context.Network is { } network)
        {
            findings.AddRange(NetworkPath.Check(target, category, td, network));
        }

        if (td is not null)
        {
            if (scope.HasFlag(DiagnosisScope.Registry))
            {
                findings.AddRange(RegistryChecks.Check(target, category, td, context.Registry));
            }

            var roleScope = scope & DiagnosisScope.ExecutionRole;
            if (roleScope != DiagnosisScope.None)
            {
                findings.AddRange(RoleChecks.CheckExecutionRole(td, roleScope, context.ExecutionRole, target.Region, account));
            }

            if (scope.HasFlag(DiagnosisScope.SecretsPermissions))
            {
                findings.AddRange(SecretKeyChecks.Check(context.SecretKeys));
            }

            if (scope.HasFlag(DiagnosisScope.LogGroup))
            {
                findings.AddRange(LogsChecks.Check(target, td, context.LogGroups, context.ExecutionRole));
            }

            if (scope.HasFlag(DiagnosisScope.Efs))
            {
                findings.AddRange(EfsChecks.Check(target, td, context.Efs, context.Network));
            }

            if (scope.HasFlag(DiagnosisScope.EfsPermissions))
            {
                findings.AddRange(RoleChecks.CheckTaskRoleForEfs(td, context.TaskRole));
            }

            if (scope.HasFlag(DiagnosisScope.ContainerHealth))
            {
                findings.AddRange(ContainerHealthChecks.Check(target, category, td));
            }
        }

        if (scope.HasFlag(DiagnosisScope.LoadBalancer) && (context.LoadBalancer is not null || category == Category.HealthElb))
        {
            findings.AddRange(LoadBalancerHealth.Check(target, context.Service, td, context.LoadBalancer));
        }

        if ((scope & DiagnosisScope.ServiceEvents) != DiagnosisScope.None)
        {
            findings.AddRange(ServiceEventChecks.Check(target, scope, context));
        }

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
    private static string AreaOf(ReadGap gap, TaskDefinitionFacts? td) => gap.Action switch
    {
        "ecs:DescribeServices" => "service",
        "ecs:DescribeTaskDefinition" => "task-definition",
        "ecs:DescribeClusters" or "ecs:DescribeCapacityProviders" => "cluster-capacity",
        "ec2:DescribeSubnets" or "ec2:DescribeRouteTables" or "ec2:DescribeNatGateways" => "route",
        "ec2:DescribeVpcEndpoints" => "vpc-endpoints",
        "ec2:DescribeSecurityGroups" => "security-group-egress",
        "ec2:DescribeNetworkAcls" => "network-acl",
        "ec2:DescribeVpcAttribute" => "vpc-dns",
        "iam:SimulatePrincipalPolicy" when gap.Resource == td?.TaskRoleArn && gap.Resource != td?.ExecutionRoleArn => "efs-iam",
        "iam:SimulatePrincipalPolicy" => "execution-role",
        "logs:DescribeLogGroups" => "log-group",
        "secretsmanager:DescribeSecret" or "ssm:DescribeParameters" or "kms:DescribeKey" => "secret-key",
        _ when gap.Action.StartsWith("ecr:", StringComparison.Ordinal) => "ecr-image",
        _ when gap.Action.StartsWith("elasticloadbalancing:", StringComparison.Ordinal) => "load-balancer",
        _ when gap.Action.StartsWith("elasticfilesystem:", StringComparison.Ordinal) => "efs-mount-target",
        _ => gap.Action.Split(':')[0],
    };
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
