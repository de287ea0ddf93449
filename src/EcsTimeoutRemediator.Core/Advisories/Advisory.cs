using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>What is published about one failure: a short subject and a body people can act on.</summary>
public sealed record Advisory
{
    public const int MaxSubjectLength = 100;

    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("body")] public required string Body { get; init; }
    [JsonPropertyName("headline")] public required string Headline { get; init; }
    [JsonPropertyName("task")] public required TaskIdentity Task { get; init; }
    [JsonPropertyName("classification")] public required ClassificationResult Classification { get; init; }
    [JsonPropertyName("findings")] public required IReadOnlyList<Finding> Findings { get; init; }
    [JsonPropertyName("nextSteps")] public required IReadOnlyList<NextStep> NextSteps { get; init; }

    /// <summary>The incident this failure belongs to (<see cref="Advisories.IncidentKey"/>); chat threads key on it.</summary>
    [JsonPropertyName("incidentKey")] public string? IncidentKey { get; init; }

    /// <summary>The ECS console page of the service, or of the task when it belongs to no service.</summary>
    [JsonPropertyName("consoleUrl")] public string? ConsoleUrl { get; init; }

    /// <summary>The AWSSupport-TroubleshootECSTaskFailedToStart runbook, filled in, for start-up failures.</summary>
    [JsonPropertyName("runbookUrl")] public string? RunbookUrl { get; init; }

    /// <summary>For a follow-up in a running incident: "N more failures since HH:MM …".</summary>
    [JsonPropertyName("incidentNote")] public string? IncidentNote { get; init; }

    /// <summary>What the automatic fixes did for this failure (applied, would apply, skipped with the reason).</summary>
    [JsonPropertyName("fixes")] public IReadOnlyList<Policy.FixOutcome> Fixes { get; init; } = [];
}

/// <summary>Builds the advisory text from the classification, the findings and the next steps.</summary>
public static class AdvisoryBuilder
{
    public static string HeadlineOf(string category) => category switch
    {
        Category.ImagePullNetwork => "image pull timed out",
        Category.ImagePullPermission => "image pull denied",
        Category.ImagePullNotFound => "image not found",
        Category.ImagePullRateLimit => "image pull rate limited",
        Category.ImagePullPlatform => "image built for another platform",
        Category.ImagePullUnpack => "image could not be unpacked",
        Category.SecretsNetwork => "secrets fetch timed out",
        Category.SecretsPermission => "secrets access denied",
        Category.SecretsNotFound => "secret or parameter not found",
        Category.LogsNetwork => "CloudWatch Logs unreachable",
        Category.LogsPermission => "CloudWatch Logs access denied",
        Category.LogsNotFound => "log group missing",
        Category.EfsNetwork => "EFS mount timed out",
        Category.EfsPermission => "EFS mount denied",
        Category.EniTimeout => "network interface not provisioned",
        Category.HealthElb => "failed load balancer health checks",
        Category.HealthContainer => "failed container health checks",
        Category.ExitOom => "container out of memory",
        Category.ExitEssential => "essential container exited",
        Category.StartContainer => "container failed to start",
        Category.PlacementCapacity => "no capacity to place the task",
        _ => "task stopped for an unrecognised reason",
    };

    /// <summary>What the advisory is about: a stopped task, a service that could not start tasks, a failed deployment.</summary>
    public static string Lead(TaskIdentity task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.EventName switch
        {
            null => "ECS task stopped",
            Events.ServiceEvents.DeploymentFailed => "ECS deployment failed",
            _ => "ECS service could not start tasks",
        };
    }

    /// <summary>
    /// The advisory for a diagnosed event: the category's fixes ranked by what the findings proved, their commands
    /// filled from what was gathered, the plan led by the proven fix.
    /// </summary>
    public static Advisory Decide(TaskStoppedEvent e, ClassificationResult c, IReadOnlyList<Finding> findings, Context.InfrastructureContext context, IReadOnlyList<Policy.FixOutcome>? fixes = null, string? incidentNote = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(context);
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        return Build(TaskIdentity.From(e), ranked, findings, Advisories.NextSteps.For(e, ranked, context), fixes, incidentNote);
    }

