using System.Text.Json;
using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

public partial class ChatbotFormatTests
{
    [Theory]
    [InlineData("image-pull-network")]
    [InlineData("health-elb")]
    [InlineData("image-pull-platform")]
    public async Task ToJson_WhenRenderingASampleEvent_ShouldMatchTheGoldenFile(string eventName)
    {
        var advisory = eventName switch
        {
            "image-pull-network" => await FormatSamples.NoRouteAdvisoryAsync(),
            "health-elb" => await FormatSamples.HealthCheckAdvisoryAsync(),
            _ => FormatSamples.Advisory(eventName),
        };

        var json = ChatbotFormat.ToJson(ChatbotFormat.Render(advisory));

        FormatSamples.AssertGolden($"{eventName}.chatbot.json", Indent(json));
    }

    [Fact]
    public async Task ToJson_WhenTheCircuitBreakerFailedADeployment_ShouldMatchTheGoldenFile()
    {
        var advisory = await FormatSamples.DeploymentFailedAdvisoryAsync();

        var json = ChatbotFormat.ToJson(ChatbotFormat.Render(advisory));

        FormatSamples.AssertGolden("service-deployment-failed.chatbot.json", Indent(json));
    }

    [Theory]
    [MemberData(nameof(FormatSamples.ActionableEvents), MemberType = typeof(FormatSamples))]
    public void ToJson_ForEveryFailureCategory_ShouldKeepThePublishedFieldRules(string eventName)
    {
        var advisory = FormatSamples.Advisory(eventName, FormatSamples.NoRouteFindings);

        using var doc = JsonDocument.Parse(ChatbotFormat.ToJson(ChatbotFormat.Render(advisory)));

        AssertFollowsTheSchema(doc.RootElement);
        Assert.Equal(advisory.IncidentKey, doc.RootElement.GetProperty("metadata").GetProperty("threadId").GetString());
    }

