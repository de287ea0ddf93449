using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>What every <see cref="IIncidentGate"/> must do: open, suppress and follow up, each event counted once, the opener answered the same, twenty racers.</summary>
public abstract class IncidentGateContract : LedgerContract<IIncidentGate>
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    private IIncidentGate Incidents => Port;

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

        await Incidents.MarkIncidentFixableAsync("inc", "e2", true, default);
        await Incidents.MarkIncidentFixableAsync("inc", "e1", false, default);

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
        Incidents.RecordIncidentAsync("inc", eventKey, "task-" + eventKey, at, Window, mustPublish, default);

}

public sealed class InMemoryIncidentGateContractTests : IncidentGateContract
{
    protected override Task<IIncidentGate> CreateAsync() => Task.FromResult<IIncidentGate>(new InMemoryIncidentGate());
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbIncidentGateContractTests(MotoServer moto) : IncidentGateContract
{
    protected override async Task<IIncidentGate> CreateAsync() => new DynamoDbIncidentGate(await FreshTableAsync(moto), TimeProvider.System);
}
