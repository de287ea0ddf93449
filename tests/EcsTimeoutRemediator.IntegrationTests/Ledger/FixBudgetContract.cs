using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>What every <see cref="IFixBudget"/> must do: the service and account budgets, per account and Region, given back on release, twenty racers.</summary>
public abstract class FixBudgetContract : LedgerContract<IFixBudget>
{
    private readonly PolicySettings _limits = new() { Mode = AutoFixMode.Enforce };

    private IFixBudget Budget => Port;

    [Fact]
    public async Task TryReserveFixAsync_WhenTwentyInvocationsRaceForOneService_ShouldGrantExactlyOne()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Budget.TryReserveFixAsync("acct:r:c/api", $"event-{i}", Now, _limits, default))));

        Assert.Single(results, r => r is null);
        Assert.All(results.Where(r => r is not null), r => Assert.Contains("minute(s) ago", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryReserveFixAsync_WhenBudgetsRunOut_ShouldDenyWithTheReason()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await Budget.TryReserveFixAsync("acct:r:c/api", $"fix-{i}", Now.AddMinutes(20 * i), _limits, default));
        }

        var fourth = await Budget.TryReserveFixAsync("acct:r:c/api", "fix-3", Now.AddMinutes(61), _limits, default);
        Assert.Contains("3 automatic fix(es) in the last 24 hours", fourth, StringComparison.Ordinal);

        for (var i = 0; i < 7; i++)
        {
            Assert.Null(await Budget.TryReserveFixAsync($"acct:r:c/svc-{i}", $"other-{i}", Now.AddMinutes(50), _limits, default));
        }

        var eleventh = await Budget.TryReserveFixAsync("acct:r:c/svc-x", "other-x", Now.AddMinutes(55), _limits, default);
        Assert.Contains("10 automatic fix(es) in the last hour", eleventh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryReserveFixAsync_WhenOneAccountSpentItsHour_ShouldLeaveTheOtherAccountsAndRegionsTheirOwn()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await Budget.TryReserveFixAsync($"111122223333:us-east-1:c/svc-{i}", $"a-{i}", Now, _limits, default));
        }

        var spent = await Budget.TryReserveFixAsync("111122223333:us-east-1:c/svc-x", "a-x", Now, _limits, default);
        var otherAccount = await Budget.TryReserveFixAsync("444455556666:us-east-1:c/svc-x", "b-x", Now, _limits, default);
        var otherRegion = await Budget.TryReserveFixAsync("111122223333:eu-west-1:c/svc-x", "c-x", Now, _limits, default);

        Assert.Contains("10 automatic fix(es) in the last hour", spent, StringComparison.Ordinal);
        Assert.Null(otherAccount);
        Assert.Null(otherRegion);
        await Budget.ReleaseFixAsync("111122223333:us-east-1:c/svc-0", "a-0", default);
        Assert.Null(await Budget.TryReserveFixAsync("111122223333:us-east-1:c/svc-x", "a-x", Now, _limits, default));
    }

    [Fact]
    public async Task ReleaseFixAsync_WhenAnUpdateDidNotHappen_ShouldGiveTheBudgetBack()
    {
        Assert.Null(await Budget.TryReserveFixAsync("acct:r:c/api", "a", Now, _limits, default));
        Assert.NotNull(await Budget.TryReserveFixAsync("acct:r:c/api", "b", Now, _limits, default));

        await Budget.ReleaseFixAsync("acct:r:c/api", "a", default);

        Assert.Null(await Budget.TryReserveFixAsync("acct:r:c/api", "b", Now, _limits, default));
    }
}

public sealed class InMemoryFixBudgetContractTests : FixBudgetContract
{
    protected override Task<IFixBudget> CreateAsync() => Task.FromResult<IFixBudget>(new InMemoryFixBudget());
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbFixBudgetContractTests(MotoServer moto) : FixBudgetContract
{
    protected override async Task<IFixBudget> CreateAsync() => new DynamoDbFixBudget(await FreshTableAsync(moto), TimeProvider.System);
}
