using System.Net;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Aws.Slack;

namespace EcsTimeoutRemediator.IntegrationTests.Slack;

public sealed class SlackChannelTests
{
    [Fact]
    public async Task PostAsync_WhenSlackAnswersAnError_ShouldReturnWhyWithTheStatusInsteadOfThrowing()
    {
        var slack = new ScriptedSlack(new SlackDeliveryException("Slack answered HTTP 500.", HttpStatusCode.InternalServerError));

        var failure = await new SlackChannel(slack).PostAsync(SlackWebhookClientTests.SampleAdvisory(), CancellationToken.None);

        Assert.Equal("HTTP 500: Slack answered HTTP 500.", failure);
    }

    [Fact]
    public async Task PostAsync_WhenSlackTakesIt_ShouldPostTheBlocksAndReturnNull()
    {
        var slack = new ScriptedSlack(null);

        var failure = await new SlackChannel(slack).PostAsync(SlackWebhookClientTests.SampleAdvisory(), CancellationToken.None);

        Assert.Null(failure);
        Assert.IsType<SlackHeaderBlock>(Assert.Single(slack.Sent).Blocks[0]);
    }

    [Fact]
    public async Task PostAsync_WhenSlackThrowsAnUnexpectedError_ShouldLetItPropagate()
    {
        var slack = new ScriptedSlack(new InvalidOperationException("bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => new SlackChannel(slack).PostAsync(SlackWebhookClientTests.SampleAdvisory(), CancellationToken.None));
    }

    private sealed class ScriptedSlack(Exception? failure) : ISlackSender
    {
        public List<SlackMessage> Sent { get; } = [];

        public Task SendAsync(SlackMessage message, CancellationToken cancellationToken)
        {
            if (failure is not null)
            {
                throw failure;
            }

            Sent.Add(message);
            return Task.CompletedTask;
        }
    }
}
