using System.Globalization;
using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using static EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="IFixBudget"/> on the ledger table: one item per budget (pk <c>BUDGET#SERVICE#</c>service or
/// <c>BUDGET#ACCOUNT#</c>account scope, sk <c>BUDGET</c>). A reservation updates the service and the account budget
/// in one transaction guarded by their versions, so concurrent invocations cannot overspend.
/// </summary>
public sealed class DynamoDbFixBudget(DynamoDbLedgerTable table, TimeProvider time) : IFixBudget
{
    public async Task<string?> TryReserveFixAsync(string serviceKey, string reservationId, DateTimeOffset now, PolicySettings limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        for (var attempt = 1; ; attempt++)
        {
            var service = await ReadBudgetAsync("BUDGET#SERVICE#" + serviceKey, cancellationToken).ConfigureAwait(false);
            var account = await ReadBudgetAsync(AccountBudgetKey(serviceKey), cancellationToken).ConfigureAwait(false);
            if (service.Entries.Any(e => e.ReservationId == reservationId))
            {
                return null;
            }

            if (FixBudget.Check(service.Entries, account.Entries, now, limits) is { } denied)
            {
                return denied;
            }

            var entry = new BudgetEntry(reservationId, now);
            try
            {
                await table.Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
                {
                    TransactItems =
                    [
                        BudgetWrite(service, [.. FixBudget.Prune(service.Entries, now, FixBudget.ServiceWindow), entry], now),
                        BudgetWrite(account, [.. FixBudget.Prune(account.Entries, now, FixBudget.AccountWindow), entry], now),
                    ],
                }, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (TransactionCanceledException) when (attempt < MaxConflictAttempts)
            {
                // Another invocation changed a budget between our read and our write: read again and re-check.
                await BackOffAsync(time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task ReleaseFixAsync(string serviceKey, string reservationId, CancellationToken cancellationToken)
    {
        foreach (var pk in new[] { "BUDGET#SERVICE#" + serviceKey, AccountBudgetKey(serviceKey) })
        {
            for (var attempt = 1; ; attempt++)
            {
                var budget = await ReadBudgetAsync(pk, cancellationToken).ConfigureAwait(false);
                if (!budget.Entries.Any(e => e.ReservationId == reservationId))
                {
                    break;
                }

                try
                {
                    await table.Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
                    {
                        TransactItems = [BudgetWrite(budget, [.. budget.Entries.Where(e => e.ReservationId != reservationId)], time.GetUtcNow())],
                    }, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (TransactionCanceledException) when (attempt < MaxConflictAttempts)
                {
                    await BackOffAsync(time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The account budget of the service's account and Region (an organization-wide deployment keeps one per account).</summary>
    private static string AccountBudgetKey(string serviceKey) => "BUDGET#ACCOUNT#" + FixBudget.AccountScopeOf(serviceKey);

    private sealed record Budget(string Pk, long Version, List<BudgetEntry> Entries);

    private async Task<Budget> ReadBudgetAsync(string pk, CancellationToken cancellationToken)
    {
        var item = await table.GetAsync(pk, "BUDGET", cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return new Budget(pk, 0, []);
        }

        var entries = (item.TryGetValue("entries", out var list) ? list.L ?? [] : [])
            .Select(m => new BudgetEntry(m.M["id"].S, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(m.M["at"].N, CultureInfo.InvariantCulture))))
            .ToList();
        return new Budget(pk, long.Parse(item["version"].N, CultureInfo.InvariantCulture), entries);
    }

    private TransactWriteItem BudgetWrite(Budget budget, List<BudgetEntry> entries, DateTimeOffset now) => new()
    {
        Put = new Put
        {
            TableName = table.Name,
            Item = Key(budget.Pk, "BUDGET")
                .With("version", N(budget.Version + 1))
                .With("entries", new AttributeValue
                {
                    L = [.. entries.Select(e => new AttributeValue { M = new() { ["id"] = S(e.ReservationId), ["at"] = N(e.At.ToUnixTimeMilliseconds()) } })],
                })
                .With("expiresAt", Epoch(now + FixBudget.ServiceWindow + TimeSpan.FromHours(1))),
            ConditionExpression = budget.Version == 0 ? "attribute_not_exists(pk)" : "version = :v",
            ExpressionAttributeValues = budget.Version == 0 ? null : new() { [":v"] = N(budget.Version) },
        },
    };
}
