using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>A Slack incoming-webhook message: fallback text for notifications and Block Kit blocks.</summary>
public sealed record SlackMessage
{
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("blocks")] public required IReadOnlyList<SlackBlock> Blocks { get; init; }
    [JsonPropertyName("unfurl_links")] public bool UnfurlLinks { get; init; }
    [JsonPropertyName("unfurl_media")] public bool UnfurlMedia { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SlackHeaderBlock), "header")]
[JsonDerivedType(typeof(SlackSectionBlock), "section")]
[JsonDerivedType(typeof(SlackActionsBlock), "actions")]
[JsonDerivedType(typeof(SlackContextBlock), "context")]
[JsonDerivedType(typeof(SlackDividerBlock), "divider")]
public abstract record SlackBlock;

public sealed record SlackHeaderBlock([property: JsonPropertyName("text")] SlackText Text) : SlackBlock;

public sealed record SlackSectionBlock : SlackBlock
{
    [JsonPropertyName("text")] public SlackText? Text { get; init; }
    [JsonPropertyName("fields")] public IReadOnlyList<SlackText>? Fields { get; init; }
}

public sealed record SlackActionsBlock([property: JsonPropertyName("elements")] IReadOnlyList<SlackButton> Elements) : SlackBlock;

public sealed record SlackContextBlock([property: JsonPropertyName("elements")] IReadOnlyList<SlackText> Elements) : SlackBlock;

public sealed record SlackDividerBlock : SlackBlock;

/// <summary>A text object: <c>plain_text</c> or <c>mrkdwn</c>.</summary>
public sealed record SlackText(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("text")] string Text)
{
    public static SlackText Plain(string text) => new("plain_text", text);

    public static SlackText Markdown(string text) => new("mrkdwn", text);
}

/// <summary>A link button (no interactivity needed: Slack opens the URL).</summary>
public sealed record SlackButton(
    [property: JsonPropertyName("text")] SlackText Text,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("action_id")] string ActionId)
{
    [JsonPropertyName("type")] public string Type { get; } = "button";
}

/// <summary>Block Kit's limits (Slack reference: blocks, text object, button).</summary>
public static class SlackLimits
{
    public const int Blocks = 50;
    public const int HeaderText = 150;
    public const int SectionText = 3_000;
    public const int SectionFields = 10;
    public const int FieldText = 2_000;
    public const int ContextElements = 10;
    public const int ActionsElements = 25;
    public const int ButtonText = 75;
    public const int ButtonUrl = 3_000;
    public const int ActionId = 255;

    /// <summary>The top-level fallback text; Slack truncates longer messages.</summary>
    public const int FallbackText = 4_000;

    /// <summary>Fix steps shown as code blocks; the rest is in the e-mail.</summary>
    public const int Steps = 8;
}

/// <summary>
/// Renders an advisory's document as a Slack Block Kit message (pure): text through <see cref="Mrkdwn"/>, a
/// finding's resource ids as code spans, each command whole in a code block (or, when it holds a fence, pointed to
/// the e-mail).
/// </summary>
public static class SlackFormat
{
    public static SlackMessage Render(Advisory advisory)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var d = advisory.Document;
        var blocks = new List<SlackBlock>
        {
            new SlackHeaderBlock(SlackText.Plain(Cut.Chars($"ECS {d.Who}: {d.Headline}", SlackLimits.HeaderText))),
            Section($"*What happened*\n{Escape(d.Summary)}"),
        };
        if (d.IncidentNote is { } note)
        {
            blocks.Add(Section("*Still failing:* " + Escape(note)));
        }

        if (d.Fixes.Count > 0)
        {
            var sb = new StringBuilder("*Automatic fixes*");
            foreach (var fix in d.Fixes)
            {
                sb.Append('\n').Append(Escape(fix.Line));
                if (fix.RevertCommand is { } revert)
                {
                    sb.Append("\n   undo: ").Append(Mrkdwn.CommandSpan(revert) ?? "(the command is in the e-mail advisory)");
                }
            }

            if (d.FixNote is { } fixNote)
            {
                sb.Append("\nNote: ").Append(Escape(fixNote));
            }

            blocks.Add(Section(sb.ToString()));
        }

        var fields = new List<SlackText>();
        Field(fields, "Category", Code(d.Category));
        Field(fields, "Account / region", Escape($"{d.Account} / {d.Region}"));
        foreach (var item in d.Evidence.Concat(d.Facts).Where(i => i.InChat && i.Shape != ValueShape.Long))
        {
            Field(fields, item.Label, item.Shape == ValueShape.Id ? Code(item.Value) : Escape(item.Value));
        }

