using System.Text.Json;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

public class SlackFormatTests
{
    [Theory]
    [InlineData("image-pull-network")]
    [InlineData("exit-oom")]
    public async Task ToJson_WhenRenderingASampleEvent_ShouldMatchTheGoldenFile(string eventName)
    {
        var advisory = eventName == "image-pull-network" ? await FormatSamples.NoRouteAdvisoryAsync() : FormatSamples.Advisory(eventName);

        var json = SlackFormat.ToJson(SlackFormat.Render(advisory));

        FormatSamples.AssertGolden($"{eventName}.slack.json", ChatbotFormatTests.Indent(json));
    }

    [Theory]
    [MemberData(nameof(FormatSamples.ActionableEvents), MemberType = typeof(FormatSamples))]
    public void ToJson_ForEveryFailureCategory_ShouldRespectBlockKitLimits(string eventName)
    {
        var advisory = FormatSamples.Advisory(eventName, FormatSamples.NoRouteFindings);

        using var doc = JsonDocument.Parse(SlackFormat.ToJson(SlackFormat.Render(advisory)));

        AssertWithinBlockKitLimits(doc.RootElement);
        Assert.Equal("header", doc.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void Render_WhenTheTaskBelongsToAService_ShouldLinkItsConsolePageWithAButton()
    {
        var message = SlackFormat.Render(FormatSamples.Advisory("image-pull-network"));

        var actions = Assert.Single(message.Blocks.OfType<SlackActionsBlock>());
        Assert.Contains(actions.Elements, b => b.Url == "https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/api/health?region=us-east-1");
        Assert.Contains(actions.Elements, b => b.Url.Contains("AWSSupport-TroubleshootECSTaskFailedToStart", StringComparison.Ordinal) && b.Url.EndsWith("#documentVersion=%24LATEST&ClusterName=payments&TaskId=087cd1ac68ef487c562e916907c15fcc", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_WhenACommandHoldsAPlaceholderInAngleBrackets_ShouldEscapeItForMrkdwn()
    {
        var advisory = FormatSamples.Advisory("image-pull-network") with { NextSteps = [new NextStep("Set the value", "aws ecs update-service --service <service> && echo \"done\"")] };

        var section = SlackFormat.Render(advisory).Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text.Contains("Set the value", StringComparison.Ordinal) == true);

        Assert.Equal("*1. Set the value*\n```\naws ecs update-service --service &lt;service&gt; &amp;&amp; echo \"done\"\n```", section.Text!.Text);
    }

    [Fact]
    public void Render_WhenACommandIsLongerThanASection_ShouldCutItInsideTheCodeFence()
    {
        var advisory = FormatSamples.Advisory("image-pull-network") with { NextSteps = [new NextStep("Huge", "echo " + new string('&', 5_000))] };

        var text = SlackFormat.Render(advisory).Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text.StartsWith("*1. Huge*", StringComparison.Ordinal) == true).Text!.Text;

        Assert.InRange(text.Length, 2_900, SlackLimits.SectionText);
        Assert.EndsWith("&amp;…\n```", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhenThereAreManyStepsAndFindings_ShouldStayWithinFiftyBlocksAndPointToTheEmail()
    {
        var steps = Enumerable.Range(1, 60).Select(i => new NextStep($"Step {i}", $"echo {i}")).ToList();
        var findings = Enumerable.Range(1, 200).Select(i => new Finding($"c{i}", FindingStatus.Missing, new string('y', 100), [])).ToList();
        var advisory = FormatSamples.Advisory("image-pull-network", findings) with { NextSteps = steps };

        var message = SlackFormat.Render(advisory);
        using var doc = JsonDocument.Parse(SlackFormat.ToJson(message));

        AssertWithinBlockKitLimits(doc.RootElement);
        Assert.Contains(message.Blocks.OfType<SlackSectionBlock>(), s => s.Text?.Text == "_52 more steps are in the e-mail advisory._");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Render_WhenTheStopMessageIsCutInsideAnEmoji_ShouldNotSplitTheSurrogatePair(int shift)
    {
        var advisory = FormatSamples.Advisory("exit-oom");
        advisory = advisory with
        {
            Classification = advisory.Classification with
            {
                Evidence = advisory.Classification.Evidence with { MatchedText = new string('a', shift) + string.Concat(Enumerable.Repeat("🐳", 3_000)) },
            },
        };

        var message = SlackFormat.Render(advisory);

        var stop = message.Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text.StartsWith("*Stop message*", StringComparison.Ordinal) == true).Text!.Text;
        Assert.True(stop.Length <= SlackLimits.SectionText);
        Assert.EndsWith("…\n```", stop, StringComparison.Ordinal);
        ChatbotFormatTests.AssertNoLoneSurrogate(stop);
    }

    internal static void AssertWithinBlockKitLimits(JsonElement message)
    {
        Assert.InRange(message.GetProperty("text").GetString()!.Length, 1, SlackLimits.FallbackText);
        var blocks = message.GetProperty("blocks").EnumerateArray().ToList();
        Assert.InRange(blocks.Count, 1, SlackLimits.Blocks);
        foreach (var block in blocks)
        {
            switch (block.GetProperty("type").GetString())
            {
                case "header":
                    Assert.Equal("plain_text", block.GetProperty("text").GetProperty("type").GetString());
                    Assert.InRange(block.GetProperty("text").GetProperty("text").GetString()!.Length, 1, SlackLimits.HeaderText);
                    break;
                case "section":
                    var hasText = block.TryGetProperty("text", out var text);
                    var hasFields = block.TryGetProperty("fields", out var fields);
                    Assert.True(hasText || hasFields, "a section needs text or fields");
                    if (hasText)
                    {
                        var t = text.GetProperty("text").GetString()!;
                        Assert.InRange(t.Length, 1, SlackLimits.SectionText);
                        Assert.True(CountFences(t) % 2 == 0, "unbalanced code fence: " + t);
                    }

                    if (hasFields)
                    {
                        Assert.InRange(fields.GetArrayLength(), 1, SlackLimits.SectionFields);
                        Assert.All(fields.EnumerateArray(), f => Assert.InRange(f.GetProperty("text").GetString()!.Length, 1, SlackLimits.FieldText));
                    }

                    break;
                case "actions":
                    var buttons = block.GetProperty("elements").EnumerateArray().ToList();
                    Assert.InRange(buttons.Count, 1, SlackLimits.ActionsElements);
                    Assert.All(buttons, b =>
                    {
                        Assert.Equal("button", b.GetProperty("type").GetString());
                        Assert.InRange(b.GetProperty("text").GetProperty("text").GetString()!.Length, 1, SlackLimits.ButtonText);
                        Assert.InRange(b.GetProperty("url").GetString()!.Length, 1, SlackLimits.ButtonUrl);
                        Assert.StartsWith("https://", b.GetProperty("url").GetString(), StringComparison.Ordinal);
                    });
                    break;
                case "context":
                    Assert.InRange(block.GetProperty("elements").GetArrayLength(), 1, SlackLimits.ContextElements);
                    break;
                case "divider":
                    break;
                default:
                    Assert.Fail("unexpected block type " + block.GetProperty("type").GetString());
                    break;
            }
        }
    }

    private static int CountFences(string s)
    {
        var n = 0;
        for (var i = s.IndexOf("```", StringComparison.Ordinal); i >= 0; i = s.IndexOf("```", i + 3, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
