using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>
/// The advisory's plan: what the diagnosis proved decides the order of the steps. The fix of the first problem
/// leads (its changes first), then the fixes that cure the same problem instead, then the fixes of the other
/// problems, then the reads whose answer the diagnosis does not hold. A read of a value a finding already states is
/// left out, and so is a change of a fix nothing proved. When nothing is proved, the category's fixes are given as
/// they come, without the reads the findings answer.
/// </summary>
public static class Remedy
{
    public static IReadOnlyList<NextStep> Plan(IReadOnlyList<NextStep> steps, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(findings);
        var held = findings.SelectMany(Fact.HeldBy).ToHashSet(StringComparer.Ordinal);
        var open = steps.Where(s => s.LooksUp is not { } fact || !held.Contains(fact)).ToList();
        var problems = findings.Where(f => f.IsProblem && f.Fix is not null).ToList();
        var proven = problems.Select(f => f.Fix!).Distinct(StringComparer.Ordinal).ToList();
        if (proven.Count == 0)
        {
            // Nothing proved: read what the event left out first, then what may fix it.
            return [.. open.Where(s => s.Fix is null).Select(s => s with { Group = StepGroup.Check }),
                .. open.Where(s => s.Fix is not null).Select(s => s with { Group = StepGroup.Possible })];
        }

        var alternatives = problems.Where(f => f.Fix == proven[0])
            .SelectMany(f => f.Alternatives ?? [])
            .Where(a => !proven.Contains(a))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var plan = new List<NextStep>();
        void Add(string fix, StepGroup group) =>
            plan.AddRange(open.Where(s => s.Fix == fix).OrderBy(s => s.Kind == StepKind.Change ? 0 : 1).Select(s => s with { Group = group }));

        Add(proven[0], StepGroup.Fix);
        foreach (var alternative in alternatives)
        {
            Add(alternative, StepGroup.Alternative);
        }

        foreach (var other in proven.Skip(1))
        {
            Add(other, StepGroup.Also);
        }

        var placed = proven.Concat(alternatives).ToHashSet(StringComparer.Ordinal);
        plan.AddRange(open.Where(s => s.Kind == StepKind.Check && (s.Fix is null || !placed.Contains(s.Fix))).Select(s => s with { Group = StepGroup.Check }));
        return [.. plan.DistinctBy(s => s.Command, StringComparer.Ordinal)];
    }

    /// <summary>The fix the plan leads with, when the diagnosis proved a cause.</summary>
    public static string? LeadingFix(IReadOnlyList<NextStep> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.FirstOrDefault(s => s.Group == StepGroup.Fix)?.Fix;
    }
}
