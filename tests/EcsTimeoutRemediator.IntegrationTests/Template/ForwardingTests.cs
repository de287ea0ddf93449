using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>
/// The forwarding path on moto, with the rules both templates declare: a member account's rule on its default bus
/// sends to the central bus of another account, whose rule sends to an SQS queue standing in for the function. moto
/// applies the patterns and crosses accounts; it does not enforce the bus's policy (OrganizationTemplateTests evaluates it).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ForwardingTests(MotoServer moto) : IAsyncLifetime
{
    private const string Member = "111111111111";
    private EventBridgeTestClient _memberEvents = null!;
    private readonly AmazonSQSClient _sqs = moto.CreateSqsClient();
    private string _queueUrl = "";

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _memberEvents = new EventBridgeTestClient(await MotoOrganization.CredentialsAsync(moto, Member), moto.Configure(new EventBridgeTestClientConfig()));
        using var central = new EventBridgeTestClient(MotoServer.Credentials, moto.Configure(new EventBridgeTestClientConfig()));
        var bus = await central.CreateEventBusAsync("ecs-timeout-remediator-ecs-events");
        Assert.Equal(MotoOrganization.CentralBus, bus);
        _queueUrl = (await _sqs.CreateQueueAsync("function")).QueueUrl;
        var queueArn = (await _sqs.GetQueueAttributesAsync(_queueUrl, ["QueueArn"])).QueueARN;

        // The central stack's rules on its bus, and the member stack's rules on the member's default bus.
        var centralTemplate = TemplateFiles.Template;
        var centralValues = new TemplateEvaluator(centralTemplate, TemplatePolicyTests.OrgWide);
        var memberTemplate = TemplateFiles.MemberTemplate;
        var memberValues = new TemplateEvaluator(memberTemplate, new Dictionary<string, string> { ["CentralEventBusArn"] = bus, ["CentralRoleArn"] = MotoOrganization.CentralRole });
        foreach (var (centralRule, memberRule) in new[] { ("MemberStoppedTaskRule", "StoppedTaskForwardingRule"), ("MemberServiceEventRule", "ServiceEventForwardingRule") })
        {
            await central.PutRuleAsync(centralRule, Pattern(centralTemplate, centralValues, centralRule), "ecs-timeout-remediator-ecs-events");
            await central.PutTargetAsync(centralRule, "function", queueArn, "ecs-timeout-remediator-ecs-events");
            await _memberEvents.PutRuleAsync(memberRule, Pattern(memberTemplate, memberValues, memberRule));
            var target = memberTemplate.Resource(memberRule)["Properties"]!["Targets"]![0]!;
            await _memberEvents.PutTargetAsync(memberRule, (string)target["Id"]!, (string)memberValues.Resolve(target["Arn"])!, roleArn: $"arn:aws:iam::{Member}:role/forwarding");
        }
    }

    public Task DisposeAsync()
    {
        _memberEvents.Dispose();
        _sqs.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> ForwardedEvents => [..
        Directory.GetFiles(TemplateFiles.StoppedEventsDirectory, "*.json").Select(p => Path.Combine("events", Path.GetFileName(p)))
            .Concat(Directory.GetFiles(TemplateFiles.ServiceEventsDirectory, "*.json").Select(p => Path.Combine("events-service", Path.GetFileName(p))))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ForwardedEvents))]
    public async Task PutEvents_WhenAMemberAccountsEcsEventIsOneTheFunctionHandles_ShouldReachTheCentralBusRule(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);

        await PutAsync(path);

        var delivered = await DrainAsync();
        using var sample = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var body = Assert.Single(delivered);
        Assert.Equal(sample.RootElement.GetProperty("detail-type").GetString(), (string?)body["detail-type"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sample.RootElement.GetProperty("detail").GetRawText()), body["detail"]));
    }

    [Fact]
    public async Task PutEvents_WhenAMemberAccountsTaskIsRunningOrItsServiceIsSteady_ShouldNotBeForwarded()
    {
        await PutAsync(Path.Combine(TemplateFiles.OtherEventsDirectory, "task-running.json"));
        await PutAsync(Path.Combine(TemplateFiles.OtherEventsDirectory, "service-steady-state.json"));
        await PutAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "health-elb.json"));

        var delivered = await DrainAsync();

        Assert.Equal(["ECS Task State Change"], delivered.Select(d => (string?)d["detail-type"]));
        Assert.Equal("STOPPED", (string?)delivered[0]["detail"]!["lastStatus"]);
    }

    private static string Pattern(JsonObject template, TemplateEvaluator values, string rule) =>
        values.Resolve(template.Resource(rule)["Properties"]!["EventPattern"])!.ToJsonString();

    /// <summary>Puts a sample event from the member account; returns the id of its entry.</summary>
    private async Task<string> PutAsync(string path)
    {
        using var sample = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = sample.RootElement;
        return await _memberEvents.PutEventAsync(new PutEventsEntry(
            Source: root.GetProperty("source").GetString()!,
            DetailType: root.GetProperty("detail-type").GetString()!,
            Detail: root.GetProperty("detail").GetRawText(),
            Resources: [.. root.GetProperty("resources").EnumerateArray().Select(r => r.GetString()!)],
            Time: DateTimeOffset.Parse(root.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Everything that reached the function's queue. moto delivers while it answers PutEvents (the forward to the
    /// central bus included), so what was put is there by now; a first empty answer waits once more.
    /// </summary>
    private async Task<List<JsonNode>> DrainAsync()
    {
        var delivered = new List<JsonNode>();
        for (var round = 0; round < 50; round++)
        {
            var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = round == 0 ? 1 : 0 });
            if (response.Messages is not { Count: > 0 } messages)
            {
                return delivered;
            }

            delivered.AddRange(messages.Select(m => JsonNode.Parse(m.Body)!));
        }

        return delivered;
    }
}
