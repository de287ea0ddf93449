using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>How a renderer shows a value: an id as code where the format has it, text escaped, a long text in a block of its own.</summary>
public enum ValueShape
{
    Id,
    Text,
    Long,
}

/// <summary>One labelled value of the advisory: a fact about the task, or a piece of the evidence.</summary>
public sealed record DocumentItem(string Label, string Value, ValueShape Shape = ValueShape.Id)
{
    /// <summary>Whether the chat formats show it; they leave out what their title or another item already says.</summary>
    public bool InChat { get; init; } = true;
}

/// <summary>One finding as every format shows it: its status word and its sentence.</summary>
public sealed record FindingItem(string Check, FindingStatus Status, Sentence Sentence)
{
    /// <summary>MISSING, WRONG, UNKNOWN or ok: each format dresses it in its own way.</summary>
    public string Mark => Status switch
    {
        FindingStatus.Missing => "MISSING",
        FindingStatus.Wrong => "WRONG",
        FindingStatus.Unknown => "UNKNOWN",
        _ => "ok",
    };

    /// <summary>What to apply verbatim (the exact missing IAM policy), when the finding has it.</summary>
    public string? Detail { get; init; }

    public bool IsProblem => Status is FindingStatus.Missing or FindingStatus.Wrong;

    public static FindingItem Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new FindingItem(finding.Check, finding.Status, finding.Sentence) { Detail = finding.Detail };
    }

    /// <summary>The findings in the order every format shows them: what is not fine first, then what is (stable otherwise).</summary>
    public static IReadOnlyList<FindingItem> Ordered(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return [.. findings.Select(Of).OrderBy(f => f.Status == FindingStatus.Ok ? 1 : 0)];
    }
}

/// <summary>One numbered copy-paste step: what it does, the command as pasted and the argv it was rendered from.</summary>
public sealed record StepItem(int Number, string Title, string Command)
{
    /// <summary>The programs and arguments of <see cref="Command"/>; empty for a step read back from JSON.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Argv { get; init; } = [];

    public string? Fix { get; init; }

    public StepKind Kind { get; init; } = StepKind.Check;
}

/// <summary>One fix's steps in a plan section, with the line that names it (null for checks and an unplanned list).</summary>
public sealed record PlanOption(StepGroup Group, string? Fix, string? Title, IReadOnlyList<StepItem> Steps);

/// <summary>A heading of the plan ("How to fix it", "To check") and the options under it.</summary>
public sealed record PlanSection(string Title, IReadOnlyList<PlanOption> Options);

/// <summary>What one automatic fix did, as every format shows it.</summary>
public sealed record FixItem(string Fix, FixResult Result, string Message)
{
    /// <summary>APPLIED, DRY-RUN, FAILED or "not applied".</summary>
    public string Label => Result switch
    {
        FixResult.Applied => "APPLIED",
        FixResult.WouldApply => "DRY-RUN",
        FixResult.Failed => "FAILED",
        _ => "not applied",
    };

    /// <summary>The undo command as pasted; null when nothing was changed.</summary>
    public string? RevertCommand { get; init; }

    /// <summary>The argv <see cref="RevertCommand"/> was rendered from; null for an outcome read from an older journal.</summary>
    public IReadOnlyList<string>? Revert { get; init; }

    /// <summary>"[APPLIED] fix: message": the outcome in one line of text.</summary>
    public string Line => $"[{Label}] {Fix}: {Message}";

    public static FixItem Of(FixOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new FixItem(outcome.Fix, outcome.Result, outcome.Message) { RevertCommand = outcome.RevertCommand, Revert = outcome.Revert };
    }
}

/// <summary>A console page to open, and the account to sign in to for it (null when the event's account is not a 12-digit id).</summary>
public sealed record LinkItem(string Url, string? Account)
{
    /// <summary>" (account 111122223333)", or empty.</summary>
    public string InAccount => Account is { } id ? $" (account {id})" : "";
}

/// <summary>
/// The advisory as one document, built once from what was decided: every format (the e-mail and the SNS body, the
/// Chatbot notification, Slack, the CLI's text) renders this and only this. Each section is computed here, once:
/// the label of what failed, the lead, the facts and the evidence, the findings with their status, the fix plan in
/// sections with numbered steps, what the automatic fixes did with their undo commands, the incident note and the
/// links. The renderers decide only how it looks and how text is escaped for their medium.
/// </summary>
public sealed record AdvisoryDocument
{
    /// <summary>"ECS task stopped", "ECS service could not start tasks", "ECS deployment failed".</summary>
    public required string Lead { get; init; }

    /// <summary>"image pull timed out": what went wrong, in a few words.</summary>
    public required string Headline { get; init; }

    /// <summary>"cluster/service", or "cluster/family" for a task of no service.</summary>
    public required string Who { get; init; }

