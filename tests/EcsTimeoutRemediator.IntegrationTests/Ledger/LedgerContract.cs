using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>
/// The shape of every ledger port's contract suite: the same facts run against the port's in-memory fake of the unit
/// tests and its DynamoDB adapter on moto, so the two cannot drift apart.
/// </summary>
public abstract class LedgerContract<TPort> : IAsyncLifetime
    where TPort : class
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    protected TPort Port { get; private set; } = null!;

    protected abstract Task<TPort> CreateAsync();

    public async Task InitializeAsync() => Port = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh moto with a fresh ledger table, for a DynamoDB adapter under contract.</summary>
    protected static async Task<DynamoDbLedgerTable> FreshTableAsync(MotoServer moto)
    {
        ArgumentNullException.ThrowIfNull(moto);
        await moto.ResetAsync();
        var table = await LedgerTable.CreateAsync(moto);
        return new DynamoDbLedgerTable(LedgerTable.Client(moto), table);
    }
}