    [Fact]
    public void Render_WhenTheTaskBelongsToNoService_ShouldLinkTheTaskPage()
    {
        var n = ChatbotFormat.Render(FormatSamples.Advisory("image-pull-platform"));

        Assert.Matches("/ecs/v2/clusters/[^/]+/tasks/[0-9a-f]+/configuration\\?region=", n.Content.Description);
        Assert.DoesNotContain("/services/", n.Content.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhenGivenAThreadId_ShouldUseItInsteadOfTheIncidentKey()
    {
        var advisory = FormatSamples.Advisory("image-pull-network");

        var n = ChatbotFormat.Render(advisory, "incident-42");

        Assert.Equal("incident-42", n.Metadata.ThreadId);
        Assert.Equal("111122223333:us-east-1:payments:api:image-pull/network", advisory.IncidentKey);
    }

    [Fact]
    public void Render_WhenTheStartUpFailed_ShouldLinkTheServiceAndTheRunbook()
    {
        var n = ChatbotFormat.Render(FormatSamples.Advisory("image-pull-network"));

        Assert.Contains("https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/api/health?region=us-east-1", n.Content.Description, StringComparison.Ordinal);
        Assert.Contains("/systems-manager/automation/execute/AWSSupport-TroubleshootECSTaskFailedToStart?region=us-east-1#documentVersion=%24LATEST&ClusterName=payments&TaskId=087cd1ac68ef487c562e916907c15fcc", n.Content.Description, StringComparison.Ordinal);
        Assert.Equal("ecs-image-pull-network", n.Metadata.EventType);
        Assert.Contains("arn:aws:ecs:us-east-1:111122223333:task/payments/087cd1ac68ef487c562e916907c15fcc", n.Metadata.RelatedResources);
    }

    [Fact]
    public void Render_WhenTheContainerRanOutOfMemory_ShouldNotOfferTheStartUpRunbook()
    {
        var n = ChatbotFormat.Render(FormatSamples.Advisory("exit-oom"));

        Assert.DoesNotContain("AWSSupport-TroubleshootECSTaskFailedToStart", n.Content.Description, StringComparison.Ordinal);
        Assert.Contains("/services/image-resizer/health", n.Content.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhenTheFindingsAreLongerThanTheDescriptionLimit_ShouldCutThemWithTheMarkerAndKeepTheLinks()
    {
        var huge = Enumerable.Range(0, 400)
            .Select(i => new Finding($"check-{i}", FindingStatus.Wrong, $"finding {i}: " + new string('x', 80), []))
            .ToList();
        var advisory = FormatSamples.Advisory("image-pull-network", huge);

        var d = ChatbotFormat.Render(advisory).Content.Description;

        Assert.True(d.Length <= ChatbotLimits.Description, $"{d.Length} characters");
        Assert.Contains(ChatbotFormat.CutMarker, d, StringComparison.Ordinal);
        Assert.Contains("AWSSupport-TroubleshootECSTaskFailedToStart", d, StringComparison.Ordinal);
        Assert.Contains("/services/api/health", d, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Render_WhenTheCutFallsInsideAnEmoji_ShouldNotSplitTheSurrogatePair(int shift)
    {
        // Findings of emoji: the description limit falls on every parity of code unit as the shift changes.
        var text = new string('a', shift) + string.Concat(Enumerable.Repeat("🔥", 6_000));
        var advisory = FormatSamples.Advisory("image-pull-network", [new Finding("emoji", FindingStatus.Wrong, text, [])]);

        var d = ChatbotFormat.Render(advisory).Content.Description;

        Assert.True(d.Length <= ChatbotLimits.Description);
        AssertNoLoneSurrogate(d);
        Assert.Contains(ChatbotFormat.CutMarker, d, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhenACommandDoesNotFitOneNextStep_ShouldKeepItWholeUnderCommandsInTheDescription()
    {
        var advisory = FormatSamples.Advisory("health-elb");
        var longStep = advisory.NextSteps.First(s => $"{s.Title}: `{s.Command}`".Length > ChatbotLimits.NextStep);
        var index = advisory.NextSteps.Where(s => $"{s.Title}: `{s.Command}`".Length > ChatbotLimits.NextStep).ToList().IndexOf(longStep) + 1;

        var content = ChatbotFormat.Render(advisory).Content;

        var item = Assert.Single(content.NextSteps, s => s.StartsWith(longStep.Title, StringComparison.Ordinal));
        Assert.EndsWith($"(command {index} under *Commands* in the description)", item, StringComparison.Ordinal);
        Assert.DoesNotContain(Text.Marker, item, StringComparison.Ordinal);
        Assert.Contains($"*Commands*\n", content.Description, StringComparison.Ordinal);
        Assert.Contains($"{index}. {longStep.Title}\n```{longStep.Command}```", content.Description, StringComparison.Ordinal);
        Assert.All(content.NextSteps.Where(s => !s.Contains("under *Commands*", StringComparison.Ordinal)), s => Assert.EndsWith("`", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_WhenTheFindingsFillTheDescription_ShouldStillKeepEveryLongCommandWhole()
    {
        var sample = FormatSamples.Advisory("health-elb");
        var findings = Enumerable.Range(1, 60)
            .Select(i => new Finding("route", FindingStatus.Ok, $"finding {i}: " + new string('x', 200), []))
            .ToList();
        var advisory = sample with { Findings = findings };
        var longSteps = advisory.NextSteps.Take(ChatbotLimits.NextSteps).Where(s => $"{s.Title}: `{s.Command}`".Length > ChatbotLimits.NextStep).ToList();

        var content = ChatbotFormat.Render(advisory).Content;

        Assert.NotEmpty(longSteps);
        Assert.InRange(content.Description.Length, 1, ChatbotLimits.Description);
        Assert.Contains(ChatbotFormat.CutMarker, content.Description, StringComparison.Ordinal);
        for (var i = 0; i < longSteps.Count; i++)
        {
            Assert.Contains($"{i + 1}. {Mrkdwn.Escape(longSteps[i].Title)}\n```{Mrkdwn.Escape(longSteps[i].Command)}```", content.Description, StringComparison.Ordinal);
        }

        Assert.Equal(1, content.Description.Split("```").Length % 2);
    }

    [Fact]
    public void Render_WhenTheLongCommandsWouldPassTheirShare_ShouldSendTheRestToTheEmail()
    {
        var sample = FormatSamples.Advisory("health-elb");
        var huge = Enumerable.Range(1, 6).Select(i => new NextStep($"Step {i}", $"aws ecs describe-services --cluster c{i} " + new string((char)('a' + i), 1_500))).ToList();
        var advisory = sample with { NextSteps = huge };

        var content = ChatbotFormat.Render(advisory).Content;

        Assert.InRange(content.Description.Length, 1, ChatbotLimits.Description);
        var inDescription = content.NextSteps.Count(s => s.Contains("under *Commands* in the description", StringComparison.Ordinal));
        var inEmail = content.NextSteps.Count(s => s.EndsWith("(the command is in the e-mail advisory)", StringComparison.Ordinal));
        Assert.Equal(huge.Count, inDescription + inEmail);
        Assert.InRange(inDescription, 1, huge.Count - 1);
        Assert.All(huge.Take(inDescription), s => Assert.Contains($"```{s.Command}```", content.Description, StringComparison.Ordinal));
        Assert.All(huge.Skip(inDescription), s => Assert.DoesNotContain(s.Command, content.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void ToJson_WhenTextHasQuotesApostrophesAndNonAscii_ShouldKeepThemReadable()
    {
        var advisory = FormatSamples.Advisory("health-elb");

        var json = ChatbotFormat.ToJson(ChatbotFormat.Render(advisory));

        Assert.Contains("--query 'tasks[0]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EventTypeOf_ForEveryCategory_ShouldMatchTheCustomActionNotificationTypePattern()
    {
        foreach (var category in EcsTimeoutRemediator.Classification.Category.All)
        {
            Assert.Matches(NotificationType(), ChatbotFormat.EventTypeOf(category));
        }
    }

    internal static void AssertFollowsTheSchema(JsonElement root)
    {
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal("custom", root.GetProperty("source").GetString());
        var content = root.GetProperty("content");
        Assert.Equal("client-markdown", content.GetProperty("textType").GetString());
        var title = content.GetProperty("title").GetString()!;
        Assert.InRange(title.Length, 1, ChatbotLimits.Title);
        var description = content.GetProperty("description").GetString()!;
        Assert.InRange(description.Length, 1, ChatbotLimits.Description);
        var steps = content.GetProperty("nextSteps").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.InRange(steps.Count, 1, ChatbotLimits.NextSteps);
        Assert.All(steps, s => Assert.InRange(s.Length, 1, ChatbotLimits.NextStep));
        var keywords = content.GetProperty("keywords").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.InRange(keywords.Count, 1, ChatbotLimits.Keywords);
        Assert.All(keywords, k => Assert.InRange(k.Length, 1, ChatbotLimits.Keyword));

        var metadata = root.GetProperty("metadata");
        Assert.InRange(metadata.GetProperty("threadId").GetString()!.Length, 1, ChatbotLimits.ThreadId);
        Assert.InRange(metadata.GetProperty("summary").GetString()!.Length, 1, ChatbotLimits.Summary);
        Assert.Matches(NotificationType(), metadata.GetProperty("eventType").GetString()!);
        var related = metadata.GetProperty("relatedResources").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.InRange(related.Count, 1, ChatbotLimits.RelatedResources);
        Assert.All(related, r => Assert.StartsWith("arn:", r, StringComparison.Ordinal));

        // Only the documented fields, and every string field is a string (no nulls).
        Assert.All(root.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "version", "source", "id", "content", "metadata" }));
        Assert.All(content.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "textType", "title", "description", "nextSteps", "keywords" }));
        Assert.All(metadata.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "threadId", "summary", "eventType", "relatedResources", "additionalContext" }));
    }

    internal static void AssertNoLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                Assert.True(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]), $"lone high surrogate at {i}");
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(s[i]), $"lone low surrogate at {i}");
            }
        }
    }

    internal static string Indent(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement, IndentedOptions) + "\n";
    }

    private static readonly JsonSerializerOptions IndentedOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex("^[a-zA-Z0-9-]{1,100}$")]
    private static partial Regex NotificationType();
}
