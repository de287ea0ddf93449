using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Slack;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// The advisory formats on their way out: SNS with MessageStructure=json read back through an SQS subscription,
/// and the optional Slack delivery from the Lambda handler to a local webhook whose URL sits in an SSM
/// SecureString parameter on moto.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AdvisoryDeliveryEndToEndTests(MotoServer moto) : IAsyncLifetime
{
    private const string Parameter = "/ecs-remediator/slack-webhook";
    private BrokenAccount _account = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PublishAsync_WhenTheTopicHasAnSqsSubscriber_ShouldDeliverTheChatbotNotificationAsTheDefaultPart()
    {
        using var sns = moto.CreateSnsClient();
        var advisory = SlackWebhookClientTests.SampleAdvisory();

        var id = await new SnsAdvisoryPublisher(sns, _account.TopicArn).PublishAsync(advisory, CancellationToken.None);

        var (subject, message, envelope) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal(id, envelope.GetProperty("MessageId").GetString());
        Assert.Equal(advisory.Subject, subject);
        using var chat = JsonDocument.Parse(message);
        Assert.Equal("1.0", chat.RootElement.GetProperty("version").GetString());
        Assert.Equal("custom", chat.RootElement.GetProperty("source").GetString());
        Assert.Equal("client-markdown", chat.RootElement.GetProperty("content").GetProperty("textType").GetString());
        Assert.Equal(advisory.IncidentKey, chat.RootElement.GetProperty("metadata").GetProperty("threadId").GetString());
        Assert.False(chat.RootElement.TryGetProperty("email", out _), "the SQS subscriber must get the default part, not the whole structure");
        var attributes = envelope.GetProperty("MessageAttributes");
        Assert.Equal("image-pull/network", attributes.GetProperty("category").GetProperty("Value").GetString());
        Assert.Equal("payments", attributes.GetProperty("cluster").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task HandleAsync_WhenSlackRateLimitsOnce_ShouldWaitRetryAndPostWhileSnsGetsTheAdvisory()
    {
        using var hook = new LocalWebhook().Then(HttpStatusCode.TooManyRequests, "rate_limited", retryAfter: "1");
        await PutParameterAsync(hook.Url, ParameterType.SecureString);
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);

        var (decision, logs) = await RunLambdaAsync(_account.Event("image-pull-network", "api", _account.PrivateSubnet, eventId: "slack-429"));

        Assert.Equal("advised", decision.GetProperty("outcome").GetString());
        var requests = hook.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), "the retry came before Retry-After");
        using var blocks = JsonDocument.Parse(requests[1].Body);
        Assert.InRange(blocks.RootElement.GetProperty("blocks").GetArrayLength(), 3, 50);
        Assert.Equal("header", blocks.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Contains("advisory posted to Slack", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenSlackFailsWith500_ShouldStillPublishTheSnsAdvisoryAndCountTheFailure()
    {
        using var hook = new LocalWebhook().Then(HttpStatusCode.InternalServerError, "no_service");
        await PutParameterAsync(hook.Url, ParameterType.SecureString);
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);

        var (decision, logs) = await RunLambdaAsync(_account.Event("image-pull-network", "api", _account.PrivateSubnet, eventId: "slack-500"));

        Assert.Equal("advised", decision.GetProperty("outcome").GetString());
        Assert.Single(hook.Requests);
        var (subject, _, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.StartsWith("[ECS] payments/api: image pull timed out", subject, StringComparison.Ordinal);
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.TryGetProperty("SlackFailures", out _));
        Assert.Contains(lines, l => l.TryGetProperty("message", out var m) && m.GetString()!.StartsWith("Slack delivery failed", StringComparison.Ordinal)
            && l.GetProperty("reason").GetString()!.StartsWith("HTTP 500", StringComparison.Ordinal) && l.GetProperty("correlationId").GetString() == "slack-500");
        Assert.DoesNotContain("SECRET", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheWebhookParameterIsNotASecureString_ShouldLeaveSlackOffAndStillPublish()
    {
        using var hook = new LocalWebhook();
        await PutParameterAsync(hook.Url, ParameterType.String);
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);

        var (decision, logs) = await RunLambdaAsync(_account.Event("image-pull-network", "api", _account.PrivateSubnet));

        Assert.Equal("advised", decision.GetProperty("outcome").GetString());
        Assert.Empty(hook.Requests);
        Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Contains("Slack delivery disabled", logs, StringComparison.Ordinal);
        Assert.Contains("must be a SecureString", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", logs, StringComparison.Ordinal);
    }

    private async Task PutParameterAsync(string value, ParameterType type)
    {
        using var ssm = new AmazonSimpleSystemsManagementClient(MotoServer.Credentials, moto.Configure(new AmazonSimpleSystemsManagementConfig()));
        await ssm.PutParameterAsync(new PutParameterRequest { Name = Parameter, Value = value, Type = type, Overwrite = true });
    }

    /// <summary>Runs the real Lambda handler in-process with the function's environment; returns the decision and the log lines.</summary>
    private async Task<(JsonElement Decision, string Logs)> RunLambdaAsync(string eventJson)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_ENDPOINT_URL"] = moto.Url,
            ["AWS_MAX_ATTEMPTS"] = "2",
            ["ADVISORY_TOPIC_ARN"] = _account.TopicArn,
            ["SLACK_WEBHOOK_PARAMETER"] = Parameter,
        };
        var saved = environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        var logs = new StringWriter();
        var stdout = Console.Out;
        try
        {
            foreach (var (k, v) in environment)
            {
                Environment.SetEnvironmentVariable(k, v);
            }

            Console.SetOut(logs);
            using var root = CompositionRoot.ForLambda(Settings.FromEnvironment().RequireLambdaEnvironment(), Console.Out);
            var output = await new Function(root.Pipeline).HandleAsync(Encoding.UTF8.GetBytes(eventJson), CancellationToken.None);
            using var decision = JsonDocument.Parse(output);
            return (decision.RootElement.Clone(), logs.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            foreach (var (k, v) in saved)
            {
                Environment.SetEnvironmentVariable(k, v);
            }
        }
    }
}
