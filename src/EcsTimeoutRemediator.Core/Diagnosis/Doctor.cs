using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>What <c>ecs-remediator doctor</c> found for one service or task definition.</summary>
public sealed record DoctorReport
{
    [JsonPropertyName("region")] public required string Region { get; init; }

    /// <summary>The account that was checked through <see cref="RoleArn"/> (<c>doctor --account</c> or <c>--role-arn</c>); null: the caller's own.</summary>
    [JsonPropertyName("account")] public string? Account { get; init; }
    [JsonPropertyName("roleArn")] public string? RoleArn { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("service")] public string? Service { get; init; }
    [JsonPropertyName("taskDefinition")] public string? TaskDefinition { get; init; }
    [JsonPropertyName("subnets")] public required IReadOnlyList<string> Subnets { get; init; }
    [JsonPropertyName("securityGroups")] public required IReadOnlyList<string> SecurityGroups { get; init; }

    /// <summary>Problems first (missing, then wrong), then what is fine, then what could not be known.</summary>
    [JsonPropertyName("findings")] public required IReadOnlyList<Finding> Findings { get; init; }
    [JsonPropertyName("readCalls")] public int ReadCalls { get; init; }

    /// <summary>The commands for each fix a problem calls for, in the order of the problems.</summary>
    [JsonPropertyName("fixes")] public IReadOnlyList<DoctorFix> Fixes { get; init; } = [];

    /// <summary>
    /// True when reads failed after the SDK's retries and none was answered: nothing could be read, and every
    /// finding is unknown (<c>doctor</c> exits 1).
    /// </summary>
    [JsonPropertyName("nothingRead")] public bool NothingRead { get; init; }

    /// <summary>True when at least one finding is missing or wrong.</summary>
    [JsonPropertyName("problems")] public bool HasProblems => Findings.Any(f => f.IsProblem);
}

/// <summary>One fix id and its copy-paste commands, as the plan places it (the fix, another way, or a further problem's fix).</summary>
public sealed record DoctorFix(
    [property: JsonPropertyName("fix")] string Fix,
    [property: JsonPropertyName("steps")] IReadOnlyList<Advisories.NextStep> Steps)
{
    [JsonPropertyName("group")] public Advisories.StepGroup Group { get; init; } = Advisories.StepGroup.Fix;
}

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
        var plan = Advisories.Remedy.Plan([.. candidates.SelectMany(fix => Advisories.NextSteps.ForDoctor(fix, resolved, context))], ordered);
        var fixes = plan.Where(s => s.Fix is not null && s.Group != Advisories.StepGroup.Check)
            .GroupBy(s => s.Fix!, StringComparer.Ordinal)
            .Select(g => new DoctorFix(g.Key, [.. g]) { Group = g.First().Group ?? Advisories.StepGroup.Fix })
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
