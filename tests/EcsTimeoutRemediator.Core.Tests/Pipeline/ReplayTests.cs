using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Remediation;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EcsTimeoutRemediator.Tests.Pipeline;

/// <summary>
/// Lambda retries a failed invocation with the same event: the retry replays the event's journal. Nothing done is
/// done again, nothing left undone is lost, and an event another invocation holds is retried, not acknowledged.
/// </summary>
public sealed class ReplayTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingPublisher _publisher = new();
    private readonly ListLogSink _log = new();
    private readonly CountingMetrics _metrics = new();
    private readonly InMemoryLedger _ledger;
    private readonly FaultyLedger _faulty;

    public ReplayTests()
    {
        _ledger = new InMemoryLedger();
        _faulty = new FaultyLedger(_ledger);
    }

    private EcsTimeoutRemediator.Pipeline Build(FakeAccount account, IChatChannel? chat = null, IAdvisoryPublisher? publisher = null) =>
        new(new ContextGatherer(account, account, account),
            new Remediator(account, _faulty, _faulty, _faulty, new PolicySettings { Mode = AutoFixMode.Enforce }, _clock, _log, _metrics),
            _faulty, _faulty, _faulty, publisher ?? _publisher, _log, _metrics, _clock, chat, new DeliveryOptions { ClaimLease = Lease });

    private ReadOnlyMemory<byte> Event(string name, string taskId)
    {
        var node = JsonNode.Parse(EventFiles.Read(name))!;
        var d = node["detail"]!;
        var now = _clock.GetUtcNow();
        var started = now - TimeSpan.FromSeconds(80);
        d["taskArn"] = $"arn:aws:ecs:us-east-1:111122223333:task/payments/{taskId}";
        d["createdAt"] = (started - TimeSpan.FromSeconds(30)).ToString("o");
        if (d["startedAt"] is not null)
        {
            d["startedAt"] = started.ToString("o");
        }

        d["stoppingAt"] = now.ToString("o");
        d["stoppedAt"] = now.ToString("o");
        node["id"] = Guid.NewGuid().ToString();
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static FakeAccount TaggedElbService()
    {
        var account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());
        account.Services["api"] = Scenarios.Service() with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };
        return account;
    }

    /// <summary>The first boot-time ELB failure (evidence), then the second, which the grace fix answers.</summary>
    private async Task<(EcsTimeoutRemediator.Pipeline Pipeline, ReadOnlyMemory<byte> Second)> SecondElbFailureAsync(FakeAccount account)
    {
        var pipeline = Build(account);
        await pipeline.HandleAsync(Event("health-elb", "first"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(3));
        return (pipeline, Event("health-elb", "second"));
    }

    private int AppliedAnnouncements => _publisher.Published.Count(a => a.Fixes.Any(f => f.Result == FixResult.Applied));

    [Fact]
    public async Task HandleAsync_WhenThePublishFailsOnce_ShouldPublishExactlyOnceOnTheRetryWithoutReadingAgain()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        var pipeline = Build(account);
        var failure = Event("image-pull-network", "t1");
        _publisher.FailNext = 1;

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.HandleAsync(failure, CancellationToken.None));
        var reads = account.Calls.Count;
        _clock.Advance(TimeSpan.FromMinutes(1));
        var retry = await pipeline.HandleAsync(failure, CancellationToken.None);
        var redelivery = await pipeline.HandleAsync(failure, CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, retry.Outcome);
        Assert.Single(_publisher.Published);
        Assert.Equal(reads, account.Calls.Count);
        Assert.Equal(DecisionRecord.Duplicate, redelivery.Outcome);
        Assert.Equal(retry.AdvisoryMessageId, redelivery.AdvisoryMessageId);
    }

    [Fact]
    public async Task HandleAsync_WhenTheFixWasAppliedAndThenThePublishFailed_ShouldAnnounceItOnceAndNeverApplyItAgain()
    {
        var account = TaggedElbService();
        var (pipeline, second) = await SecondElbFailureAsync(account);
        _publisher.FailNext = 1;

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.HandleAsync(second, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var retry = await pipeline.HandleAsync(second, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await pipeline.HandleAsync(second, CancellationToken.None);

        Assert.Equal(60, Assert.Single(account.Updates).HealthCheckGracePeriodSeconds);
        Assert.Equal(1, AppliedAnnouncements);
        Assert.Equal(FixResult.Applied, Assert.Single(retry.Fixes!).Result);
        Assert.StartsWith("[ECS] payments/api: fixed", _publisher.Published[^1].Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(IFixHistory.RecordFixAsync))]
    [InlineData(nameof(IAuditTrail.AppendAuditAsync))]
    [InlineData(nameof(IEventJournalStore.SaveJournalAsync) + "#2")]
    [InlineData(nameof(IEventJournalStore.CompleteEventAsync))]
    public async Task HandleAsync_WhenTheLedgerFailsAfterTheUpdate_ShouldFindTheFixDoneOnTheRetryAndAnnounceItOnce(string failingWrite)
    {
        var account = TaggedElbService();
        var (pipeline, second) = await SecondElbFailureAsync(account);
        _faulty.FailOnce(failingWrite);

        await Assert.ThrowsAsync<IOException>(() => pipeline.HandleAsync(second, CancellationToken.None));
        Assert.Single(account.Updates);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await pipeline.HandleAsync(second, CancellationToken.None);

        Assert.Single(account.Updates);
        Assert.Equal(1, AppliedAnnouncements);
        Assert.Equal("60", (await _ledger.Fixes.GetFixAsync("111122223333:us-east-1:payments/api", FixId.RaiseHealthCheckGrace, default))?.After);
    }

    [Fact]
    public async Task HandleAsync_WhenUpdateServiceFailsTransiently_ShouldApplyTheRecordedFixOnTheRetryWithinTheSameBudget()
    {
        var account = TaggedElbService();
        var (pipeline, second) = await SecondElbFailureAsync(account);
        account.Failing.Add("ecs:UpdateService");

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.HandleAsync(second, CancellationToken.None));
        account.Failing.Clear();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var retry = await pipeline.HandleAsync(second, CancellationToken.None);

        Assert.Equal(60, Assert.Single(account.Updates).HealthCheckGracePeriodSeconds);
        Assert.Equal(FixResult.Applied, Assert.Single(retry.Fixes!).Result);
        Assert.Equal(1, AppliedAnnouncements);
    }

    [Fact]
    public async Task HandleAsync_WhenSomeoneChangedTheServiceBeforeTheRetry_ShouldNotOverwriteIt()
    {
        var account = TaggedElbService();
        var (pipeline, second) = await SecondElbFailureAsync(account);
        account.Failing.Add("ecs:UpdateService");
        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.HandleAsync(second, CancellationToken.None));
        account.Failing.Clear();
        account.Services["api"] = account.Services["api"] with { HealthCheckGracePeriodSeconds = 240 };

        var retry = await pipeline.HandleAsync(second, CancellationToken.None);

        Assert.Empty(account.Updates);
        var outcome = Assert.Single(retry.Fixes!);
        Assert.Equal(FixResult.Skipped, outcome.Result);
        Assert.Contains("changed from 0 s to 240 s", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenAnotherInvocationHoldsTheEvent_ShouldFailAsInProgressAndTakeItOverOnceItsLeaseEnds()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        var pipeline = Build(account);
        var failure = Event("image-pull-network", "held");
        var key = "arn:aws:ecs:us-east-1:111122223333:task/payments/held#" + JsonNode.Parse(failure.Span)!["detail"]!["version"];
        await _ledger.Events.ClaimEventAsync(key, "another-invocation", _clock.GetUtcNow(), Lease, default);

        var error = await Assert.ThrowsAsync<EventInProgressException>(() => pipeline.HandleAsync(failure, CancellationToken.None));
        Assert.Contains("Lambda retries it later", error.Message, StringComparison.Ordinal);
        Assert.Empty(_publisher.Published);
        Assert.Empty(account.Calls);

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var taken = await pipeline.HandleAsync(failure, CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, taken.Outcome);
        Assert.Single(_publisher.Published);
    }

    [Fact]
    public async Task HandleAsync_WhenStoppedAtTheDeadline_ShouldGiveTheClaimBackSoTheRetryRunsAtOnce()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        var failure = Event("image-pull-network", "slow");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Build(account, publisher: new HangingPublisher()).HandleAsync(failure, deadline.Token));
        var retry = await Build(account).HandleAsync(failure, CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, retry.Outcome);
        Assert.Single(_publisher.Published);
        Assert.Contains(_log.Entries, l => l.Level == LogLevel.Error && l.Message.StartsWith("event failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_WhenTheChatPostFailsUnexpectedly_ShouldRetryOnlyTheChatPostAndNeverRepublishToSns()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        var chat = new ScriptedChat { ThrowNext = 1 };
        var pipeline = Build(account, chat);
        var failure = Event("image-pull-network", "chat");

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.HandleAsync(failure, CancellationToken.None));
        var retry = await pipeline.HandleAsync(failure, CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, retry.Outcome);
        Assert.Single(_publisher.Published);
        Assert.Equal(1, chat.Posted);
    }

    [Fact]
    public async Task HandleAsync_WhenChatAnswersAnError_ShouldCompleteTheEventWithTheSnsAdvisoryAndNotRetry()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        var chat = new ScriptedChat { Answer = "HTTP 500: Slack answered HTTP 500." };
        var pipeline = Build(account, chat);
        var failure = Event("image-pull-network", "chat-500");

        var first = await pipeline.HandleAsync(failure, CancellationToken.None);
        var redelivery = await pipeline.HandleAsync(failure, CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, first.Outcome);
        Assert.Equal(DecisionRecord.Duplicate, redelivery.Outcome);
        Assert.Equal(1, _metrics.Counts["TestChatFailures"]);
        Assert.Single(_publisher.Published);
    }

    [Fact]
    public async Task HandleAsync_WhenSixtyFailuresOfOneServiceArriveEightAtATime_ShouldReadForOneDiagnosisOnly()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        var pipeline = Build(account);
        using var concurrency = new SemaphoreSlim(8);
        var failures = Enumerable.Range(0, 60).Select(i => Event("image-pull-network", $"storm{i:D2}")).ToList();

        var records = await Task.WhenAll(failures.Select(async f =>
        {
            await concurrency.WaitAsync();
            try
            {
                return await Task.Run(() => pipeline.HandleAsync(f, CancellationToken.None));
            }
            finally
            {
                concurrency.Release();
            }
        }));

        var advised = Assert.Single(records, r => r.Outcome == DecisionRecord.Advised);
        Assert.Single(_publisher.Published);
        Assert.Equal(59, records.Count(r => r.Outcome == DecisionRecord.Suppressed));
        Assert.True(advised.ReadCalls > 3, "the first failure is diagnosed");
        Assert.Equal(advised.ReadCalls, account.Calls.Count);
        Assert.All(records.Where(r => r.Outcome == DecisionRecord.Suppressed), r => Assert.Equal(0, r.ReadCalls));
    }

    private sealed class HangingPublisher : IAdvisoryPublisher
    {
        public async Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        }
    }

    private sealed class ScriptedChat : IChatChannel
    {
        public string Name => "TestChat";
        public int ThrowNext { get; set; }
        public string? Answer { get; init; }
        public int Posted { get; private set; }

        public Task<string?> PostAsync(Advisory advisory, CancellationToken cancellationToken)
        {
            if (ThrowNext > 0)
            {
                ThrowNext--;
                throw new InvalidOperationException("the chat client failed");
            }

            Posted++;
            return Task.FromResult(Answer);
        }
    }
}
