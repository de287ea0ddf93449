using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>
/// An Amazon Q Developer in chat applications (AWS Chatbot) custom notification: what a Chatbot-subscribed SNS
/// topic turns into a Slack or Microsoft Teams message. Schema: "Custom notifications using Amazon Q Developer
/// in chat applications" (version 1.0, source custom, textType client-markdown).
/// </summary>
public sealed record ChatbotNotification
{
    [JsonPropertyName("version")] public string Version { get; init; } = "1.0";
    [JsonPropertyName("source")] public string Source { get; init; } = "custom";
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("content")] public required ChatbotContent Content { get; init; }
    [JsonPropertyName("metadata")] public required ChatbotMetadata Metadata { get; init; }
}

public sealed record ChatbotContent
{
    [JsonPropertyName("textType")] public string TextType { get; init; } = "client-markdown";
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("nextSteps")] public IReadOnlyList<string> NextSteps { get; init; } = [];
    [JsonPropertyName("keywords")] public IReadOnlyList<string> Keywords { get; init; } = [];
}

public sealed record ChatbotMetadata
{
    [JsonPropertyName("threadId")] public string? ThreadId { get; init; }
    [JsonPropertyName("summary")] public string? Summary { get; init; }
    [JsonPropertyName("eventType")] public string? EventType { get; init; }
    [JsonPropertyName("relatedResources")] public IReadOnlyList<string> RelatedResources { get; init; } = [];

    /// <summary>The values the chat buttons' commands take (<see cref="ChatActions"/>); absent when no button fits.</summary>
    [JsonPropertyName("additionalContext")] public IReadOnlyDictionary<string, string>? AdditionalContext { get; init; }
}

/// <summary>
/// The field limits this renderer keeps. Title (250), description (8,000), each next step (350) and each
/// keyword (75) are the bounds of the published schema as the public models of it enforce them. The page gives
/// no bound for the item counts, the summary or the related resources: there the bound is one a chat client
/// shows in full. The custom action <c>NotificationType</c> (1–100 of <c>[a-zA-Z0-9-]</c>) is what
/// <c>eventType</c> is matched against, so <c>eventType</c> keeps that form.
/// </summary>
public static class ChatbotLimits
{
    public const int Title = 250;
    public const int Description = 8_000;
    public const int NextSteps = 10;
    public const int NextStep = 350;
    public const int Keywords = 10;
    public const int Keyword = 75;
    public const int ThreadId = IncidentKey.MaxLength;
    public const int Summary = 250;
    public const int EventType = 100;
    public const int RelatedResources = 10;
    public const int RelatedResource = 2_048;
}

/// <summary>
/// Renders an advisory's document as a Chatbot custom notification (pure). Every text from the account or the event
/// goes through <see cref="Mrkdwn"/>: no mention or link survives, a finding's resource ids are code spans, and a
/// command stands in a code span only when no backtick in it could end the span (else the item points to the
/// e-mail, which has it verbatim).
/// </summary>
public static class ChatbotFormat
{
    /// <summary>Ends a description that had to be cut.</summary>
    public const string CutMarker = "\n… (cut: the e-mail advisory has the full text)";

    /// <summary>The notification; <paramref name="threadId"/> overrides the advisory's incident key.</summary>
    public static ChatbotNotification Render(Advisory advisory, string? threadId = null)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var task = advisory.Task;
        var d = advisory.Document;
        threadId ??= d.IncidentKey ?? IncidentKey.For(task, d.Category).Value;
        var (steps, longCommands) = Steps(d);

