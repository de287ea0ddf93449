using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

[Collection(MotoCollection.Name)]
public sealed class DynamoDbLedgerTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly PolicySettings _limits = new() { Mode = AutoFixMode.Enforce };
    private DynamoDbLedger _ledger = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        var table = await LedgerTable.CreateAsync(moto);
        _ledger = new DynamoDbLedger(LedgerTable.Client(moto), table, TimeProvider.System);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ClaimEventAsync_WhenTheSameEventArrivesAgain_ShouldSayInProgressThenCompleted()
    {
        Assert.Equal(ClaimStatus.Claimed, await _ledger.ClaimEventAsync("task-1#5", Now, default));
        Assert.Equal(ClaimStatus.InProgress, await _ledger.ClaimEventAsync("task-1#5", Now.AddSeconds(5), default));

        await _ledger.CompleteEventAsync("task-1#5", Now.AddSeconds(10), default);

        Assert.Equal(ClaimStatus.Completed, await _ledger.ClaimEventAsync("task-1#5", Now.AddMinutes(30), default));
        Assert.Equal(ClaimStatus.Claimed, await _ledger.ClaimEventAsync("task-1#6", Now.AddMinutes(30), default));
    }

    [Fact]
    public async Task ClaimEventAsync_WhenAClaimWasReleasedOrExpired_ShouldBeClaimedAgain()
    {
        await _ledger.ClaimEventAsync("task-2#1", Now, default);
        await _ledger.ReleaseEventAsync("task-2#1", default);
        Assert.Equal(ClaimStatus.Claimed, await _ledger.ClaimEventAsync("task-2#1", Now, default));

        // An invocation that died mid-way leaves an in-flight claim; it expires after the function's timeout.
        Assert.Equal(ClaimStatus.Claimed, await _ledger.ClaimEventAsync("task-2#1", Now + DynamoDbLedger.InFlight + TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task RecordFailureAsync_WhenCounting_ShouldCountEachEventOnceWithinTheWindow()
    {
        var window = TimeSpan.FromMinutes(30);

        Assert.Equal(1, await _ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t1", Now, window, default));
        Assert.Equal(1, await _ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t1", Now, window, default));
        Assert.Equal(2, await _ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t2", Now.AddMinutes(10), window, default));
        Assert.Equal(1, await _ledger.RecordFailureAsync("acct:r:c/api", "image-pull/network", "t3", Now.AddMinutes(10), window, default));
        Assert.Equal(1, await _ledger.RecordFailureAsync("acct:r:c/api", "health/elb", "t4", Now.AddMinutes(45), window, default));
    }

    [Fact]
    public async Task TryReserveFixAsync_WhenTwentyInvocationsRaceForOneService_ShouldGrantExactlyOne()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => _ledger.TryReserveFixAsync("acct:r:c/api", $"event-{i}", Now, _limits, default))));

        Assert.Single(results, r => r is null);
        Assert.All(results.Where(r => r is not null), r => Assert.Contains("minute(s) ago", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryReserveFixAsync_WhenBudgetsRunOut_ShouldDenyWithTheReason()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await _ledger.TryReserveFixAsync("acct:r:c/api", $"fix-{i}", Now.AddMinutes(20 * i), _limits, default));
        }

        var fourth = await _ledger.TryReserveFixAsync("acct:r:c/api", "fix-3", Now.AddMinutes(61), _limits, default);
        Assert.Contains("3 automatic fix(es) in the last 24 hours", fourth, StringComparison.Ordinal);

        for (var i = 0; i < 7; i++)
        {
            Assert.Null(await _ledger.TryReserveFixAsync($"acct:r:c/svc-{i}", $"other-{i}", Now.AddMinutes(50), _limits, default));
        }

        var eleventh = await _ledger.TryReserveFixAsync("acct:r:c/svc-x", "other-x", Now.AddMinutes(55), _limits, default);
        Assert.Contains("10 automatic fix(es) in the last hour", eleventh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseFixAsync_WhenAnUpdateDidNotHappen_ShouldGiveTheBudgetBack()
    {
        Assert.Null(await _ledger.TryReserveFixAsync("acct:r:c/api", "a", Now, _limits, default));
        Assert.NotNull(await _ledger.TryReserveFixAsync("acct:r:c/api", "b", Now, _limits, default));

        await _ledger.ReleaseFixAsync("acct:r:c/api", "a", default);

        Assert.Null(await _ledger.TryReserveFixAsync("acct:r:c/api", "b", Now, _limits, default));
    }

    [Fact]
    public async Task FixHistory_WhenRecordedMarkedAndCleared_ShouldRoundTrip()
    {
        var record = new FixRecord("raise-health-check-grace", "health/elb", Now, "0", "60");
        await _ledger.RecordFixAsync("acct:r:c/api", record, default);
        await _ledger.RecordFixAsync("acct:r:c/api", record with { Ineffective = true }, default);

        var read = await _ledger.GetFixAsync("acct:r:c/api", "raise-health-check-grace", default);

        Assert.Equal(record with { Ineffective = true }, read);
        Assert.True(await _ledger.ClearFixAsync("acct:r:c/api", "raise-health-check-grace", default));
        Assert.Null(await _ledger.GetFixAsync("acct:r:c/api", "raise-health-check-grace", default));
        Assert.False(await _ledger.ClearFixAsync("acct:r:c/api", "raise-health-check-grace", default));
    }
}
