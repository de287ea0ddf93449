using System.Globalization;
using System.Text;

namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>
/// The plain-text renderings of an <see cref="AdvisoryDocument"/>: the advisory body (what SNS e-mails and the
/// journal keep), the e-mail (the body, its links and the incident), and the CLI's text (<c>explain</c>, and the
/// plan of <c>doctor</c>). Plain text is not interpreted, so nothing is escaped: a finding shows
/// <see cref="Diagnosis.Sentence.Plain"/>, and every command stands on a line of its own, exactly as it is pasted.
/// Fields are aligned for a fixed or proportional font, commands indented so that a mail client does not re-flow them.
/// </summary>
public static class PlainText
{
    /// <summary>The advisory body: the lead, the fixes, the facts, the cause, the evidence, the findings and the plan.</summary>
    public static string Body(AdvisoryDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sb = new StringBuilder();
        sb.Append(document.Lead).Append(": ").Append(document.Headline).Append("\n\n");
        Sections(sb, document);
        return sb.ToString();
    }

    /// <summary>The e-mail: the body, then the console and runbook links on lines of their own (so that every client makes them clickable), then the incident key.</summary>
    public static string Email(AdvisoryDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sb = new StringBuilder(Body(document).TrimEnd('\n')).Append('\n');
        if (document.Console is not null || document.Runbook is not null)
        {
            sb.Append("\nLinks\n");
            if (document.Console is { } console)
            {
                sb.Append("  ECS console").Append(console.InAccount).Append(":\n  ").Append(console.Url).Append('\n');
            }

            if (document.Runbook is { } runbook)
            {
                sb.Append("  Deeper check with the ").Append(ConsoleLinks.TroubleshootRunbook).Append(" runbook").Append(runbook.InAccount).Append(":\n  ").Append(runbook.Url).Append('\n');
            }
        }

        sb.Append("\n-- \n");
        if (document.IncidentKey is { } key)
        {
            sb.Append("Incident ").Append(key).Append('\n');
        }

        sb.Append("Sent by ecs-timeout-remediator for an ").Append(document.Source).Append(" event.\n");
        return sb.ToString();
    }

    /// <summary><c>explain</c> for a terminal: whether it is a failure and of what, then the same sections as the body.</summary>
    public static string Explain(AdvisoryDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sb = new StringBuilder();
        sb.Append(document.Actionable ? "FAILURE" : "NO ACTION NEEDED").Append(": ").Append(document.Category);
        if (document.Who.Length > 0)
        {
            sb.Append(" on ").Append(document.Who);
        }

        sb.Append("\n\n");
        Sections(sb, document);
        return sb.ToString();
    }

    /// <summary>The plan: each section's heading, each fix's line, the numbered steps with their commands.</summary>
    public static string Plan(IReadOnlyList<PlanSection> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        Plan(sb, plan);
        return sb.ToString();
    }

    /// <summary>"[MISSING] sentence": one finding on one line.</summary>
    public static string Finding(FindingItem finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return $"[{finding.Mark}] {finding.Sentence.Plain}";
    }

