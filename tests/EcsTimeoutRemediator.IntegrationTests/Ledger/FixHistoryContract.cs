using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>What every <see cref="IFixHistory"/> must do: a fix recorded, marked ineffective, read back and cleared once.</summary>
public abstract class FixHistoryContract : LedgerContract<IFixHistory>
{
    private IFixHistory History => Port;

    [Fact]
    public async Task FixHistory_WhenRecordedMarkedAndCleared_ShouldRoundTrip()
    {
        var record = new FixRecord("raise-health-check-grace", "health/elb", Now, "0", "60");
        await History.RecordFixAsync("acct:r:c/api", record, default);
        await History.RecordFixAsync("acct:r:c/api", record with { Ineffective = true }, default);

        var read = await History.GetFixAsync("acct:r:c/api", "raise-health-check-grace", default);

        Assert.Equal(record with { Ineffective = true }, read);
        Assert.True(await History.ClearFixAsync("acct:r:c/api", "raise-health-check-grace", default));
        Assert.Null(await History.GetFixAsync("acct:r:c/api", "raise-health-check-grace", default));
        Assert.False(await History.ClearFixAsync("acct:r:c/api", "raise-health-check-grace", default));
    }
}

public sealed class InMemoryFixHistoryContractTests : FixHistoryContract
{
    protected override Task<IFixHistory> CreateAsync() => Task.FromResult<IFixHistory>(new InMemoryFixHistory());
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbFixHistoryContractTests(MotoServer moto) : FixHistoryContract
{
    protected override async Task<IFixHistory> CreateAsync() => new DynamoDbFixHistory(await FreshTableAsync(moto));
}
