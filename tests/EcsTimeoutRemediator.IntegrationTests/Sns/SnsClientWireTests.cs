using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Sns;

[Collection(MotoCollection.Name)]
public sealed class SnsClientWireTests(MotoServer moto) : IAsyncLifetime
{
    private readonly SnsClient _sns = moto.CreateSnsClient();
    private readonly SnsSetupClient _setup = new(MotoServer.Credentials, moto.Configure(new SnsClientConfig()));
    private readonly AmazonSQSClient _sqs = moto.CreateSqsClient();
    private string _topicArn = "";
    private string _queueUrl = "";

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _topicArn = await _setup.CreateTopicAsync("ecs-remediator-advisories");
        _queueUrl = (await _sqs.CreateQueueAsync("advisories")).QueueUrl;
        var attributes = await _sqs.GetQueueAttributesAsync(_queueUrl, ["QueueArn"]);
        await _setup.SubscribeAsync(_topicArn, "sqs", attributes.QueueARN);
    }

    public Task DisposeAsync()
    {
        _sns.Dispose();
        _setup.Dispose();
        _sqs.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Publish_WhenTopicSubscribedByQueue_ShouldDeliverMessageSubjectAndAttributes()
    {
        var response = await _sns.PublishAsync(new PublishRequest
        {
            TopicArn = _topicArn,
            Message = "Task stopped: CannotPullContainerError (ünïcode ✓)",
            Subject = "[ecs-remediator] prod/web: image pull failed",
            MessageAttributes = new Dictionary<string, SnsMessageAttribute>
            {
                ["category"] = SnsMessageAttribute.String("image-pull"),
                ["severity"] = SnsMessageAttribute.String("high"),
            },
        });

        Assert.False(string.IsNullOrEmpty(response.MessageId));
        using var envelope = await ReceiveEnvelopeAsync();
        var root = envelope.RootElement;
        Assert.Equal(response.MessageId, root.GetProperty("MessageId").GetString());
        Assert.Equal(_topicArn, root.GetProperty("TopicArn").GetString());
        Assert.Equal("[ecs-remediator] prod/web: image pull failed", root.GetProperty("Subject").GetString());
        Assert.Equal("Task stopped: CannotPullContainerError (ünïcode ✓)", root.GetProperty("Message").GetString());
        var attributes = root.GetProperty("MessageAttributes");
        Assert.Equal("image-pull", attributes.GetProperty("category").GetProperty("Value").GetString());
        Assert.Equal("String", attributes.GetProperty("severity").GetProperty("Type").GetString());
        Assert.Equal("high", attributes.GetProperty("severity").GetProperty("Value").GetString());
    }

    [Theory]
    [InlineData("""{"default":"plain text","sqs":"for the queue","email":"for a person"}""", "for the queue")]
    [InlineData("""{"default":"plain text","email":"for a person"}""", "plain text")]
    public async Task Publish_WhenMessageStructureIsJson_ShouldDeliverTheQueuesPart(string message, string expected)
    {
        await _sns.PublishAsync(new PublishRequest
        {
            TopicArn = _topicArn, Message = message, MessageStructure = "json", Subject = "structured",
        });

        using var envelope = await ReceiveEnvelopeAsync();
        Assert.Equal(expected, envelope.RootElement.GetProperty("Message").GetString());
        Assert.Equal("structured", envelope.RootElement.GetProperty("Subject").GetString());
    }

    [Fact]
    public async Task Publish_WhenMessageIsExactly256KB_ShouldDeliverIt()
    {
        var message = new string('x', SnsClient.MaxMessageBytes);

        await _sns.PublishAsync(new PublishRequest { TopicArn = _topicArn, Message = message });

        using var envelope = await ReceiveEnvelopeAsync();
        Assert.Equal(SnsClient.MaxMessageBytes, envelope.RootElement.GetProperty("Message").GetString()!.Length);
    }

    [Fact]
    public async Task Publish_WhenTopicIsMissing_ShouldThrowNotFoundException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.NotFound, () => _sns.PublishAsync(new PublishRequest
        {
            TopicArn = $"arn:aws:sns:us-east-1:{MotoServer.AccountId}:missing", Message = "hello",
        }));

        Assert.Equal("NotFound", error.ErrorCode);
        Assert.Equal("SNS", error.Service);
        Assert.Equal("Publish", error.Operation);
        Assert.Equal(404, error.StatusCode);
        Assert.False(error.IsRetryable);
    }

    private async Task<JsonDocument> ReceiveEnvelopeAsync()
    {
        var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = _queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 2,
        });
        var message = Assert.Single(received.Messages);
        return JsonDocument.Parse(message.Body);
    }
}
