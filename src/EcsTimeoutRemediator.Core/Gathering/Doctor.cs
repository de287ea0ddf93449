using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Gathering;

/// <summary>Runs every check that applies to a service's configuration, whether or not a task has failed.</summary>
public static class Doctor
{
    public static async Task<DoctorReport> RunAsync(ContextGatherer gatherer, DiagnosisTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(gatherer);
        ArgumentNullException.ThrowIfNull(target);
        var context = await gatherer.GatherAsync(target, DiagnosisScope.All, ct).ConfigureAwait(false);
        return Report(target, context);
    }

    /// <summary>The report of an account whose role was refused: that finding, and how to deploy the role.</summary>
    public static DoctorReport Refused(DiagnosisTarget target, AccountRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(refusal);
        return Report(target, InfrastructureContext.Empty with { Target = target, Unreachable = refusal });
    }

    private static DoctorReport Report(DiagnosisTarget target, InfrastructureContext context)
    {
        var resolved = context.Target ?? target;
        var findings = new List<Finding>();
        if (target.ServiceName is not null && context.Service is null && context.Unreachable is null && !context.Gaps.Any(g => g.Action == "ecs:DescribeServices"))
        {
            findings.Add(Finding.Of("service", FindingStatus.Missing,
                Sentence.Of($"Service {Sentence.Id(target.ServiceName)} was not found in cluster {target.Cluster} (or it is inactive)."), [target.ServiceName]));
        }

        if (context.TaskDefinition is null && context.Unreachable is null && (target.TaskDefinitionArn ?? context.Service?.TaskDefinitionArn) is { } arn && !context.Gaps.Any(g => g.Action == "ecs:DescribeTaskDefinition"))
        {
            findings.Add(Finding.Of("task-definition", FindingStatus.Missing, Sentence.Of($"Task definition {Sentence.Id(arn)} was not found."), [arn]));
        }

        findings.AddRange(Diagnoser.Diagnose(resolved, null, DiagnosisScope.All, context));
        var ordered = findings.OrderBy(f => f.Status switch { FindingStatus.Missing => 0, FindingStatus.Wrong => 1, FindingStatus.Unknown => 3, _ => 2 }).ToList();
        var problems = ordered.Where(f => f.IsProblem && f.Fix is not null).ToList();
        var candidates = problems.Select(f => f.Fix!).Concat(problems.SelectMany(f => f.Alternatives ?? [])).Distinct(StringComparer.Ordinal);
        var plan = Remedy.Plan([.. candidates.SelectMany(fix => NextSteps.ForDoctor(fix, resolved, context))], ordered);
        var fixes = plan.Where(s => s.Fix is not null && s.Group != StepGroup.Check)
            .GroupBy(s => s.Fix!, StringComparer.Ordinal)
            .Select(g => new DoctorFix(g.Key, [.. g]) { Group = g.First().Group ?? StepGroup.Fix })
            .ToList();
        return new DoctorReport
        {
            Region = resolved.Region,
            Cluster = resolved.Cluster,
            Service = resolved.ServiceName,
            TaskDefinition = context.TaskDefinition?.TaskDefinitionArn ?? resolved.TaskDefinitionArn,
            Subnets = resolved.Subnets,
            SecurityGroups = resolved.SecurityGroups,
            Findings = ordered,
            Fixes = fixes,
            ReadCalls = context.ReadCalls,
            NothingRead = context.NothingRead,
        };
    }
}
