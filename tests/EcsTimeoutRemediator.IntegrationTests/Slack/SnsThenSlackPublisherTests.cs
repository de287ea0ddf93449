using System.Net;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Aws.Slack;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.IntegrationTests.Slack;

public sealed class SnsThenSlackPublisherTests
{
    [Fact]
    public async Task PublishAsync_WhenSlackFails_ShouldReturnTheSnsMessageIdAndLogAndCountTheFailure()
    {
        var sns = new RecordingPublisher();
        var slack = new ScriptedSlack(new SlackDeliveryException("Slack answered HTTP 500.", HttpStatusCode.InternalServerError));
        var log = new RecordingLog();
        var metrics = new RecordingMetrics();

        var id = await new SnsThenSlackPublisher(sns, slack, log, metrics).PublishAsync(SlackWebhookClientTests.SampleAdvisory(), CancellationToken.None);

        Assert.Equal("sns-1", id);
        Assert.Single(sns.Published);
        Assert.Equal(["SlackFailures"], metrics.Counts);
        var warn = Assert.Single(log.Lines, l => l.Level == LogLevel.Warn);
        Assert.Contains(warn.Fields, f => f.Key == "httpStatus" && f.Value == "500");
        Assert.Contains(warn.Fields, f => f.Key == "snsMessageId" && f.Value == "sns-1");
    }

    [Fact]
    public async Task PublishAsync_WhenSnsFails_ShouldNotPostToSlack()
    {
        var sns = new RecordingPublisher { Fail = true };
        var slack = new ScriptedSlack(null);

        await Assert.ThrowsAsync<TimeoutException>(() => new SnsThenSlackPublisher(sns, slack, new RecordingLog(), new RecordingMetrics()).PublishAsync(SlackWebhookClientTests.SampleAdvisory(), CancellationToken.None));

        Assert.Empty(slack.Sent);
    }

    [Fact]
    public async Task PublishAsync_WhenBothWork_ShouldPublishToSnsFirstThenPostTheBlocks()
    {
        var order = new List<string>();
        var sns = new RecordingPublisher { Order = order };
        var slack = new ScriptedSlack(null) { Order = order };

        await new SnsThenSlackPublisher(sns, slack, new RecordingLog(), new RecordingMetrics()).PublishAsync(SlackWebhookClientTests.SampleAdvisory(), CancellationToken.None);

        Assert.Equal(["sns", "slack"], order);
        Assert.IsType<SlackHeaderBlock>(Assert.Single(slack.Sent).Blocks[0]);
    }

    [Fact]
    public async Task PublishAsync_WhenSlackThrowsAnUnexpectedError_ShouldLetItPropagate()
    {
        var slack = new ScriptedSlack(new InvalidOperationException("bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => new SnsThenSlackPublisher(new RecordingPublisher(), slack, new RecordingLog(), new RecordingMetrics()).PublishAsync(SlackWebhookClientTests.SampleAdvisory(), CancellationToken.None));
    }

    private sealed class RecordingPublisher : IAdvisoryPublisher
    {
        public List<Advisory> Published { get; } = [];
        public bool Fail { get; init; }
        public List<string>? Order { get; init; }

        public Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new TimeoutException("SNS timed out");
            }

            Order?.Add("sns");
            Published.Add(advisory);
            return Task.FromResult("sns-" + Published.Count);
        }
    }

    private sealed class ScriptedSlack(Exception? failure) : ISlackSender
    {
        public List<SlackMessage> Sent { get; } = [];
        public List<string>? Order { get; init; }

        public Task SendAsync(SlackMessage message, CancellationToken cancellationToken)
        {
            Order?.Add("slack");
            if (failure is not null)
            {
                throw failure;
            }

            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingLog : ILogSink
    {
        public List<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, string?>> Fields)> Lines { get; } = [];

        public void Write(LogLevel level, string message, string? correlationId, IReadOnlyList<KeyValuePair<string, string?>> fields) => Lines.Add((level, message, fields));
    }

    private sealed class RecordingMetrics : IMetricSink
    {
        public List<string> Counts { get; } = [];

        public void Count(string metric, int value = 1, string? dimensionName = null, string? dimensionValue = null) => Counts.Add(metric);
    }
}
