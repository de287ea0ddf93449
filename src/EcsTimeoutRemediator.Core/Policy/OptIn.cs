using System.Globalization;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Policy;

/// <summary>
/// A service's opt-in, read from its tags. Absent or <c>none</c> means advise only; any malformed tag value is
/// reported and the whole opt-in is treated as absent.
/// </summary>
public sealed record OptIn(IReadOnlySet<string> Fixes, int? MaxGraceSeconds, bool DryRun, IReadOnlyList<string> Problems)
{
    public const string AutoFixTag = "ecs-remediator:auto-fix";
    public const string MaxGraceTag = "ecs-remediator:max-grace-seconds";
    public const string ModeTag = "ecs-remediator:mode";

    public static OptIn None { get; } = new(new HashSet<string>(), null, false, []);

    public bool Allows(string fixId) => Fixes.Contains(fixId);

    public static OptIn From(ServiceFacts? service, IReadOnlyCollection<string> knownFixes)
    {
        ArgumentNullException.ThrowIfNull(knownFixes);
        if (service is null || !service.Tags.TryGetValue(AutoFixTag, out var raw))
        {
            return None;
        }

        var problems = new List<string>();
        var fixes = new HashSet<string>(StringComparer.Ordinal);
        var value = raw.Trim();
        if (value.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            fixes.UnionWith(knownFixes);
        }
        else if (!value.Equals("none", StringComparison.OrdinalIgnoreCase) && value.Length > 0)
        {
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (knownFixes.Contains(part))
                {
                    fixes.Add(part);
                }
                else
                {
                    problems.Add($"tag {AutoFixTag} names unknown fix \"{part}\" (known: {string.Join(", ", knownFixes)}, or all / none)");
                }
            }
        }

        int? maxGrace = null;
        if (service.Tags.TryGetValue(MaxGraceTag, out var graceRaw))
        {
            if (int.TryParse(graceRaw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var g) && g > 0)
            {
                maxGrace = g;
            }
            else
            {
                problems.Add($"tag {MaxGraceTag} must be a positive whole number of seconds, not \"{graceRaw}\"");
            }
        }

        var dryRun = false;
        if (service.Tags.TryGetValue(ModeTag, out var modeRaw))
        {
            if (modeRaw.Trim().Equals("dry-run", StringComparison.OrdinalIgnoreCase))
            {
                dryRun = true;
            }
            else
            {
                problems.Add($"tag {ModeTag} may only be \"dry-run\", not \"{modeRaw}\"");
            }
        }

        return problems.Count > 0
            ? new OptIn(new HashSet<string>(), null, false, problems)
            : new OptIn(fixes, maxGrace, dryRun, []);
    }
}
