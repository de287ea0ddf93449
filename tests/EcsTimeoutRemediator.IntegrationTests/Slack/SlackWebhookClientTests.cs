using System.Net;
using System.Text.Json;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Aws.Slack;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using Microsoft.Extensions.Time.Testing;

namespace EcsTimeoutRemediator.IntegrationTests.Slack;

/// <summary>The Slack client against a local webhook: rate gate, 429 with Retry-After, errors, time-outs, secrecy.</summary>
public sealed class SlackWebhookClientTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly LocalWebhook _hook = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose()
    {
        _hook.Dispose();
        _http.Dispose();
    }

    public static Advisory SampleAdvisory()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "image-pull-network.json"));
        var e = ((ParseResult.Parsed)EventParser.Parse(json)).Event;
        var c = Classifier.Classify(e.Facts);
        return AdvisoryBuilder.Build(TaskIdentity.From(e), c, [], NextSteps.For(e, c));
    }

    private SlackWebhookClient Client(TimeProvider time, SlackOptions? options = null) =>
        new(_http, SlackWebhook.Parse(_hook.Url), time, options);

    [Fact]
    public async Task SendAsync_WhenSlackAccepts_ShouldPostTheBlockKitJsonOnce()
    {
        var message = SlackFormat.Render(SampleAdvisory());

        await Client(TimeProvider.System).SendAsync(message, CancellationToken.None);

        var request = Assert.Single(_hook.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("header", body.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Equal(message.Text, body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task SendAsync_WhenSlackAnswers429WithRetryAfter_ShouldWaitThatLongThenRetryOnce()
    {
        _hook.Then(HttpStatusCode.TooManyRequests, "rate_limited", retryAfter: "3");
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T09:15:00Z", System.Globalization.CultureInfo.InvariantCulture));

        var send = Client(time).SendAsync(SlackFormat.Render(SampleAdvisory()), CancellationToken.None);
        Assert.True(await _hook.Arrived.WaitAsync(Wait));
        await Task.Delay(200);
        time.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Delay(200);

        Assert.False(send.IsCompleted);
        Assert.Single(_hook.Requests);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await send.WaitAsync(Wait);
        Assert.Equal(2, _hook.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_WhenSlackRateLimitsTwice_ShouldGiveUpAfterTheOneRetry()
    {
        _hook.Then(HttpStatusCode.TooManyRequests, retryAfter: "0").Then(HttpStatusCode.TooManyRequests, retryAfter: "0");

        var ex = await Assert.ThrowsAsync<SlackDeliveryException>(() => Client(TimeProvider.System).SendAsync(SlackFormat.Render(SampleAdvisory()), CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal(2, _hook.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_WhenRetryAfterIsLongerThanTheBound_ShouldGiveUpWithoutWaiting()
    {
        _hook.Then(HttpStatusCode.TooManyRequests, retryAfter: "120");

        var ex = await Assert.ThrowsAsync<SlackDeliveryException>(() => Client(new FakeTimeProvider()).SendAsync(SlackFormat.Render(SampleAdvisory()), CancellationToken.None).WaitAsync(Wait));

        Assert.Contains("120 s", ex.Message, StringComparison.Ordinal);
        Assert.Single(_hook.Requests);
    }

    [Fact]
    public async Task SendAsync_WhenSlackAnswers500_ShouldThrowWithTheStatusAndNotTheWebhookUrl()
    {
        _hook.Then(HttpStatusCode.InternalServerError, $"oops at {_hook.Url}");

        var ex = await Assert.ThrowsAsync<SlackDeliveryException>(() => Client(TimeProvider.System).SendAsync(SlackFormat.Render(SampleAdvisory()), CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("HTTP 500", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", ex.ToString(), StringComparison.Ordinal);
        Assert.Single(_hook.Requests);
    }

    [Fact]
    public async Task SendAsync_WhenNothingListens_ShouldThrowADeliveryExceptionWithoutTheWebhookUrl()
    {
        var closed = $"http://127.0.0.1:{LocalWebhook.FreePort()}/services/T0000SECRET/B0000SECRET/xoxSECRETtoken";
        var client = new SlackWebhookClient(_http, SlackWebhook.Parse(closed), TimeProvider.System);

        var ex = await Assert.ThrowsAsync<SlackDeliveryException>(() => client.SendAsync(SlackFormat.Render(SampleAdvisory()), CancellationToken.None));

        Assert.Null(ex.InnerException);
        Assert.DoesNotContain("SECRET", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WhenSlackDoesNotAnswerInTime_ShouldThrowADeliveryException()
    {
        _hook.Then(HttpStatusCode.OK, delay: TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<SlackDeliveryException>(() => Client(TimeProvider.System, new SlackOptions { Timeout = TimeSpan.FromMilliseconds(300) }).SendAsync(SlackFormat.Render(SampleAdvisory()), CancellationToken.None));

        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitAsync_WhenThreeMessagesArriveTogether_ShouldSpaceThemOneSecondApart()
    {
        var time = new FakeTimeProvider();
        var gate = new SlackRateGate(time, TimeSpan.FromSeconds(1));

        var first = gate.WaitAsync(CancellationToken.None);
        var second = gate.WaitAsync(CancellationToken.None);
        var third = gate.WaitAsync(CancellationToken.None);

        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(Wait);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await third.WaitAsync(Wait);
    }

    [Fact]
    public async Task SendAsync_WhenTwoAdvisoriesFollowEachOther_ShouldPostTheSecondOnlyAfterTheInterval()
    {
        // A fake clock: the gate spaces the posts, whatever the speed of the machine.
        var time = new FakeTimeProvider();
        var client = Client(time, new SlackOptions { MinInterval = TimeSpan.FromSeconds(1) });
        var message = SlackFormat.Render(SampleAdvisory());

        await client.SendAsync(message, CancellationToken.None);
        var second = client.SendAsync(message, CancellationToken.None);
        await Task.Delay(200);

        Assert.False(second.IsCompleted);
        Assert.Single(_hook.Requests);
        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(Wait);
        Assert.Equal(2, _hook.Requests.Count);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://hooks.slack.com/services/x")]
    [InlineData("http://hooks.slack.com/services/x")]
    public void Parse_WhenTheValueIsNotAnHttpsUrl_ShouldRefuseItWithoutQuotingIt(string value)
    {
        var ex = Assert.Throws<SlackConfigurationException>(() => SlackWebhook.Parse(value));

        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_ShouldNotRevealThePath()
    {
        var webhook = SlackWebhook.Parse("https://hooks.slack.com/services/T0000SECRET/B0000SECRET/xoxSECRETtoken");

        Assert.Equal("https://hooks.slack.com/[redacted]", webhook.ToString());
        Assert.Equal("failed at [redacted webhook] today", webhook.Redact("failed at https://hooks.slack.com/services/T0000SECRET/B0000SECRET/xoxSECRETtoken today"));
    }
}