    public required string Subject { get; init; }
    public required string Category { get; init; }
    public required bool Actionable { get; init; }

    /// <summary>The cause in a sentence (the classification's summary).</summary>
    public required string Summary { get; init; }

    public string? Account { get; init; }
    public string? Region { get; init; }

    /// <summary>The event type the advisory was made from ("ECS Task State Change", …).</summary>
    public required string Source { get; init; }

    /// <summary>Whether the failure belongs to a service (else to a task of no service).</summary>
    public bool IsService { get; init; }

    /// <summary>What is known about the task: account, cluster, service, event, task, task definition, category, times.</summary>
    public IReadOnlyList<DocumentItem> Facts { get; init; } = [];

    /// <summary>What the stop said: stop code, message, container, image, target group, secrets, log group, …</summary>
    public IReadOnlyList<DocumentItem> Evidence { get; init; } = [];

    /// <summary>What the infrastructure shows, problems first.</summary>
    public IReadOnlyList<FindingItem> Findings { get; init; } = [];

    /// <summary>What the automatic fixes did.</summary>
    public IReadOnlyList<FixItem> Fixes { get; init; } = [];

    /// <summary>A note that goes with the fixes (the Security Hub control a public IP fails); null when none applies.</summary>
    public string? FixNote { get; init; }

    /// <summary>The plan: the proven fix first, then the other ways, the further fixes and what is left to check.</summary>
    public IReadOnlyList<PlanSection> Plan { get; init; } = [];

    /// <summary>For a follow-up in a running incident: "N more failures since HH:MM …".</summary>
    public string? IncidentNote { get; init; }

    public string? IncidentKey { get; init; }
    public LinkItem? Console { get; init; }
    public LinkItem? Runbook { get; init; }

    /// <summary>Every step of the plan, in order and numbered.</summary>
    public IReadOnlyList<StepItem> Steps => [.. Plan.SelectMany(s => s.Options).SelectMany(o => o.Steps)];