    public static Advisory Build(TaskIdentity task, ClassificationResult c, IReadOnlyList<Finding> findings, IReadOnlyList<NextStep> nextSteps, IReadOnlyList<Policy.FixOutcome>? fixes = null, string? incidentNote = null)
    {
        fixes ??= [];
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(nextSteps);
        nextSteps = Remedy.Plan(nextSteps, findings);

        // A deployment event names what failed it (the circuit breaker), not the unknown category of its reason.
        var headline = ServiceEventChecks.HeadlineOf(task.EventName, c) ?? HeadlineOf(c.Category);
        var lead = findings.FirstOrDefault(f => f.IsProblem && f.Headline is not null)?.Headline;
        var who = task.Service is { } s ? $"{task.Cluster}/{s}" : $"{task.Cluster}/{task.Family ?? "task"}";
        var applied = fixes.FirstOrDefault(f => f.Result == Policy.FixResult.Applied);
        var subject = Text.Truncate(applied is not null
            ? $"[ECS] {who}: fixed {headline} ({applied.Fix} {applied.Before} → {applied.After})"
            : $"[ECS] {who}: {headline}{(lead is null ? "" : $" ({lead})")}", Advisory.MaxSubjectLength);

        return new Advisory
        {
            Subject = subject,
            Headline = headline,
            Task = task,
            Classification = c,
            Findings = findings,
            NextSteps = nextSteps,
            Fixes = fixes,
            IncidentNote = incidentNote,
            Body = RenderBody(task, c, headline, findings, nextSteps, fixes, incidentNote),
            IncidentKey = Advisories.IncidentKey.For(task, c.Category).Value,
            ConsoleUrl = ConsoleLinks.For(task),
            RunbookUrl = ConsoleLinks.Runbook(task, c.Category),
        };
    }