    /// <summary>
    /// <c>doctor</c> for a terminal: what was checked, one line per finding (✓ ok, ✗ missing or wrong, ? unknown), the
    /// counts, each missing policy verbatim, then the fixes in the advisory's plan (each fix under the line that
    /// names it, the steps numbered).
    /// </summary>
    public static string Doctor(Advisories.DoctorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        var what = report.Service is { } s ? $"service {report.Cluster}/{s}" : $"task definition {report.TaskDefinition}";
        var where = report.Account is { } account ? $"account {account} ({report.Region}), through {report.RoleArn}" : report.Region;
        sb.Append("ecs-remediator doctor: ").Append(what).Append(" in ").Append(where).Append('\n');
        if (report.TaskDefinition is { } td && report.Service is not null)
        {
            sb.Append("  task definition  ").Append(td).Append('\n');
        }

        sb.Append("  subnets          ").Append(report.Subnets.Count > 0 ? string.Join(", ", report.Subnets) : "-").Append('\n');
        sb.Append("  security groups  ").Append(report.SecurityGroups.Count > 0 ? string.Join(", ", report.SecurityGroups) : "-").Append("\n\n");

        // The report's own order (missing, wrong, ok, unknown): a table reads top-down by severity.
        var findings = report.Findings.Select(FindingItem.Of).ToList();
        var width = findings.Count == 0 ? 5 : findings.Max(f => f.Check.Length);
        foreach (var f in findings)
        {
            var mark = f.Status switch
            {
                Diagnosis.FindingStatus.Ok => "✓",
                Diagnosis.FindingStatus.Unknown => "?",
                _ => "✗",
            };
            sb.Append(mark).Append(' ').Append(f.Check.PadRight(width)).Append("  ").Append(f.Mark.ToLowerInvariant().PadRight(7)).Append("  ").Append(f.Sentence.Plain).Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture,
            $"\n{findings.Count(f => f.IsProblem)} missing or wrong, {findings.Count(f => f.Status == Diagnosis.FindingStatus.Ok)} ok, {findings.Count(f => f.Status == Diagnosis.FindingStatus.Unknown)} unknown ({report.ReadCalls} read calls)\n");
        foreach (var policy in findings.Where(f => f.IsProblem && f.Detail is not null))
        {
            sb.Append("\nMissing policy (").Append(policy.Check).Append(")\n  ").Append(policy.Detail).Append('\n');
        }

        var steps = report.Fixes.SelectMany(fix => fix.Steps.Select(step => step with { Group = step.Group ?? fix.Group, Fix = step.Fix ?? fix.Fix })).ToList();
        Plan(sb, AdvisoryDocument.PlanOf(steps));
        return sb.ToString();
    }

    private static void Sections(StringBuilder sb, AdvisoryDocument document)
    {
        if (document.IncidentNote is { } note)
        {
            sb.Append("Still failing: ").Append(note).Append("\n\n");
        }

        if (document.Fixes.Count > 0)
        {
            sb.Append("Automatic fixes\n");
            foreach (var fix in document.Fixes)
            {
                sb.Append("  ").Append(fix.Line).Append('\n');
                if (fix.RevertCommand is { } revert)
                {
                    sb.Append("     undo: ").Append(revert).Append('\n');
                }
            }

            if (document.FixNote is { } fixNote)
            {
                sb.Append("  Note: ").Append(fixNote).Append('\n');
            }

            sb.Append('\n');
        }

        Fields(sb, document.Facts);
        sb.Append("\nWhat happened\n  ").Append(document.Summary).Append('\n');
        if (document.Evidence.Count > 0)
        {
            sb.Append("\nEvidence\n");
            Fields(sb, document.Evidence);
        }

        if (document.Findings.Count > 0)
        {
            sb.Append("\nWhat the infrastructure shows\n");
            foreach (var f in document.Findings)
            {
                sb.Append("  ").Append(Finding(f)).Append('\n');
            }
        }

        Plan(sb, document.Plan);
    }

    private static void Plan(StringBuilder sb, IReadOnlyList<PlanSection> plan)
    {
        foreach (var section in plan)
        {
            sb.Append('\n').Append(section.Title).Append('\n');
            foreach (var option in section.Options)
            {
                if (option.Title is { } title)
                {
                    sb.Append("  ").Append(title).Append('\n');
                }

                foreach (var step in option.Steps)
                {
                    sb.Append("  ").Append(step.Number).Append(". ").Append(step.Title).Append("\n     ").Append(step.Command).Append('\n');
                }
            }
        }
    }

    private static void Fields(StringBuilder sb, IReadOnlyList<DocumentItem> items)
    {
        foreach (var item in items)
        {
            sb.Append("  ").Append((item.Label + ":").PadRight(18)).Append(item.Value).Append('\n');
        }
    }
}
