using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>
/// The rule's event pattern, read from template.yaml and resolved for the given parameters, put on a moto
/// EventBridge rule with an SQS target: moto applies the pattern to PutEvents (its TestEventPattern does not).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class EventPatternTests(MotoServer moto) : IAsyncLifetime
{
    private const string Payments = "arn:aws:ecs:us-east-1:111122223333:cluster/payments";
    private const string Web = "arn:aws:ecs:us-east-1:111122223333:cluster/web";
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    private readonly EventBridgeTestClient _events =
        new(MotoServer.Credentials, moto.Configure(new EventBridgeTestClientConfig()));
    private readonly AmazonSQSClient _sqs = moto.CreateSqsClient();
    private string _queueUrl = "";

    public static TheoryData<string> StoppedEventFiles => [.. Directory
        .GetFiles(TemplateFiles.StoppedEventsDirectory, "*.json")
        .Select(path => Path.GetFileName(path))
        .Order(StringComparer.Ordinal)];

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _queueUrl = (await _sqs.CreateQueueAsync("stopped-tasks")).QueueUrl;
    }

    public Task DisposeAsync()
    {
        _events.Dispose();
        _sqs.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void EventPattern_WhenClusterArnsIsEmpty_ShouldMatchStoppedTasksOfEveryCluster()
    {
        var pattern = Pattern(clusterArns: null);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["STOPPED"]}}
                """),
            pattern));
    }

    [Fact]
    public void EventPattern_WhenClusterArnsIsGiven_ShouldMatchOnlyThoseClusters()
    {
        var pattern = Pattern($"{Payments}, {Web}");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($"""["{Payments}","{Web}"]"""), pattern["detail"]!["clusterArn"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["STOPPED"]"""), pattern["detail"]!["lastStatus"]));
    }

    [Theory]
    [MemberData(nameof(StoppedEventFiles))]
    public async Task PutEvents_WhenTaskStoppedEventIsSent_ShouldReachTheQueue(string file)
    {
        await CreateRuleAsync(Pattern(clusterArns: null));

        var id = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, file));

        var delivered = await ReceiveUntilAsync(id);
        Assert.Contains(id, delivered.Keys);
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, file)));
        var body = delivered[id];
        Assert.Equal("ECS Task State Change", (string?)body["detail-type"]);
        Assert.Equal(
            expected.RootElement.GetProperty("detail").GetProperty("taskArn").GetString(),
            (string?)body["detail"]!["taskArn"]);
    }

    [Fact]
    public async Task PutEvents_WhenTaskIsRunning_ShouldNotReachTheQueue()
    {
        await CreateRuleAsync(Pattern(clusterArns: null));

        var running = await PutEventAsync(Path.Combine(TemplateFiles.OtherEventsDirectory, "task-running.json"));
        var stopped = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "health-elb.json"));

        var delivered = await ReceiveUntilAsync(stopped);
        Assert.Contains(stopped, delivered.Keys);
        Assert.DoesNotContain(running, delivered.Keys);
    }

    [Fact]
    public async Task PutEvents_WhenScopedToClustersAndClusterMatches_ShouldReachTheQueue()
    {
        await CreateRuleAsync(Pattern($"{Payments},{Web}"));

        var payments = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "health-elb.json"));
        var web = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "image-pull-not-found.json"));

        var delivered = await ReceiveUntilAsync(payments, web);
        Assert.Contains(payments, delivered.Keys);
        Assert.Contains(web, delivered.Keys);
    }

    [Fact]
    public async Task PutEvents_WhenScopedToClustersAndClusterDiffers_ShouldNotReachTheQueue()
    {
        await CreateRuleAsync(Pattern(Payments));

        // exit-oom.json stopped in cluster "batch"; health-elb.json, sent after it, in "payments".
        var batch = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "exit-oom.json"));
        var payments = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "health-elb.json"));

        var delivered = await ReceiveUntilAsync(payments);
        Assert.Contains(payments, delivered.Keys);
        Assert.DoesNotContain(batch, delivered.Keys);
    }

    public static TheoryData<string> ServiceEventFiles => [.. Directory
        .GetFiles(TemplateFiles.ServiceEventsDirectory, "*.json")
        .Select(path => Path.GetFileName(path))
        .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ServiceEventFiles))]
    public async Task PutEvents_WhenAServiceOrDeploymentFailureIsSent_ShouldReachTheQueueThroughTheServiceEventRule(string file)
    {
        await CreateRuleAsync(ServiceEventPattern());
        var path = Path.Combine(TemplateFiles.ServiceEventsDirectory, file);

        var id = await PutEventAsync(path);

        var delivered = await ReceiveUntilAsync(id);
        Assert.Contains(id, delivered.Keys);
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(expected.RootElement.GetProperty("detail-type").GetString(), (string?)delivered[id]["detail-type"]);
        Assert.Equal(expected.RootElement.GetProperty("detail").GetProperty("eventName").GetString(), (string?)delivered[id]["detail"]!["eventName"]);
    }

    [Fact]
    public async Task PutEvents_WhenAServiceReachesSteadyStateOrATaskStops_ShouldNotReachTheQueueThroughTheServiceEventRule()
    {
        await CreateRuleAsync(ServiceEventPattern());

        var steady = await PutEventAsync(Path.Combine(TemplateFiles.OtherEventsDirectory, "service-steady-state.json"));
        var stopped = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "health-elb.json"));
        var impaired = await PutEventAsync(Path.Combine(TemplateFiles.ServiceEventsDirectory, "service-task-start-impaired.json"));

        var delivered = await ReceiveUntilAsync(impaired);
        Assert.Contains(impaired, delivered.Keys);
        Assert.DoesNotContain(steady, delivered.Keys);
        Assert.DoesNotContain(stopped, delivered.Keys);
    }

    [Fact]
    public async Task PutEvents_WhenAServiceEventIsSent_ShouldNotReachTheQueueThroughTheStoppedTaskRule()
    {
        await CreateRuleAsync(Pattern(clusterArns: null));

        var placement = await PutEventAsync(Path.Combine(TemplateFiles.ServiceEventsDirectory, "service-task-placement-failure.json"));
        var stopped = await PutEventAsync(Path.Combine(TemplateFiles.StoppedEventsDirectory, "health-elb.json"));

        var delivered = await ReceiveUntilAsync(stopped);
        Assert.Contains(stopped, delivered.Keys);
        Assert.DoesNotContain(placement, delivered.Keys);
    }

    private static JsonNode ServiceEventPattern()
    {
        var template = TemplateFiles.Template;
        return new TemplateEvaluator(template, new Dictionary<string, string>()).Resolve(template.Resource("ServiceEventRule")["Properties"]!["EventPattern"])!;
    }

    /// <summary>StoppedTaskRule's EventPattern as CloudFormation would deploy it for these parameters.</summary>
    private static JsonNode Pattern(string? clusterArns)
    {
        var template = TemplateFiles.Template;
        var values = clusterArns is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["ClusterArns"] = clusterArns };
        var pattern = template.Resource("StoppedTaskRule")["Properties"]!["EventPattern"];
        return new TemplateEvaluator(template, values).Resolve(pattern)!;
    }

    private async Task CreateRuleAsync(JsonNode pattern)
    {
        var queueArn = (await _sqs.GetQueueAttributesAsync(_queueUrl, ["QueueArn"])).QueueARN;
        await _events.PutRuleAsync("stopped-tasks", pattern.ToJsonString());
        await _events.PutTargetAsync("stopped-tasks", "queue", queueArn);
    }

    /// <summary>Puts a sample event file as a PutEvents entry; returns the event id EventBridge gave it.</summary>
    private async Task<string> PutEventAsync(string path)
    {
        using var sample = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = sample.RootElement;
        return await _events.PutEventAsync(new PutEventsEntry(
            Source: root.GetProperty("source").GetString()!,
            DetailType: root.GetProperty("detail-type").GetString()!,
            Detail: root.GetProperty("detail").GetRawText(),
            Resources: [.. root.GetProperty("resources").EnumerateArray().Select(r => r.GetString()!)],
            Time: DateTimeOffset.Parse(root.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Receives from the queue until every id in <paramref name="expected"/> arrived (events are delivered in
    /// order, so an event that was not delivered before the last expected one never will be), then drains
    /// what is left. Returns the delivered events by id.
    /// </summary>
    private async Task<Dictionary<string, JsonNode>> ReceiveUntilAsync(params string[] expected)
    {
        var delivered = new Dictionary<string, JsonNode>();
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        var drained = false;
        while (!drained && DateTime.UtcNow < deadline)
        {
            var waiting = !expected.All(delivered.ContainsKey);
            var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = _queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = waiting ? 1 : 0,
            });
            var messages = response.Messages ?? [];
            foreach (var message in messages)
            {
                var body = JsonNode.Parse(message.Body)!;
                delivered[(string)body["id"]!] = body;
            }

            drained = !waiting && messages.Count == 0;
        }

        return delivered;
    }
}
