using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>
/// What every <see cref="IRemediationLedger"/> must do, run against the in-memory ledger of the unit tests and
/// the DynamoDB ledger on moto, so the two cannot drift apart: claims and their journal, the incident gate, failure
/// evidence, fix budgets and history, each also under concurrency.
/// </summary>
public abstract class LedgerContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);
    private readonly PolicySettings _limits = new() { Mode = AutoFixMode.Enforce };

    protected IRemediationLedger Ledger { get; private set; } = null!;

    protected abstract Task<IRemediationLedger> CreateAsync();

    public async Task InitializeAsync() => Ledger = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static EventJournal Journal(string? messageId = null) => new()
    {
        Category = "health/elb",
        MessageId = messageId,
        Intents =
        [
            new FixIntent(new FixPlan("raise-health-check-grace", new ServiceUpdate("arn:aws:ecs:us-east-1:111122223333:cluster/payments", "api") { HealthCheckGracePeriodSeconds = 60 },
                "healthCheckGracePeriodSeconds", "0", "60", ["aws", "ecs", "update-service", "--cluster", "payments", "--service", "api", "--health-check-grace-period-seconds", "0"]), "task-1#5:raise-health-check-grace"),
            new FixIntent(new FixPlan("enable-assign-public-ip", new ServiceUpdate("c", "api") { Network = new AwsVpcFacts(["subnet-1", "subnet-2"], ["sg-1"], true) },
                "assignPublicIp", "DISABLED", "ENABLED", ["aws", "ecs", "update-service"]), "task-1#5:enable-assign-public-ip"),
        ],
        Fixes = [new FixOutcome("raise-health-check-grace", FixResult.Applied, "changed") { Before = "0", After = "60", Notable = true }],
    };

    private static string Json(EventJournal journal) =>
        System.Text.Json.JsonSerializer.Serialize(journal, EcsTimeoutRemediator.Serialization.RemediatorJsonContext.Default.EventJournal);

    [Fact]
    public async Task ClaimEventAsync_WhenTheSameEventArrivesAgain_ShouldSayInProgressThenCompletedWithItsJournal()
    {
        Assert.Equal(new EventClaim(ClaimStatus.Claimed), await Ledger.ClaimEventAsync("task-1#5", "a", Now, Lease, default));

        var second = await Ledger.ClaimEventAsync("task-1#5", "b", Now.AddSeconds(5), Lease, default);
        Assert.Equal(ClaimStatus.InProgress, second.Status);
        Assert.Equal(Now + Lease, second.LeaseUntil);

        await Ledger.CompleteEventAsync("task-1#5", "a", Journal("msg-1"), Now.AddSeconds(10), default);

        var redelivered = await Ledger.ClaimEventAsync("task-1#5", "c", Now.AddHours(5), Lease, default);
        Assert.Equal(ClaimStatus.Completed, redelivered.Status);
        Assert.Equal("msg-1", redelivered.Journal?.MessageId);
        Assert.Equal(ClaimStatus.Claimed, (await Ledger.ClaimEventAsync("task-1#6", "c", Now.AddMinutes(30), Lease, default)).Status);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenReleasedAfterAFailure_ShouldBeTakenOverAtOnceWithTheJournalIntact()
    {
        await Ledger.ClaimEventAsync("task-2#1", "a", Now, Lease, default);
        var saved = Journal();
        await Ledger.SaveJournalAsync("task-2#1", "a", saved, default);
        await Ledger.ReleaseEventAsync("task-2#1", "a", default);

        var retry = await Ledger.ClaimEventAsync("task-2#1", "b", Now.AddSeconds(1), Lease, default);

        Assert.Equal(ClaimStatus.Claimed, retry.Status);
        var journal = Assert.IsType<EventJournal>(retry.Journal);
        Assert.Equal(Json(saved), Json(journal));
        Assert.Equal(["subnet-1", "subnet-2"], journal.Intents[1].Plan.Update.Network!.Subnets);
        Assert.Equal(60, journal.Intents[0].Plan.Update.HealthCheckGracePeriodSeconds);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenTheOwnerDiedAndItsLeaseRanOut_ShouldBeTakenOverAndTheOldOwnerLockedOut()
    {
        await Ledger.ClaimEventAsync("task-3#1", "dead", Now, Lease, default);
        await Ledger.SaveJournalAsync("task-3#1", "dead", Journal(), default);

        Assert.Equal(ClaimStatus.InProgress, (await Ledger.ClaimEventAsync("task-3#1", "early", Now + Lease - TimeSpan.FromSeconds(1), Lease, default)).Status);
        var taken = await Ledger.ClaimEventAsync("task-3#1", "retry", Now + Lease + TimeSpan.FromSeconds(1), Lease, default);

        Assert.Equal(ClaimStatus.Claimed, taken.Status);
        Assert.NotNull(taken.Journal);
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.SaveJournalAsync("task-3#1", "dead", Journal("late"), default));
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.CompleteEventAsync("task-3#1", "dead", Journal("late"), Now, default));
        await Ledger.ReleaseEventAsync("task-3#1", "dead", default);
        Assert.Equal(ClaimStatus.InProgress, (await Ledger.ClaimEventAsync("task-3#1", "third", Now + Lease + TimeSpan.FromSeconds(2), Lease, default)).Status);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenTheRecordOutlivedItsRetention_ShouldStartAFreshJournal()
    {
        await Ledger.ClaimEventAsync("task-4#1", "a", Now, Lease, default);
        await Ledger.CompleteEventAsync("task-4#1", "a", Journal("msg"), Now, default);

        var much = await Ledger.ClaimEventAsync("task-4#1", "b", Now + DynamoDbLedger.CompletedRetention + TimeSpan.FromMinutes(1), Lease, default);

        Assert.Equal(new EventClaim(ClaimStatus.Claimed), much);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenTenInvocationsRaceForOneEvent_ShouldGrantExactlyOne()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => Ledger.ClaimEventAsync("task-5#1", $"o{i}", Now, Lease, default))));

        Assert.Single(claims, c => c.Status == ClaimStatus.Claimed);
        Assert.All(claims.Where(c => c.Status != ClaimStatus.Claimed), c => Assert.Equal(ClaimStatus.InProgress, c.Status));
    }

    [Fact]
    public async Task RecordIncidentAsync_WhenFailuresArriveInAndAfterTheWindow_ShouldOpenSuppressAndFollowUp()
    {
        Assert.Equal(IncidentAction.Open, (await Gate("e1", Now)).Action);
        var second = await Gate("e2", Now.AddMinutes(5));
        Assert.Equal((IncidentAction.Suppress, 2, 1), (second.Action, second.Total, second.SuppressedSince));

        var follow = await Gate("e3", Now.AddMinutes(31));

        Assert.Equal(IncidentAction.FollowUp, follow.Action);
        Assert.Equal(3, follow.Total);
        Assert.Equal(1, follow.SuppressedSince);
        Assert.Equal(Now, follow.Since);
    }

    [Fact]
    public async Task RecordIncidentAsync_WhenAskedAgainForTheSameEvent_ShouldAnswerTheSameWithoutCountingTwice()
    {
        await Gate("e1", Now);
        await Gate("e2", Now.AddMinutes(1));

        Assert.Equal(IncidentAction.Open, (await Gate("e1", Now)).Action);
        var again = await Gate("e2", Now.AddMinutes(1));

        Assert.Equal((IncidentAction.Suppress, 2), (again.Action, again.Total));
    }

    [Fact]
    public async Task RecordIncidentAsync_WhenACountedFailureMustPublish_ShouldStartAFollowUpOnceWithoutCountingItAgain()
    {
        await Gate("e1", Now);
        await Gate("e2", Now.AddMinutes(1));
        await Gate("e3", Now.AddMinutes(2));

        var announced = await Gate("e3", Now.AddMinutes(2), mustPublish: true);
        var replayed = await Gate("e3", Now.AddMinutes(2), mustPublish: true);
        var next = await Gate("e4", Now.AddMinutes(3));

        Assert.Equal((IncidentAction.FollowUp, 3, 1), (announced.Action, announced.Total, announced.SuppressedSince));
        Assert.Equal(IncidentAction.FollowUp, replayed.Action);
        Assert.Equal((IncidentAction.Suppress, 4, 1), (next.Action, next.Total, next.SuppressedSince));
    }

    [Fact]
    public async Task RecordIncidentAsync_WhenALateFailureArrives_ShouldNotMoveTheLastFailureBackwards()
    {
        await Gate("e1", Now);
        await Gate("e2", Now.AddMinutes(25));
        Assert.Equal(IncidentAction.Suppress, (await Gate("late", Now.AddMinutes(2))).Action);

        // 20 minutes after e2, still inside its 30-minute window: a late event must not have aged the incident.
        var next = await Gate("e3", Now.AddMinutes(45));

        Assert.NotEqual(IncidentAction.Open, next.Action);
        Assert.Equal(4, next.Total);
    }

    [Fact]
    public async Task MarkIncidentFixableAsync_WhenTheOpenerMarksIt_ShouldBeSeenBySuppressedFailuresUntilTheNextWindow()
    {
        await Gate("e1", Now);
        Assert.Null((await Gate("e2", Now.AddMinutes(1))).Fixable);

        await Ledger.MarkIncidentFixableAsync("inc", "e2", true, default);
        await Ledger.MarkIncidentFixableAsync("inc", "e1", false, default);

        Assert.False((await Gate("e3", Now.AddMinutes(2))).Fixable);
        await Gate("e4", Now.AddMinutes(40));
        Assert.Null((await Gate("e5", Now.AddMinutes(41))).Fixable);
    }

    [Fact]
    public async Task RecordIncidentAsync_WhenTwentyFailuresRace_ShouldOpenOnceAndCountEveryOne()
    {
        var updates = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Gate($"e{i}", Now.AddSeconds(i)))));

        Assert.Single(updates, u => u.Action == IncidentAction.Open);
        Assert.Equal(20, (await Gate("last", Now.AddSeconds(30))).Total - 1);
    }

    private Task<IncidentUpdate> Gate(string eventKey, DateTimeOffset at, bool mustPublish = false) =>
        Ledger.RecordIncidentAsync("inc", eventKey, "task-" + eventKey, at, Window, mustPublish, default);

    [Fact]
    public async Task RecordFailureAsync_WhenCounting_ShouldCountEachEventOnceWithinTheWindowBoundsIncluded()
    {
        Assert.Equal(1, await Ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t1", Now, Window, default));
        Assert.Equal(1, await Ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t1", Now, Window, default));
        Assert.Equal(2, await Ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t2", Now.AddMinutes(10), Window, default));
        Assert.Equal(1, await Ledger.RecordFailureAsync("acct:r:c/api", "image-pull/network", "t3", Now.AddMinutes(10), Window, default));
        Assert.Equal(2, await Ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t4", Now.AddMinutes(40), Window, default));
        Assert.Equal(2, await Ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t5", Now.AddMinutes(70), Window, default));
    }

    [Fact]
    public async Task TryReserveFixAsync_WhenTwentyInvocationsRaceForOneService_ShouldGrantExactlyOne()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Ledger.TryReserveFixAsync("acct:r:c/api", $"event-{i}", Now, _limits, default))));

        Assert.Single(results, r => r is null);
        Assert.All(results.Where(r => r is not null), r => Assert.Contains("minute(s) ago", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryReserveFixAsync_WhenBudgetsRunOut_ShouldDenyWithTheReason()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await Ledger.TryReserveFixAsync("acct:r:c/api", $"fix-{i}", Now.AddMinutes(20 * i), _limits, default));
        }

        var fourth = await Ledger.TryReserveFixAsync("acct:r:c/api", "fix-3", Now.AddMinutes(61), _limits, default);
        Assert.Contains("3 automatic fix(es) in the last 24 hours", fourth, StringComparison.Ordinal);

        for (var i = 0; i < 7; i++)
        {
            Assert.Null(await Ledger.TryReserveFixAsync($"acct:r:c/svc-{i}", $"other-{i}", Now.AddMinutes(50), _limits, default));
        }

        var eleventh = await Ledger.TryReserveFixAsync("acct:r:c/svc-x", "other-x", Now.AddMinutes(55), _limits, default);
        Assert.Contains("10 automatic fix(es) in the last hour", eleventh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryReserveFixAsync_WhenOneAccountSpentItsHour_ShouldLeaveTheOtherAccountsAndRegionsTheirOwn()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await Ledger.TryReserveFixAsync($"111122223333:us-east-1:c/svc-{i}", $"a-{i}", Now, _limits, default));
        }

        var spent = await Ledger.TryReserveFixAsync("111122223333:us-east-1:c/svc-x", "a-x", Now, _limits, default);
        var otherAccount = await Ledger.TryReserveFixAsync("444455556666:us-east-1:c/svc-x", "b-x", Now, _limits, default);
        var otherRegion = await Ledger.TryReserveFixAsync("111122223333:eu-west-1:c/svc-x", "c-x", Now, _limits, default);

        Assert.Contains("10 automatic fix(es) in the last hour", spent, StringComparison.Ordinal);
        Assert.Null(otherAccount);
        Assert.Null(otherRegion);
        await Ledger.ReleaseFixAsync("111122223333:us-east-1:c/svc-0", "a-0", default);
        Assert.Null(await Ledger.TryReserveFixAsync("111122223333:us-east-1:c/svc-x", "a-x", Now, _limits, default));
    }

    [Fact]
    public async Task ReleaseFixAsync_WhenAnUpdateDidNotHappen_ShouldGiveTheBudgetBack()
    {
        Assert.Null(await Ledger.TryReserveFixAsync("acct:r:c/api", "a", Now, _limits, default));
        Assert.NotNull(await Ledger.TryReserveFixAsync("acct:r:c/api", "b", Now, _limits, default));

        await Ledger.ReleaseFixAsync("acct:r:c/api", "a", default);

        Assert.Null(await Ledger.TryReserveFixAsync("acct:r:c/api", "b", Now, _limits, default));
    }

    [Fact]
    public async Task FixHistory_WhenRecordedMarkedAndCleared_ShouldRoundTrip()
    {
        var record = new FixRecord("raise-health-check-grace", "health/elb", Now, "0", "60");
        await Ledger.RecordFixAsync("acct:r:c/api", record, default);
        await Ledger.RecordFixAsync("acct:r:c/api", record with { Ineffective = true }, default);

        var read = await Ledger.GetFixAsync("acct:r:c/api", "raise-health-check-grace", default);

        Assert.Equal(record with { Ineffective = true }, read);
        Assert.True(await Ledger.ClearFixAsync("acct:r:c/api", "raise-health-check-grace", default));
        Assert.Null(await Ledger.GetFixAsync("acct:r:c/api", "raise-health-check-grace", default));
        Assert.False(await Ledger.ClearFixAsync("acct:r:c/api", "raise-health-check-grace", default));
    }
}

public sealed class InMemoryLedgerContractTests : LedgerContract
{
    protected override Task<IRemediationLedger> CreateAsync() => Task.FromResult<IRemediationLedger>(new InMemoryLedger(TimeProvider.System));
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbLedgerContractTests(MotoServer moto) : LedgerContract
{
    protected override async Task<IRemediationLedger> CreateAsync()
    {
        await moto.ResetAsync();
        var table = await LedgerTable.CreateAsync(moto);
        return new DynamoDbLedger(LedgerTable.Client(moto), table, TimeProvider.System);
    }
}
