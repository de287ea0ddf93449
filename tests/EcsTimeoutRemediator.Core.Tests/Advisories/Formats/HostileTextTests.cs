using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

/// <summary>
/// Text the account or the event controls (stop and container reasons, container names, images, the service and
/// cluster names) is inert in the chat renderings: no mention, link or HTML-like control survives, and no code
/// span is broken by a backtick in the content.
/// </summary>
public sealed class HostileTextTests
{
    private static readonly string[] Hostile =
    [
        "<!channel>", "<!here>", "<!subteam^S123>", "<@U024BE7LH>", "<https://example.com|click>", "<https://evil.example>",
        "`", "```", "*bold*", "_it_", "~x~", "\n", "$(id)", "'", "\"", ";", "|", "&&", "&amp;", "&lt;!channel&gt;", ">", "<",
        " CannotPullContainerError: ", "i/o timeout", "api", "x",
    ];

    private static readonly string[] Samples = ["image-pull-network", "health-elb", "secrets-network", "exit-oom", "start-container"];

    private static Gen<string> HostileText => Gen.ArrayOf(Gen.Elements(Hostile)).Select(parts => string.Concat(parts));

    [Property(MaxTest = 300)]
    public Property Render_WhenEventFieldsCarryHostileText_ShouldKeepEveryChatRenderingInert()
    {
        var cases = from sample in Gen.Elements(Samples)
                    from reason in HostileText
                    from containerReason in HostileText
                    from container in HostileText
                    from image in HostileText
                    from service in HostileText
                    select (sample, reason, containerReason, container, image, service);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var advisory = HostileAdvisory(c.sample, c.reason, c.containerReason, c.container, c.image, c.service);
            var chatbot = ChatbotFormat.Render(advisory);
            var slack = JsonDocument.Parse(SlackFormat.ToJson(SlackFormat.Render(advisory))).RootElement;

            AssertInert(chatbot.Content.Title);
            AssertInert(chatbot.Content.Description);
            AssertInert(chatbot.Metadata.Summary!);
            Assert.All(chatbot.Content.NextSteps, AssertInert);
            Assert.All(chatbot.Content.Keywords, AssertInert);
            Assert.All(MarkdownTexts(slack), AssertInert);
        });
    }

    [Fact]
    public void Render_WhenTheStopReasonMentionsTheChannel_ShouldShowItAsText()
    {
        var advisory = HostileAdvisory("image-pull-network", "CannotPullContainerError: <!channel> i/o timeout `rm -rf` <https://evil.example|docs>", null, "api", null, null);

        var description = ChatbotFormat.Render(advisory).Content.Description;

        Assert.Contains("&lt;!channel&gt;", description, StringComparison.Ordinal);
        Assert.Contains("&lt;https://evil.example|docs&gt;", description, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", description, StringComparison.Ordinal);
        Assert.Contains("'rm -rf'", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhenACommandHoldsABacktick_ShouldPointToTheEmailInsteadOfBreakingTheSpan()
    {
        var advisory = FormatSamples.Advisory("image-pull-network") with
        {
            NextSteps = [new NextStep("Look at the container", "aws ecs describe-tasks --cluster 'pay`ments'")],
        };

        var step = Assert.Single(ChatbotFormat.Render(advisory).Content.NextSteps);

        Assert.DoesNotContain("`", step, StringComparison.Ordinal);
        Assert.EndsWith("(the command is in the e-mail advisory)", step, StringComparison.Ordinal);
    }

    private static Advisory HostileAdvisory(string sample, string reason, string? containerReason, string container, string? image, string? service)
    {
        var json = JsonNode.Parse(EventFiles.Read(sample))!;
        var detail = json["detail"]!;
        detail["stoppedReason"] = reason;
        if (service is not null)
        {
            detail["group"] = "service:" + service;
        }

        var first = detail["containers"]![0]!;
        first["name"] = container;
        if (containerReason is not null)
        {
            first["reason"] = containerReason;
        }

        if (image is not null)
        {
            first["image"] = image;
        }

        var e = EventParser.Parse(json.ToJsonString()) is ParseResult.Parsed p ? p.Event : throw new InvalidOperationException("the sample no longer parses");
        var c = Classifier.Classify(e.Facts);
        return AdvisoryBuilder.Build(TaskIdentity.From(e), c, FormatSamples.NoRouteFindings, NextSteps.For(e, c));
    }

    /// <summary>
    /// No raw angle bracket (every one is an entity); the ``` fences pair up, and outside them the backticks pair
    /// up on every line, so no content ends a code span early.
    /// </summary>
    internal static void AssertInert(string text)
    {
        Assert.DoesNotContain('<', text);
        Assert.DoesNotContain('>', text);
        var parts = text.Split("```");
        Assert.True(parts.Length % 2 == 1, $"a code fence is left open: {text}");
        foreach (var line in parts.Where((_, i) => i % 2 == 0).SelectMany(p => p.Split('\n')))
        {
            Assert.True(line.Count(ch => ch == '`') % 2 == 0, $"a code span is broken: {line}");
        }
    }

    internal static IEnumerable<string> MarkdownTexts(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out var type) && type.GetString() == "mrkdwn" && element.TryGetProperty("text", out var t))
            {
                yield return t.GetString()!;
            }

            foreach (var p in element.EnumerateObject())
            {
                foreach (var s in MarkdownTexts(p.Value))
                {
                    yield return s;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var s in MarkdownTexts(item))
                {
                    yield return s;
                }
            }
        }
    }
}
