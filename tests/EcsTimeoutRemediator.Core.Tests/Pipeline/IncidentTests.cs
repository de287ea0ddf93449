using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Remediation;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EcsTimeoutRemediator.Tests.Pipeline;

/// <summary>Incident grouping: few advisories for a crash-looping service, none lost.</summary>
public class IncidentTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly RecordingPublisher _publisher = new();
    private readonly ListLogSink _log = new();
    private readonly CountingMetrics _metrics = new();
    private readonly InMemoryLedger _ledger;
    private readonly FakeAccount _account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());

    public IncidentTests() => _ledger = new InMemoryLedger();

    private EcsTimeoutRemediator.Pipeline Pipeline() =>
        new(new ContextGatherer(_account, _account, _account),
            new Remediator(_account, _ledger.Fixes, _ledger.Budget, _ledger.Audit, new PolicySettings(), _clock, _log, _metrics),
            _ledger.Events, _ledger.Incidents, _ledger.Evidence, _publisher, _log, _metrics, _clock);

    private ReadOnlyMemory<byte> Failure(string name, string taskId)
    {
        var node = JsonNode.Parse(EventFiles.Read(name))!;
        node["detail"]!["taskArn"] = $"arn:aws:ecs:us-east-1:111122223333:task/payments/{taskId}";
        node["detail"]!["stoppedAt"] = _clock.GetUtcNow().ToString("o");
        node["id"] = Guid.NewGuid().ToString();
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    [Fact]
    public async Task HandleAsync_WhenFiveHundredFailuresOfOneServiceArriveAtOnce_ShouldPublishOneAdvisoryAndCountAll()
    {
        var pipeline = Pipeline();
        var failures = Enumerable.Range(0, 500).Select(i => Failure("exit-essential", $"task{i:D4}")).ToList();

        var records = await Task.WhenAll(failures.Select(f => Task.Run(() => pipeline.HandleAsync(f, CancellationToken.None))));

        Assert.Single(_publisher.Published);
        Assert.Equal(499, records.Count(r => r.Outcome == DecisionRecord.Suppressed));
        Assert.Equal(500, records.Max(r => r.IncidentTotal));
        Assert.Equal(499, _metrics.Counts["AdvisoriesSuppressed"]);
    }

    [Fact]
    public async Task HandleAsync_WhenTheWindowHasPassed_ShouldPublishOneFollowUpWithTheCountAndTasks()
    {
        var pipeline = Pipeline();
        await pipeline.HandleAsync(Failure("exit-essential", "first"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await pipeline.HandleAsync(Failure("exit-essential", "t-a"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(10));
        await pipeline.HandleAsync(Failure("exit-essential", "t-b"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(20));

        var followUp = await pipeline.HandleAsync(Failure("exit-essential", "t-c"), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, followUp.Outcome);
        Assert.Equal(2, _publisher.Published.Count);
        var note = _publisher.Published[1].IncidentNote;
        Assert.Equal("2 more failure(s) since 09:00 UTC over 35 minute(s); first task t-a, last task t-b; 4 in this incident so far.", note);
        Assert.Contains("Still failing: 2 more failure(s) since 09:00 UTC", _publisher.Published[1].Body, StringComparison.Ordinal);
        Assert.Equal(_publisher.Published[0].IncidentKey, _publisher.Published[1].IncidentKey);
    }

    [Fact]
    public async Task HandleAsync_WhenAnotherCategoryFailsOnTheSameService_ShouldOpenAnotherIncident()
    {
        var pipeline = Pipeline();

        await pipeline.HandleAsync(Failure("exit-essential", "a"), CancellationToken.None);
        await pipeline.HandleAsync(Failure("health-elb", "b"), CancellationToken.None);

        Assert.Equal(2, _publisher.Published.Count);
        Assert.NotEqual(_publisher.Published[0].IncidentKey, _publisher.Published[1].IncidentKey);
    }

    [Fact]
    public async Task HandleAsync_WhenTheServiceRecoveredForAWholeWindow_ShouldOpenANewIncidentWithoutAFollowUpNote()
    {
        var pipeline = Pipeline();
        await pipeline.HandleAsync(Failure("exit-essential", "a"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(90));

        await pipeline.HandleAsync(Failure("exit-essential", "b"), CancellationToken.None);

        Assert.Equal(2, _publisher.Published.Count);
        Assert.Null(_publisher.Published[1].IncidentNote);
    }

    [Fact]
    public async Task HandleAsync_WhenAFixIsAppliedInsideTheWindow_ShouldStillPublish()
    {
        _account.Services["api"] = _account.Services["api"] with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };
        var pipeline = new EcsTimeoutRemediator.Pipeline(new ContextGatherer(_account, _account, _account),
            new Remediator(_account, _ledger.Fixes, _ledger.Budget, _ledger.Audit, new PolicySettings { Mode = AutoFixMode.Enforce }, _clock, _log, _metrics),
            _ledger.Events, _ledger.Incidents, _ledger.Evidence, _publisher, _log, _metrics, _clock);
        await pipeline.HandleAsync(Failure("health-elb", "a"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));

        var second = await pipeline.HandleAsync(Failure("health-elb", "b"), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, second.Outcome);
        Assert.Equal(2, _publisher.Published.Count);
        Assert.Contains(_publisher.Published[1].Fixes, f => f.Result == FixResult.Applied);
    }
}
