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

    /// <summary>The plain-text rendering of <see cref="Document"/> (<see cref="Formats.PlainText.Body"/>), as decided.</summary>
    [JsonPropertyName("body")] public required string Body { get; init; }

    [JsonPropertyName("headline")] public required string Headline { get; init; }
    [JsonPropertyName("task")] public required TaskIdentity Task { get; init { field = value; _document = null; } }
    [JsonPropertyName("classification")] public required ClassificationResult Classification { get; init { field = value; _document = null; } }
    [JsonPropertyName("findings")] public required IReadOnlyList<Finding> Findings { get; init { field = value; _document = null; } }
    [JsonPropertyName("nextSteps")] public required IReadOnlyList<NextStep> NextSteps { get; init { field = value; _document = null; } }

    /// <summary>The incident this failure belongs to (<see cref="Advisories.IncidentKey"/>); chat threads key on it.</summary>
    [JsonPropertyName("incidentKey")] public string? IncidentKey { get; init { field = value; _document = null; } }

    /// <summary>The ECS console page of the service, or of the task when it belongs to no service.</summary>
    [JsonPropertyName("consoleUrl")] public string? ConsoleUrl { get; init { field = value; _document = null; } }

    /// <summary>The AWSSupport-TroubleshootECSTaskFailedToStart runbook, filled in, for start-up failures.</summary>
    [JsonPropertyName("runbookUrl")] public string? RunbookUrl { get; init { field = value; _document = null; } }

    /// <summary>For a follow-up in a running incident: "N more failures since HH:MM …".</summary>
    [JsonPropertyName("incidentNote")] public string? IncidentNote { get; init { field = value; _document = null; } }

    /// <summary>What the automatic fixes did for this failure (applied, would apply, skipped with the reason).</summary>
    [JsonPropertyName("fixes")] public IReadOnlyList<Policy.FixOutcome> Fixes { get; init { field = value; _document = null; } } = [];

    /// <summary>
    /// The one document every format renders, built once from this advisory's data (also for one read back from
    /// the journal); setting any of that data (<c>with</c>) builds it anew.
    /// </summary>
    [JsonIgnore] public AdvisoryDocument Document => _document ??= AdvisoryDocument.Of(this);

    private AdvisoryDocument? _document;
}

/// <summary>Builds the advisory text from the classification, the findings and the next steps.</summary>
public static class AdvisoryBuilder
{
    public static string HeadlineOf(string category) => CategoryTable.Of(category).Headline;

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
        var who = AdvisoryDocument.WhoOf(task);
        var applied = fixes.FirstOrDefault(f => f.Result == Policy.FixResult.Applied);
        var subject = Text.Truncate(applied is not null
            ? $"[ECS] {who}: fixed {headline} ({applied.Fix} {applied.Before} → {applied.After})"
            : $"[ECS] {who}: {headline}{(lead is null ? "" : $" ({lead})")}", Advisory.MaxSubjectLength);

        var advisory = new Advisory
        {
            Subject = subject,
            Headline = headline,
            Task = task,
            Classification = c,
            Findings = findings,
            NextSteps = nextSteps,
            Fixes = fixes,
            IncidentNote = incidentNote,
            Body = "",
            IncidentKey = Advisories.IncidentKey.For(task, c.Category).Value,
            ConsoleUrl = ConsoleLinks.For(task),
            RunbookUrl = ConsoleLinks.Runbook(task, c.Category),
        };

        // The body is the document's plain text; the document is built here, once, and kept by the copy.
        return advisory with { Body = Formats.PlainText.Body(advisory.Document) };
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
}