        if (fields.Count > 0)
        {
            blocks.Add(new SlackSectionBlock { Fields = [.. fields.Take(SlackLimits.SectionFields)] });
        }

        foreach (var item in d.Evidence.Where(i => i.InChat && i.Shape == ValueShape.Long))
        {
            var label = item.Label == "Message" ? "*Stop message*\n" : $"*{item.Label}*\n";
            blocks.Add(Section(label + CodeBlock(item.Value, SlackLimits.SectionText - label.Length)));
        }

        if (d.Findings.Count > 0)
        {
            var sb = new StringBuilder("*What the infrastructure shows*");
            foreach (var f in d.Findings)
            {
                sb.Append("\n• ").Append(Mark(f.Status)).Append(' ').Append(Mrkdwn.Sentence(f.Sentence));
            }

            blocks.Add(Section(sb.ToString()));
        }

        var steps = d.Steps;
        foreach (var step in steps.Take(SlackLimits.Steps))
        {
            var title = string.Create(CultureInfo.InvariantCulture, $"*{step.Number}. {Escape(step.Title)}*\n");
            blocks.Add(Section(title + (step.Command.Contains("```", StringComparison.Ordinal)
                ? "_The command holds a code fence, so it is only in the e-mail advisory._"
                : CodeBlock(step.Command, SlackLimits.SectionText - title.Length))));
        }

        if (steps.Count > SlackLimits.Steps)
        {
            blocks.Add(Section(string.Create(CultureInfo.InvariantCulture, $"_{steps.Count - SlackLimits.Steps} more steps are in the e-mail advisory._")));
        }

        var buttons = new List<SlackButton>();
        if (d.Console is { Url.Length: <= SlackLimits.ButtonUrl } console)
        {
            buttons.Add(new SlackButton(SlackText.Plain((d.IsService ? "Open the service in the ECS console" : "Open the task in the ECS console") + console.InAccount), console.Url, "open-ecs-console"));
        }

        if (d.Runbook is { Url.Length: <= SlackLimits.ButtonUrl } runbook)
        {
            buttons.Add(new SlackButton(SlackText.Plain("Run the start-up troubleshooter" + runbook.InAccount), runbook.Url, "run-troubleshoot-runbook"));
        }

        if (buttons.Count > 0)
        {
            blocks.Add(new SlackActionsBlock(buttons));
        }

        if (d.IncidentKey is { } key)
        {
            blocks.Add(new SlackContextBlock([SlackText.Markdown(Cut.Chars($"Incident {Code(key)}", SlackLimits.SectionText))]));
        }

        return new SlackMessage
        {
            Text = Cut.Chars(Escape(d.Subject), SlackLimits.FallbackText),
            Blocks = blocks.Count <= SlackLimits.Blocks ? blocks : [.. blocks.Take(SlackLimits.Blocks)],
        };
    }

    public static string ToJson(SlackMessage message) => JsonSerializer.Serialize(message, FormatJson.Context.SlackMessage);

    /// <summary>Slack's control characters in text (<see cref="Mrkdwn.Escape"/>).</summary>
    public static string Escape(string? value) => Mrkdwn.Escape(value);

    /// <summary>
    /// A fenced code block of at most <paramref name="max"/> characters, cut inside the fence with a marker. Its
    /// content keeps its backticks: only a fence ends the block, and a fence in it becomes three quotes.
    /// </summary>
    public static string CodeBlock(string code, int max)
    {
        ArgumentNullException.ThrowIfNull(code);
        const string open = "```\n";
        const string close = "\n```";
        var body = Mrkdwn.EscapeWithin(code.Replace("```", "'''", StringComparison.Ordinal), max - open.Length - close.Length, inFence: true);
        return open + body + close;
    }

    private static SlackSectionBlock Section(string mrkdwn) => new() { Text = SlackText.Markdown(EscapedCut(mrkdwn, SlackLimits.SectionText)) };

    private static void Field(List<SlackText> fields, string label, string? escapedValue)
    {
        if (!string.IsNullOrEmpty(escapedValue))
        {
            fields.Add(SlackText.Markdown(EscapedCut($"*{label}*\n{escapedValue}", SlackLimits.FieldText)));
        }
    }

    private static string? Code(string? value) => Mrkdwn.Code(value, SlackLimits.FieldText - 64);

    private static string EscapedCut(string mrkdwn, int max) => Mrkdwn.EscapedCut(mrkdwn, max);

    private static string Mark(FindingStatus status) => status switch
    {
        FindingStatus.Missing => ":x: *missing*",
        FindingStatus.Wrong => ":x: *wrong*",
        FindingStatus.Unknown => ":grey_question: *unknown*",
        _ => ":white_check_mark:",
    };
}
