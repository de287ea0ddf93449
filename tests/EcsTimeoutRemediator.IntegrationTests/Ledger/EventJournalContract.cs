using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>What every <see cref="IEventJournalStore"/> must do: claims and their journal, a released or expired claim taken over, the old owner locked out, ten racers.</summary>
public abstract class EventJournalContract : LedgerContract<IEventJournalStore>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private IEventJournalStore Events => Port;

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
        Assert.Equal(new EventClaim(ClaimStatus.Claimed), await Events.ClaimEventAsync("task-1#5", "a", Now, Lease, default));

        var second = await Events.ClaimEventAsync("task-1#5", "b", Now.AddSeconds(5), Lease, default);
        Assert.Equal(ClaimStatus.InProgress, second.Status);
        Assert.Equal(Now + Lease, second.LeaseUntil);

        await Events.CompleteEventAsync("task-1#5", "a", Journal("msg-1"), Now.AddSeconds(10), default);

        var redelivered = await Events.ClaimEventAsync("task-1#5", "c", Now.AddHours(5), Lease, default);
        Assert.Equal(ClaimStatus.Completed, redelivered.Status);
        Assert.Equal("msg-1", redelivered.Journal?.MessageId);
        Assert.Equal(ClaimStatus.Claimed, (await Events.ClaimEventAsync("task-1#6", "c", Now.AddMinutes(30), Lease, default)).Status);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenReleasedAfterAFailure_ShouldBeTakenOverAtOnceWithTheJournalIntact()
    {
        await Events.ClaimEventAsync("task-2#1", "a", Now, Lease, default);
        var saved = Journal();
        await Events.SaveJournalAsync("task-2#1", "a", saved, default);
        await Events.ReleaseEventAsync("task-2#1", "a", default);

        var retry = await Events.ClaimEventAsync("task-2#1", "b", Now.AddSeconds(1), Lease, default);

        Assert.Equal(ClaimStatus.Claimed, retry.Status);
        var journal = Assert.IsType<EventJournal>(retry.Journal);
        Assert.Equal(Json(saved), Json(journal));
        Assert.Equal(["subnet-1", "subnet-2"], journal.Intents[1].Plan.Update.Network!.Subnets);
        Assert.Equal(60, journal.Intents[0].Plan.Update.HealthCheckGracePeriodSeconds);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenTheOwnerDiedAndItsLeaseRanOut_ShouldBeTakenOverAndTheOldOwnerLockedOut()
    {
        await Events.ClaimEventAsync("task-3#1", "dead", Now, Lease, default);
        await Events.SaveJournalAsync("task-3#1", "dead", Journal(), default);

        Assert.Equal(ClaimStatus.InProgress, (await Events.ClaimEventAsync("task-3#1", "early", Now + Lease - TimeSpan.FromSeconds(1), Lease, default)).Status);
        var taken = await Events.ClaimEventAsync("task-3#1", "retry", Now + Lease + TimeSpan.FromSeconds(1), Lease, default);

        Assert.Equal(ClaimStatus.Claimed, taken.Status);
        Assert.NotNull(taken.Journal);
        await Assert.ThrowsAsync<ClaimLostException>(() => Events.SaveJournalAsync("task-3#1", "dead", Journal("late"), default));
        await Assert.ThrowsAsync<ClaimLostException>(() => Events.CompleteEventAsync("task-3#1", "dead", Journal("late"), Now, default));
        await Events.ReleaseEventAsync("task-3#1", "dead", default);
        Assert.Equal(ClaimStatus.InProgress, (await Events.ClaimEventAsync("task-3#1", "third", Now + Lease + TimeSpan.FromSeconds(2), Lease, default)).Status);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenTheRecordOutlivedItsRetention_ShouldStartAFreshJournal()
    {
        await Events.ClaimEventAsync("task-4#1", "a", Now, Lease, default);
        await Events.CompleteEventAsync("task-4#1", "a", Journal("msg"), Now, default);

        var much = await Events.ClaimEventAsync("task-4#1", "b", Now + DynamoDbEventJournal.CompletedRetention + TimeSpan.FromMinutes(1), Lease, default);

        Assert.Equal(new EventClaim(ClaimStatus.Claimed), much);
    }

    [Fact]
    public async Task ClaimEventAsync_WhenTenInvocationsRaceForOneEvent_ShouldGrantExactlyOne()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => Events.ClaimEventAsync("task-5#1", $"o{i}", Now, Lease, default))));

        Assert.Single(claims, c => c.Status == ClaimStatus.Claimed);
        Assert.All(claims.Where(c => c.Status != ClaimStatus.Claimed), c => Assert.Equal(ClaimStatus.InProgress, c.Status));
    }
}

public sealed class InMemoryEventJournalContractTests : EventJournalContract
{
    protected override Task<IEventJournalStore> CreateAsync() => Task.FromResult<IEventJournalStore>(new InMemoryEventJournal());
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbEventJournalContractTests(MotoServer moto) : EventJournalContract
{
    protected override async Task<IEventJournalStore> CreateAsync() => new DynamoDbEventJournal(await FreshTableAsync(moto));
}