    private static string RenderBody(TaskIdentity task, ClassificationResult c, string headline, IReadOnlyList<Finding> findings, IReadOnlyList<NextStep> nextSteps, IReadOnlyList<Policy.FixOutcome> fixes, string? incidentNote)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Lead(task)}: {headline}\n\n");
        if (incidentNote is not null)
        {
            sb.Append("Still failing: ").Append(incidentNote).Append("\n\n");
        }

        if (fixes.Count > 0)
        {
            sb.Append("Automatic fixes\n");
            foreach (var line in FixLines(fixes))
            {
                sb.Append("  ").Append(line).Append('\n');
            }

            sb.Append('\n');
        }

        Field(sb, "Account", $"{task.Account} ({task.Region})");
        Field(sb, "Cluster", task.Cluster);
        Field(sb, "Service", task.Service ?? $"(none: task family {task.Family})");
        Field(sb, "Event", task.EventName);
        Field(sb, "Deployment", task.DeploymentId);
        Field(sb, "Task", task.TaskArn);
        Field(sb, "Task definition", task.TaskDefinitionArn);
        Field(sb, "Category", $"{c.Category} (confidence {c.Confidence.ToString("0.00", CultureInfo.InvariantCulture)})");
        Field(sb, "Stopped at", task.StoppedAt?.ToString("u", CultureInfo.InvariantCulture));
        sb.Append("\nWhat happened\n  ").Append(c.Summary).Append('\n');

        var e = c.Evidence;
        sb.Append("\nEvidence\n");
        Field(sb, "stop code", e.StopCode);
        Field(sb, "message", e.MatchedText);
        Field(sb, "container", e.ContainerName is null ? null : $"{e.ContainerName}{(e.ExitCode is { } code ? $" (exit code {code})" : "")}");
        Field(sb, "image", e.Image);
        Field(sb, "registry", e.RegistryHost);
        Field(sb, "target group", e.TargetGroupArn);
        Field(sb, "secrets", e.SecretArns is { Count: > 0 } arns ? string.Join(", ", arns) : null);
        Field(sb, "log group", e.LogGroup);
        Field(sb, "file system", e.FileSystemId);
        Field(sb, "endpoint", e.EndpointHost);

        if (findings.Count > 0)
        {
            sb.Append("\nWhat the infrastructure shows\n");
            foreach (var f in findings)
            {
                var mark = f.Status switch
                {
                    FindingStatus.Missing => "MISSING",
                    FindingStatus.Wrong => "WRONG",
                    FindingStatus.Unknown => "UNKNOWN",
                    _ => "ok",
                };
                sb.Append(CultureInfo.InvariantCulture, $"  [{mark}] {f.Message}\n");
            }
        }

        var n = 1;
        string? heading = null;
        foreach (var (group, fix, steps) in Sections(nextSteps))
        {
            var section = SectionTitle(group);
            if (section != heading)
            {
                sb.Append('\n').Append(section).Append('\n');
                heading = section;
            }

            if (OptionTitle(group, fix) is { } option)
            {
                sb.Append("  ").Append(option).Append('\n');
            }

            foreach (var step in steps)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {n++}. {step.Title}\n     {step.Command}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>The plan's steps in runs of one group and one fix, in order.</summary>
    public static IReadOnlyList<(StepGroup Group, string? Fix, IReadOnlyList<NextStep> Steps)> Sections(IReadOnlyList<NextStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var sections = new List<(StepGroup Group, string? Fix, IReadOnlyList<NextStep> Steps)>();
        foreach (var step in steps)
        {
            var group = step.Group ?? (step.Fix is null ? StepGroup.Check : StepGroup.Possible);
            var fix = group == StepGroup.Check ? null : step.Fix;
            if (sections.Count > 0 && sections[^1].Group == group && sections[^1].Fix == fix)
            {
                ((List<NextStep>)sections[^1].Steps).Add(step);
            }
            else
            {
                sections.Add((group, fix, new List<NextStep> { step }));
            }
        }

        return sections;
    }

    /// <summary>The heading over a run of steps: the fix, what may fix it, or what is left to check.</summary>
    public static string SectionTitle(StepGroup group) => group switch
    {
        StepGroup.Fix or StepGroup.Alternative or StepGroup.Also => "How to fix it",
        StepGroup.Possible => "What may fix it (the diagnosis proved no cause)",
        _ => "To check",
    };

    /// <summary>The line that names a fix's steps ("Or instead: route 0.0.0.0/0 through a NAT gateway [add-nat-route]"); null for checks.</summary>
    public static string? OptionTitle(StepGroup group, string? fix)
    {
        if (fix is null || group == StepGroup.Check)
        {
            return null;
        }

        var title = FixTitles.Of(fix);
        var lower = char.ToLowerInvariant(title[0]) + title[1..];
        return group switch
        {
            StepGroup.Alternative => $"Or instead: {lower} [{fix}]",
            StepGroup.Also => $"Also: {lower} [{fix}]",
            _ => $"{title} [{fix}]",
        };
    }

    /// <summary>One line per fix outcome (with its undo command), then the Security Hub note when a public IP was considered; shared by every format.</summary>
    public static IReadOnlyList<string> FixLines(IReadOnlyList<Policy.FixOutcome> fixes)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        var lines = new List<string>();
        foreach (var f in fixes)
        {
            var label = f.Result switch
            {
                Policy.FixResult.Applied => "APPLIED",
                Policy.FixResult.WouldApply => "DRY-RUN",
                Policy.FixResult.Failed => "FAILED",
                _ => "not applied",
            };
            lines.Add($"[{label}] {f.Fix}: {f.Message}");
            if (f.RevertCommand is { } revert)
            {
                lines.Add("   undo: " + revert);
            }
        }

        if (fixes.Any(f => f.Fix == FixId.EnableAssignPublicIp))
        {
            lines.Add("Note: " + Policy.EnableAssignPublicIpFix.SecurityHubNote);
        }

        return lines;
    }

    private static void Field(StringBuilder sb, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            sb.Append("  ").Append((label + ":").PadRight(18)).Append(value).Append('\n');
        }
    }
}

/// <summary>Text helpers that never cut a character in half.</summary>
public static class Text
{
    public const string Marker = "…";

    /// <summary>At most <paramref name="max"/> UTF-16 code units, ending in "…" when cut, never splitting a surrogate pair.</summary>
    public static string Truncate(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= max)
        {
            return value;
        }

        var cut = max - Marker.Length;
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return value[..Math.Max(cut, 0)] + Marker;
    }

    /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, ending in a marker when cut, never splitting a character.</summary>
    public static string TruncateUtf8(string value, int maxBytes, string marker = "\n… (cut)")
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(marker);
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount(marker);
        var sb = new StringBuilder();
        var used = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            var n = rune.Utf8SequenceLength;
            if (used + n > budget)
            {
                break;
            }

            sb.Append(rune.ToString());
            used += n;
        }

        return sb.Append(marker).ToString();
    }
}