    /// <summary>The document of a decided advisory (also of one read back from the journal).</summary>
    public static AdvisoryDocument Of(Advisory advisory)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var task = advisory.Task;
        var c = advisory.Classification;
        return new AdvisoryDocument
        {
            Lead = AdvisoryBuilder.Lead(task),
            Headline = advisory.Headline,
            Who = WhoOf(task),
            Subject = advisory.Subject,
            Category = c.Category,
            Actionable = c.Actionable,
            Summary = c.Summary,
            Account = task.Account,
            Region = task.Region,
            Source = SourceOf(task),
            IsService = task.Service is not null,
            Facts = FactsOf(task, c),
            Evidence = EvidenceOf(c),
            Findings = FindingItem.Ordered(advisory.Findings),
            Fixes = [.. advisory.Fixes.Select(FixItem.Of)],
            FixNote = advisory.Fixes.Any(f => f.Fix == FixId.EnableAssignPublicIp) ? EnableAssignPublicIpFix.SecurityHubNote : null,
            Plan = PlanOf(advisory.NextSteps),
            IncidentNote = advisory.IncidentNote,
            IncidentKey = advisory.IncidentKey,
            Console = advisory.ConsoleUrl is { } console ? new LinkItem(console, ConsoleLinks.AccountOf(task)) : null,
            Runbook = advisory.RunbookUrl is { } runbook ? new LinkItem(runbook, ConsoleLinks.AccountOf(task)) : null,
        };
    }

    /// <summary>The document of <c>explain</c>: no diagnosis ran, so the steps are one list of next steps, and the rule that matched is evidence.</summary>
    public static AdvisoryDocument Of(Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var c = explanation.Classification;
        var task = explanation.Task;
        List<DocumentItem> evidence = [.. EvidenceOf(c), new("Rule", $"{c.Rule} (confidence {Confidence(c)})", ValueShape.Text)];
        if (c.Fixes.Count > 0)
        {
            evidence.Add(new DocumentItem("Fixes", string.Join(", ", c.Fixes)));
        }

        return new AdvisoryDocument
        {
            Lead = task is null ? AdvisoryBuilder.Lead(new TaskIdentity()) : AdvisoryBuilder.Lead(task),
            Headline = AdvisoryBuilder.HeadlineOf(c.Category),
            Who = task is null ? "" : WhoOf(task),
            Subject = c.Summary,
            Category = c.Category,
            Actionable = c.Actionable,
            Summary = c.Summary,
            Account = task?.Account,
            Region = task?.Region,
            Source = SourceOf(task ?? new TaskIdentity()),
            IsService = task?.Service is not null,
            Facts = task is null ? [] : FactsOf(task, null),
            Evidence = evidence,
            Plan = PlanOf(explanation.NextSteps, planned: false),
        };
    }

    /// <summary>"cluster/service", or "cluster/family" (or "cluster/task") for a task of no service.</summary>
    public static string WhoOf(TaskIdentity task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Service is { } s ? $"{task.Cluster}/{s}" : $"{task.Cluster}/{task.Family ?? "task"}";
    }

    /// <summary>
    /// The plan's steps in sections ("How to fix it", "What may fix it", "To check"), each fix's steps under the line
    /// that names it, numbered from 1. An unplanned list (<paramref name="planned"/> false: <c>explain</c>, which runs
    /// no diagnosis) is one section of next steps.
    /// </summary>
    public static IReadOnlyList<PlanSection> PlanOf(IReadOnlyList<NextStep> steps, bool planned = true)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var number = 1;
        StepItem Item(NextStep s) => new(number++, s.Title, s.Command) { Argv = s.Argv, Fix = s.Fix, Kind = s.Kind };
        if (!planned)
        {
            return steps.Count == 0 ? [] : [new PlanSection("Next steps", [new PlanOption(StepGroup.Check, null, null, [.. steps.Select(Item)])])];
        }

        var sections = new List<(string Title, List<PlanOption> Options)>();
        foreach (var (group, fix, run) in AdvisoryBuilder.Sections(steps))
        {
            var title = SectionTitle(group);
            if (sections.Count == 0 || sections[^1].Title != title)
            {
                sections.Add((title, []));
            }

            sections[^1].Options.Add(new PlanOption(group, fix, OptionTitle(group, fix), [.. run.Select(Item)]));
        }

        return [.. sections.Select(s => new PlanSection(s.Title, s.Options))];
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

    private static List<DocumentItem> FactsOf(TaskIdentity task, ClassificationResult? c)
    {
        var items = new List<DocumentItem>();
        void Add(string label, string? value, ValueShape shape = ValueShape.Id, bool inChat = false)
        {
            if (!string.IsNullOrEmpty(value))
            {
                items.Add(new DocumentItem(label, value, shape) { InChat = inChat });
            }
        }

        Add("Account", task.Account is null && task.Region is null ? null : $"{task.Account} ({task.Region})", ValueShape.Text);
        Add("Cluster", task.Cluster);
        Add("Service", task.Service ?? (task.Family is null ? null : $"(none: task family {task.Family})"), ValueShape.Text);
        Add("Event", task.EventName, inChat: true);
        Add("Deployment", task.DeploymentId, inChat: true);
        Add("Task", task.TaskArn, inChat: true);
        Add("Task definition", task.TaskDefinitionArn);
        Add("Launch", task.LaunchType is null ? null : $"{task.LaunchType}{(task.PlatformVersion is { } pv ? $" (platform {pv})" : "")}", ValueShape.Text);
        Add("Subnet", task.SubnetId is null ? null : $"{task.SubnetId}{(task.AvailabilityZone is { } az ? $" ({az})" : "")}", ValueShape.Text);
        if (c is not null)
        {
            Add("Category", $"{c.Category} (confidence {Confidence(c)})", ValueShape.Text);
        }

        Add("Stopped at", task.StoppedAt?.ToString("u", CultureInfo.InvariantCulture), ValueShape.Text);
        Add("Ran for", task.EventName is not null ? null : task.SecondsRunning is { } secs ? $"{secs.ToString(CultureInfo.InvariantCulture)} s" : "never started", ValueShape.Text);
        return items;
    }

    private static List<DocumentItem> EvidenceOf(ClassificationResult c)
    {
        var e = c.Evidence;
        var items = new List<DocumentItem>();
        void Add(string label, string? value, ValueShape shape = ValueShape.Id, bool inChat = true)
        {
            if (!string.IsNullOrEmpty(value))
            {
                items.Add(new DocumentItem(label, value, shape) { InChat = inChat });
            }
        }

        Add("Stop code", e.StopCode);
        Add("Message", e.MatchedText, ValueShape.Long);
        Add("Container", e.ContainerName is null ? null : $"{e.ContainerName}{(e.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $" (exit code {code})") : "")}");
        Add("Image", e.Image);
        Add("Registry", e.RegistryHost, inChat: false);
        Add("Target group", e.TargetGroupArn);
        Add("Secrets", e.SecretArns is { Count: > 0 } arns ? string.Join(", ", arns) : null);
        Add("Log group", e.LogGroup);
        Add("File system", e.FileSystemId);
        Add("HTTP status", e.HttpStatus?.ToString(CultureInfo.InvariantCulture), inChat: false);
        Add("Endpoint", e.EndpointHost);
        return items;
    }

    private static string Confidence(ClassificationResult c) => c.Confidence.ToString("0.00", CultureInfo.InvariantCulture);

    private static string SourceOf(TaskIdentity task) => task.EventName switch
    {
        null => "ECS Task State Change",
        Events.ServiceEvents.DeploymentFailed => Events.ServiceEvents.DeploymentStateChangeType,
        _ => Events.ServiceEvents.ServiceActionType,
    };
}