        return new ChatbotNotification
        {
            Id = string.IsNullOrEmpty(task.EventId) ? null : Text.Truncate(task.EventId, 128),
            Content = new ChatbotContent
            {
                Title = Mrkdwn.EscapeWithin($"{d.Lead} on {d.Who}: {d.Headline}", ChatbotLimits.Title),
                Description = Description(d, longCommands),
                NextSteps = steps,
                Keywords = [.. Keywords(advisory)],
            },
            Metadata = new ChatbotMetadata
            {
                ThreadId = Text.Truncate(threadId, ChatbotLimits.ThreadId),
                Summary = Mrkdwn.EscapeWithin(d.Subject, ChatbotLimits.Summary),
                EventType = EventTypeOf(d.Category),
                RelatedResources = [.. RelatedResources(advisory)],
                AdditionalContext = ChatActions.ContextOf(advisory) is { Count: > 0 } context ? context : null,
            },
        };
    }

    /// <summary>The notification as the JSON string SNS carries (minimal escaping).</summary>
    public static string ToJson(ChatbotNotification notification) =>
        JsonSerializer.Serialize(notification, FormatJson.Context.ChatbotNotification);

    /// <summary><c>image-pull/network</c> → <c>ecs-image-pull-network</c>: usable as a custom action NotificationType.</summary>
    public static string EventTypeOf(string category)
    {
        var sb = new StringBuilder("ecs-");
        foreach (var ch in category ?? "")
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        }

        return Text.Truncate(sb.ToString(), ChatbotLimits.EventType).Replace(Text.Marker, "", StringComparison.Ordinal);
    }

    /// <summary>
    /// The next steps as the list shows them. A step whose command does not fit one item is never cut (a cut
    /// command is worse than none): its item names it, and the command goes whole to the description's
    /// Commands, which is kept like the links. What would pass <see cref="MaxCommandsBlock"/> is left to the e-mail.
    /// </summary>
    private static (IReadOnlyList<string> Steps, IReadOnlyList<StepItem> LongCommands) Steps(AdvisoryDocument d)
    {
        var steps = new List<string>();
        var longCommands = new List<StepItem>();
        var block = CommandsHeader.Length;
        foreach (var step in d.Steps.Take(ChatbotLimits.NextSteps))
        {
            var title = Mrkdwn.Escape(step.Title);
            if (Mrkdwn.CommandSpan(step.Command) is { } span && $"{title}: {span}" is { Length: <= ChatbotLimits.NextStep } item)
            {
                steps.Add(item);
                continue;
            }

            var entry = CommandEntry(longCommands.Count + 1, step).Length;
            string pointer;
            if (block + entry <= MaxCommandsBlock && Mrkdwn.FitsCode(step.Command))
            {
                longCommands.Add(step);
                block += entry;
                pointer = string.Create(CultureInfo.InvariantCulture, $" (command {longCommands.Count} under *Commands* in the description)");
            }
            else
            {
                pointer = " (the command is in the e-mail advisory)";
            }

            steps.Add(Mrkdwn.EscapeWithin(step.Title, ChatbotLimits.NextStep - pointer.Length) + pointer);
        }

        return (steps, longCommands);
    }

    /// <summary>The most of the description the Commands may take; the rest is for what happened and the findings.</summary>
    public const int MaxCommandsBlock = 4_000;

    private const string CommandsHeader = "\n*Commands*\n";

    private static string CommandEntry(int number, StepItem step) =>
        string.Create(CultureInfo.InvariantCulture, $"{number}. {Mrkdwn.Escape(step.Title)}\n```{Mrkdwn.Escape(step.Command)}```\n");

    private static string Description(AdvisoryDocument d, IReadOnlyList<StepItem> longCommands)
    {
        // The tail (links, account) is never cut; the evidence and findings give way first.
        var tail = new StringBuilder("\n");
        var total = d.Steps.Count;
        if (total > ChatbotLimits.NextSteps)
        {
            tail.Append(CultureInfo.InvariantCulture, $"\n_The next steps below are the first {ChatbotLimits.NextSteps} of {total}: the e-mail advisory has them all._");
        }

        if (d.Console is { } console)
        {
            tail.Append("\n*Console").Append(console.InAccount).Append(":* ").Append(console.Url);
        }

        if (d.Runbook is { } runbook)
        {
            var account = runbook.Account is { } id ? ", account " + id : "";
            tail.Append("\n*Deeper check (").Append(ConsoleLinks.TroubleshootRunbook).Append(account).Append("):* ").Append(runbook.Url);
        }

        tail.Append(CultureInfo.InvariantCulture, $"\n*Account:* {Mrkdwn.Escape(d.Account)} ({Mrkdwn.Escape(d.Region)})  *Category:* {Mrkdwn.Code(d.Category, ChatbotLimits.Keyword)}");

        var head = new StringBuilder();
        if (d.IncidentNote is { } note)
        {
            head.Append("*Still failing:* ").Append(Mrkdwn.Escape(note)).Append("\n\n");
        }

        head.Append("*What happened*\n").Append(Mrkdwn.Escape(d.Summary)).Append('\n');
        if (d.Fixes.Count > 0)
        {
            head.Append("\n*Automatic fixes*\n");
            foreach (var fix in d.Fixes)
            {
                head.Append(Mrkdwn.Escape(fix.Line)).Append('\n');
                if (fix.RevertCommand is { } revert)
                {
                    head.Append("   undo: ").Append(Mrkdwn.CommandSpan(revert) ?? "(the command is in the e-mail advisory)").Append('\n');
                }
            }

            if (d.FixNote is { } fixNote)
            {
                head.Append("Note: ").Append(Mrkdwn.Escape(fixNote)).Append('\n');
            }
        }

        var evidence = d.Evidence.Concat(d.Facts).Where(i => i.InChat).ToList();
        if (evidence.Count > 0)
        {
            head.Append("\n*Evidence*\n");
            foreach (var item in evidence)
            {
                head.Append("• ").Append(item.Label).Append(": ").Append(Mrkdwn.Code(item.Value, 1_000)).Append('\n');
            }
        }

        if (d.Findings.Count > 0)
        {
            head.Append("\n*What the infrastructure shows*\n");
            foreach (var f in d.Findings)
            {
                head.Append("• ").Append(f.Status == FindingStatus.Ok ? "ok" : $"*{f.Mark}*").Append(' ').Append(Mrkdwn.Sentence(f.Sentence)).Append('\n');
            }
        }

        // The commands are kept whole, like the tail: the evidence and findings give way first.
        var commands = new StringBuilder();
        if (longCommands.Count > 0)
        {
            commands.Append(CommandsHeader);
            for (var i = 0; i < longCommands.Count; i++)
            {
                commands.Append(CommandEntry(i + 1, longCommands[i]));
            }
        }

        var budget = ChatbotLimits.Description - tail.Length - commands.Length;
        return Mrkdwn.EscapedCut(head.ToString().TrimEnd('\n'), Math.Max(budget, 0), CutMarker) + (commands.Length > 0 ? "\n" + commands.ToString().TrimEnd('\n') : "") + tail;
    }

    private static IEnumerable<string> Keywords(Advisory advisory)
    {
        var task = advisory.Task;
        string?[] words = ["ECS", advisory.Classification.Category, task.Cluster, task.Service ?? task.Family, task.Region];
        return words
            .Where(w => !string.IsNullOrWhiteSpace(w))
            .Select(w => Mrkdwn.EscapeWithin(w!, ChatbotLimits.Keyword))
            .Distinct(StringComparer.Ordinal)
            .Take(ChatbotLimits.Keywords);
    }

    private static IEnumerable<string> RelatedResources(Advisory advisory)
    {
        var task = advisory.Task;
        var e = advisory.Classification.Evidence;
        string?[] resources = [task.TaskArn, task.TaskDefinitionArn, e.TargetGroupArn, .. e.SecretArns ?? []];
        return resources
            .Where(r => !string.IsNullOrWhiteSpace(r) && r.Length <= ChatbotLimits.RelatedResource)
            .Select(r => r!)
            .Distinct(StringComparer.Ordinal)
            .Take(ChatbotLimits.RelatedResources);
    }
}
