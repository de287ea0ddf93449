using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Events;

/// <summary>
/// "ECS Service Action" and "ECS Deployment State Change" events: start-up failures that never stop a task,
/// read into the stopped-task shape so that they classify, advise and thread with the service's stopped tasks.
/// </summary>
public class ServiceEventTests
{
    private static string DirectoryOf => Path.Combine(AppContext.BaseDirectory, "events-service");

    private static string Read(string name) => File.ReadAllText(Path.Combine(DirectoryOf, name + ".json"));

    private static TaskStoppedEvent Load(string name) => EventParser.Parse(Read(name)) is ParseResult.Parsed p
        ? p.Event
        : throw new InvalidOperationException($"events/service/{name}.json did not parse");

    public static TheoryData<string, string, string, string> Samples() => new()
    {
        // file, kind, event name, expected category
        { "service-task-placement-failure", nameof(EventKind.ServiceAction), ServiceEvents.PlacementFailure, Category.PlacementCapacity },
        { "service-task-configuration-failure", nameof(EventKind.ServiceAction), ServiceEvents.ConfigurationFailure, Category.EniTimeout },
        { "service-task-start-impaired", nameof(EventKind.ServiceAction), ServiceEvents.StartImpaired, Category.Unknown },
        { "service-deployment-failed", nameof(EventKind.DeploymentFailed), ServiceEvents.DeploymentFailed, Category.Unknown },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Parse_WhenGivenAServiceOrDeploymentEvent_ShouldReadTheServiceClusterAndReason(string file, string kind, string eventName, string category)
    {
        var e = Load(file);

        Assert.Equal(kind, e.Kind.ToString());
        Assert.Equal(eventName, e.EventName);
        Assert.Equal("payments", e.ClusterName);
        Assert.Equal("api", e.ServiceName);
        Assert.Equal("arn:aws:ecs:us-east-1:111122223333:service/payments/api", e.ServiceArn);
        Assert.Equal("111122223333", e.Account);
        Assert.Equal("us-east-1", e.Region);
        Assert.False(string.IsNullOrWhiteSpace(e.Task.StoppedReason));
        Assert.NotNull(e.Task.Version);

        var c = Classifier.Classify(e.Facts);
        Assert.Equal(category, c.Category);
        Assert.True(c.Actionable);
    }

    [Fact]
    public void Parse_WhenADeploymentFails_ShouldNameTheDeploymentAndDeriveTheClusterFromTheServiceArn()
    {
        var e = Load("service-deployment-failed");

        Assert.Equal("ecs-svc/6174913220145829901", e.DeploymentId);
        Assert.Equal("arn:aws:ecs:us-east-1:111122223333:cluster/payments", e.ClusterArn);
        var explanation = Explanation.Of(e);
        Assert.Equal("ecs-svc/6174913220145829901", explanation.Task!.DeploymentId);
        Assert.Null(explanation.Task.TaskArn);
        Assert.Contains("deployment ecs-svc/6174913220145829901", explanation.NextSteps[0].Title, StringComparison.Ordinal);
        Assert.Contains("describe-services", explanation.NextSteps[0].Command, StringComparison.Ordinal);
        Assert.Contains("  Deployment:       ecs-svc/6174913220145829901\n", explanation.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenTheServiceNameComesAsServiceAndResourcesAreMissing_ShouldStillReadIt()
    {
        var json = JsonNode.Parse(Read("service-task-placement-failure"))!.AsObject();
        json["resources"] = new JsonArray();
        json["detail"]!["service"] = "checkout";

        var e = Assert.IsType<ParseResult.Parsed>(EventParser.Parse(json.ToJsonString())).Event;

        Assert.Equal("checkout", e.ServiceName);
        Assert.Equal("payments", e.ClusterName);
        Assert.Equal("arn:aws:ecs:us-east-1:111122223333:service/payments/checkout", e.TaskArn);
    }

    [Theory]
    [InlineData("SERVICE_STEADY_STATE", "INFO")]
    [InlineData("SERVICE_TASK_PLACEMENT_FAILURE", "INFO")]
    [InlineData("SERVICE_DISCOVERY_INSTANCE_UNHEALTHY", "WARN")]
    public void Parse_WhenTheServiceEventIsNotAStartUpFailure_ShouldIgnoreIt(string eventName, string eventType)
    {
        var json = JsonNode.Parse(Read("service-task-placement-failure"))!.AsObject();
        json["detail"]!["eventName"] = eventName;
        json["detail"]!["eventType"] = eventType;

        Assert.IsType<ParseResult.Ignored>(EventParser.Parse(json.ToJsonString()));
    }

    [Fact]
    public void Parse_WhenNeitherServiceNorClusterCanBeFound_ShouldBeInvalid()
    {
        var json = JsonNode.Parse(Read("service-deployment-failed"))!.AsObject();
        json["resources"] = new JsonArray();

        Assert.IsType<ParseResult.Invalid>(EventParser.Parse(json.ToJsonString()));
    }

    [Fact]
    public void Advisory_WhenAPlacementFailureAndAStoppedTaskOfTheSameServiceFail_ShouldShareTheIncidentKeyOfThatCategory()
    {
        var service = Load("service-task-placement-failure");
        var stopped = EventFiles.Load("health-elb");
        Assert.Equal(stopped.ServiceName, service.ServiceName);
        Assert.Equal(stopped.ClusterName, service.ClusterName);

        var fromService = IncidentKey.For(TaskIdentity.From(service), Category.PlacementCapacity).Value;
        var fromTask = IncidentKey.For(TaskIdentity.From(stopped), Category.PlacementCapacity).Value;

        Assert.Equal(fromTask, fromService);
        Assert.Equal("111122223333:us-east-1:payments:api:placement/capacity", fromService);
    }

    [Fact]
    public void ConsoleLinks_WhenTheAdvisoryComesFromAServiceEvent_ShouldLinkTheServicesEventsAndNoRunbook()
    {
        var task = TaskIdentity.From(Load("service-deployment-failed"));

        Assert.Equal("https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/api/events?region=us-east-1", ConsoleLinks.For(task));
        Assert.Null(ConsoleLinks.Runbook(task, Category.ImagePullNetwork));
    }

    [Theory]
    [InlineData("service-task-placement-failure")]
    [InlineData("service-deployment-failed")]
    public async Task HandleAsync_WhenAServiceEventArrives_ShouldPublishOneAdvisoryThreadedWithTheService(string name)
    {
        var account = new FakeAccount();
        account.Services["api"] = Scenarios.Service("api");
        var publisher = new RecordingPublisher();
        var log = new ListLogSink();
        var metrics = new CountingMetrics();
        var pipeline = new EcsTimeoutRemediator.Pipeline(new ContextGatherer(account, account, account),
            new EcsTimeoutRemediator.Remediation.Remediator(account, null, null, null, new EcsTimeoutRemediator.Policy.PolicySettings(), TimeProvider.System, log, metrics),
            null, null, null, publisher, log, metrics, TimeProvider.System);

        var record = await pipeline.HandleAsync(Encoding.UTF8.GetBytes(Read(name)), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, record.Outcome);
        var advisory = Assert.Single(publisher.Published);
        Assert.StartsWith("111122223333:us-east-1:payments:api:", advisory.IncidentKey, StringComparison.Ordinal);
        Assert.Contains("/services/api/events", advisory.ConsoleUrl, StringComparison.Ordinal);
        Assert.InRange(account.Calls.Count, 0, ContextGatherer.MaxReadsPerEvent);
    }
}
