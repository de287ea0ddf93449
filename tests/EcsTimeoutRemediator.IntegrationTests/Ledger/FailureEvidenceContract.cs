using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>What every <see cref="IFailureEvidence"/> must do: each failure counted once, within the window, per service and category.</summary>
public abstract class FailureEvidenceContract : LedgerContract<IFailureEvidence>
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    private IFailureEvidence Evidence => Port;

    [Fact]
    public async Task RecordFailureAsync_WhenCounting_ShouldCountEachEventOnceWithinTheWindowBoundsIncluded()
    {
        Assert.Equal(1, await Evidence.RecordFailureAsync("acct:r:c/api", "health/elb", "t1", Now, Window, default));
        Assert.Equal(1, await Evidence.RecordFailureAsync("acct:r:c/api", "health/elb", "t1", Now, Window, default));
        Assert.Equal(2, await Evidence.RecordFailureAsync("acct:r:c/api", "health/elb", "t2", Now.AddMinutes(10), Window, default));
        Assert.Equal(1, await Evidence.RecordFailureAsync("acct:r:c/api", "image-pull/network", "t3", Now.AddMinutes(10), Window, default));
        Assert.Equal(2, await Evidence.RecordFailureAsync("acct:r:c/api", "health/elb", "t4", Now.AddMinutes(40), Window, default));
        Assert.Equal(2, await Evidence.RecordFailureAsync("acct:r:c/api", "health/elb", "t5", Now.AddMinutes(70), Window, default));
    }
}

public sealed class InMemoryFailureEvidenceContractTests : FailureEvidenceContract
{
    protected override Task<IFailureEvidence> CreateAsync() => Task.FromResult<IFailureEvidence>(new InMemoryFailureEvidence());
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbFailureEvidenceContractTests(MotoServer moto) : FailureEvidenceContract
{
    protected override async Task<IFailureEvidence> CreateAsync() => new DynamoDbFailureEvidence(await FreshTableAsync(moto));
}
