using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

public class EmailAndSnsFormatTests
{
    private const int Budget = 262_144 - 1_024;

    [Theory]
    [InlineData("image-pull-network")]
    [InlineData("image-pull-platform")]
    public async Task Render_WhenRenderingASampleEvent_ShouldMatchTheGoldenEmail(string eventName)
    {
        var advisory = eventName == "image-pull-network" ? await FormatSamples.NoRouteAdvisoryAsync() : FormatSamples.Advisory(eventName);

        FormatSamples.AssertGolden($"{eventName}.email.txt", EmailFormat.Render(advisory));
    }

    [Fact]
    public async Task Render_WhenTheCircuitBreakerFailedADeployment_ShouldMatchTheGoldenEmail()
    {
        var advisory = await FormatSamples.DeploymentFailedAdvisoryAsync();

        FormatSamples.AssertGolden("service-deployment-failed.email.txt", EmailFormat.Render(advisory));
    }

    [Fact]
    public void Render_WhenTheTaskFailedToStart_ShouldPutEachLinkOnALineOfItsOwn()
    {
        var advisory = FormatSamples.Advisory("image-pull-network");

        var lines = EmailFormat.Render(advisory).Split('\n');

        Assert.Contains("  " + advisory.ConsoleUrl, lines);
        Assert.Contains("  " + advisory.RunbookUrl, lines);
        Assert.Contains("Incident 111122223333:us-east-1:payments:api:image-pull/network", lines);
    }

    [Fact]
    public void Render_ShouldGiveTheChatbotNotificationAsDefaultAndThePlainTextAsEmail()
    {
        var advisory = FormatSamples.Advisory("image-pull-network", FormatSamples.NoRouteFindings);

        using var doc = JsonDocument.Parse(SnsMessageFormat.Render(advisory, Budget));

        Assert.Equal(["default", "email"], doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        using var chat = JsonDocument.Parse(doc.RootElement.GetProperty("default").GetString()!);
        ChatbotFormatTests.AssertFollowsTheSchema(chat.RootElement);
        Assert.Equal(EmailFormat.Render(advisory), doc.RootElement.GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("é")]
    [InlineData("\"")]
    [InlineData("🔥")]
    [InlineData("\n")]
    public void Render_WhenTheEmailWouldBreakTheSnsLimit_ShouldCutTheEmailToFitAndKeepTheChatPart(string filler)
    {
        var huge = new Finding("huge", FindingStatus.Wrong, string.Concat(Enumerable.Repeat(filler, 300_000)), []);
        var advisory = FormatSamples.Advisory("image-pull-network", [huge]);

        var json = SnsMessageFormat.Render(advisory, Budget);

        Assert.InRange(Encoding.UTF8.GetByteCount(json), Budget - 4_096, Budget);
        using var doc = JsonDocument.Parse(json);
        var email = doc.RootElement.GetProperty("email").GetString()!;
        Assert.EndsWith(SnsMessageFormat.EmailCutMarker, email, StringComparison.Ordinal);
        ChatbotFormatTests.AssertNoLoneSurrogate(email);
        using var chat = JsonDocument.Parse(doc.RootElement.GetProperty("default").GetString()!);
        ChatbotFormatTests.AssertFollowsTheSchema(chat.RootElement);
    }

    [Fact]
    public void Render_WhenEvenTheChatPartCannotFit_ShouldThrow()
    {
        var advisory = FormatSamples.Advisory("image-pull-network");

        Assert.Throws<ArgumentOutOfRangeException>(() => SnsMessageFormat.Render(advisory, 500));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void Chars_WhenTheLimitFallsInsideASurrogatePair_ShouldNeverSplitIt(int max)
    {
        var value = "a" + string.Concat(Enumerable.Repeat("😀", 10));

        var cut = Cut.Chars(value, max);

        Assert.True(cut.Length <= max);
        ChatbotFormatTests.AssertNoLoneSurrogate(cut);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
    }
}
