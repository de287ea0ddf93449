using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="IRemediationLedger"/> on one DynamoDB table (pk, sk, TTL attribute <c>expiresAt</c>; defined in
/// template.yaml). Claims and budgets are conditional writes; a budget reservation updates the service and the
/// account budget in one transaction guarded by their versions, so concurrent invocations cannot overspend.
/// </summary>
public sealed class DynamoDbLedger(IAmazonDynamoDB dynamo, string tableName, TimeProvider time) : IRemediationLedger
{
    public static readonly TimeSpan InFlight = TimeSpan.FromMinutes(2);

    /// <summary>Longer than Lambda's longest asynchronous redelivery (6 hours).</summary>
    public static readonly TimeSpan CompletedRetention = TimeSpan.FromHours(7);
    public static readonly TimeSpan AuditRetention = TimeSpan.FromDays(90);
    private const int MaxReservationAttempts = 25;

    /// <summary>The IAM actions this ledger uses, for the template's ledger statement.</summary>
    public static IReadOnlyList<string> Permissions { get; } =
    [
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:ConditionCheckItem",
    ];

    public async Task<ClaimStatus> ClaimEventAsync(string eventKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = Key("EVENT#" + eventKey, "EVENT")
                    .With("status", S("IN_PROGRESS"))
                    .With("expiresAt", Epoch(now + InFlight)),
                ConditionExpression = "attribute_not_exists(pk) OR expiresAt < :now",
                ExpressionAttributeValues = new() { [":now"] = Epoch(now) },
            }, cancellationToken).ConfigureAwait(false);
            return ClaimStatus.Claimed;
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await GetAsync("EVENT#" + eventKey, "EVENT", cancellationToken).ConfigureAwait(false);
            return existing is not null && existing.TryGetValue("status", out var status) && status.S == "COMPLETED"
                ? ClaimStatus.Completed
                : ClaimStatus.InProgress;
        }
    }

    public Task CompleteEventAsync(string eventKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = Key("EVENT#" + eventKey, "EVENT").With("status", S("COMPLETED")).With("expiresAt", Epoch(now + CompletedRetention)),
        }, cancellationToken);

    public Task ReleaseEventAsync(string eventKey, CancellationToken cancellationToken) =>
        dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = tableName, Key = Key("EVENT#" + eventKey, "EVENT") }, cancellationToken);

    public async Task<int> RecordFailureAsync(string serviceKey, string category, string eventKey, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        var pk = $"FAILURES#{serviceKey}#{category}";
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = Key(pk, $"{Sortable(at)}#{eventKey}").With("expiresAt", Epoch(at + window + TimeSpan.FromHours(1))),
        }, cancellationToken).ConfigureAwait(false);

        var count = 0;
        var request = new QueryRequest
        {
            TableName = tableName,
            KeyConditionExpression = "pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues = new()
            {
                [":pk"] = S(pk),
                [":from"] = S(Sortable(at - window)),
                [":to"] = S(Sortable(at + window) + "~"),
            },
            Select = Select.COUNT,
            ConsistentRead = true,
        };
        do
        {
            var page = await dynamo.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            count += page.Count ?? 0;
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);

        return count;
    }

    public async Task<FixRecord?> GetFixAsync(string serviceKey, string fix, CancellationToken cancellationToken)
    {
        var item = await GetAsync("FIX#" + serviceKey, fix, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return null;
        }

        return new FixRecord(
            fix,
            item["category"].S,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(item["appliedAt"].N, CultureInfo.InvariantCulture)),
            item["before"].S,
            item["after"].S,
            item.TryGetValue("ineffective", out var i) && i.BOOL == true);
    }

    public Task RecordFixAsync(string serviceKey, FixRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = Key("FIX#" + serviceKey, record.Fix)
                .With("category", S(record.Category))
                .With("appliedAt", N(record.AppliedAt.ToUnixTimeMilliseconds()))
                .With("before", S(record.Before))
                .With("after", S(record.After))
                .With("ineffective", new AttributeValue { BOOL = record.Ineffective }),
        }, cancellationToken);
    }

    public async Task<bool> ClearFixAsync(string serviceKey, string fix, CancellationToken cancellationToken)
    {
        var response = await dynamo.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = tableName,
            Key = Key("FIX#" + serviceKey, fix),
            ReturnValues = ReturnValue.ALL_OLD,
        }, cancellationToken).ConfigureAwait(false);
        return response.Attributes is { Count: > 0 };
    }

    public async Task<string?> TryReserveFixAsync(string serviceKey, string reservationId, DateTimeOffset now, PolicySettings limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        for (var attempt = 1; ; attempt++)
        {
            var service = await ReadBudgetAsync("BUDGET#SERVICE#" + serviceKey, cancellationToken).ConfigureAwait(false);
            var account = await ReadBudgetAsync("BUDGET#ACCOUNT", cancellationToken).ConfigureAwait(false);
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
                await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
                {
                    TransactItems =
                    [
                        BudgetWrite(service, [.. FixBudget.Prune(service.Entries, now, FixBudget.ServiceWindow), entry], now),
                        BudgetWrite(account, [.. FixBudget.Prune(account.Entries, now, FixBudget.AccountWindow), entry], now),
                    ],
                }, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (TransactionCanceledException) when (attempt < MaxReservationAttempts)
            {
                // Another invocation changed a budget between our read and our write: read again and re-check.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 40)), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task ReleaseFixAsync(string serviceKey, string reservationId, CancellationToken cancellationToken)
    {
        foreach (var pk in new[] { "BUDGET#SERVICE#" + serviceKey, "BUDGET#ACCOUNT" })
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
                    await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
                    {
                        TransactItems = [BudgetWrite(budget, [.. budget.Entries.Where(e => e.ReservationId != reservationId)], time.GetUtcNow())],
                    }, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (TransactionCanceledException) when (attempt < MaxReservationAttempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 40)), time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = Key("AUDIT#" + record.ServiceKey, $"{Sortable(record.Time)}#{record.EventId}#{record.Fix}")
            .With("eventId", S(record.EventId))
            .With("fix", S(record.Fix))
            .With("result", S(record.Result))
            .With("reason", S(record.Reason))
            .With("expiresAt", Epoch(record.Time + AuditRetention));
        if (record.Before is not null)
        {
            item["before"] = S(record.Before);
        }

        if (record.After is not null)
        {
            item["after"] = S(record.After);
        }

        return dynamo.PutItemAsync(new PutItemRequest { TableName = tableName, Item = item }, cancellationToken);
    }

    private sealed record Budget(string Pk, long Version, List<BudgetEntry> Entries);

    private async Task<Budget> ReadBudgetAsync(string pk, CancellationToken cancellationToken)
    {
        var item = await GetAsync(pk, "BUDGET", cancellationToken).ConfigureAwait(false);
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
            TableName = tableName,
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

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = Key(pk, sk), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) => new() { ["pk"] = S(pk), ["sk"] = S(sk) };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static AttributeValue Epoch(DateTimeOffset at) => N(at.ToUnixTimeSeconds());

    private static string Sortable(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

internal static class ItemExtensions
{
    public static Dictionary<string, AttributeValue> With(this Dictionary<string, AttributeValue> item, string name, AttributeValue value)
    {
        item[name] = value;
        return item;
    }
}
