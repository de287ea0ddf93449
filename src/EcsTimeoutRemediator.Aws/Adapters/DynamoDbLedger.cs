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
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
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

    public async Task<IncidentUpdate> RecordIncidentAsync(string incidentKey, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, bool mustPublish, CancellationToken cancellationToken)
    {
        var pk = "INCIDENT#" + incidentKey;
        var names = new Dictionary<string, string>
        {
            ["#ws"] = "windowStart", ["#lf"] = "lastFailureAt", ["#t"] = "total", ["#s"] = "suppressed", ["#ev"] = "events",
            ["#ft"] = "firstTask", ["#lt"] = "lastTask", ["#x"] = "expiresAt",
        };
        var expires = Epoch(at + window + TimeSpan.FromDays(1));
        for (var attempt = 1; ; attempt++)
        {
            // A new incident: none yet, or the last one saw no failure for a whole window (the service recovered).
            try
            {
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = tableName,
                    Item = Key(pk, "INCIDENT")
                        .With("windowStart", N(at.ToUnixTimeMilliseconds()))
                        .With("lastFailureAt", N(at.ToUnixTimeMilliseconds()))
                        .With("total", N(1))
                        .With("suppressed", N(0))
                        .With("events", new AttributeValue { SS = [eventKey] })
                        .With("expiresAt", expires),
                    ConditionExpression = "attribute_not_exists(pk) OR #lf < :closed",
                    ExpressionAttributeNames = new() { ["#lf"] = "lastFailureAt" },
                    ExpressionAttributeValues = new() { [":closed"] = N((at - window).ToUnixTimeMilliseconds()) },
                }, cancellationToken).ConfigureAwait(false);
                return new IncidentUpdate(IncidentAction.Open, 1, 0, null, null, null);
            }
            catch (ConditionalCheckFailedException)
            {
            }

            // Inside the window: count it, idempotently per event.
            if (!mustPublish)
            {
                try
                {
                    var counted = await dynamo.UpdateItemAsync(new UpdateItemRequest
                    {
                        TableName = tableName,
                        Key = Key(pk, "INCIDENT"),
                        UpdateExpression = "SET #lt = :task, #ft = if_not_exists(#ft, :task), #lf = :at, #x = :x ADD #t :one, #s :one, #ev :e",
                        ConditionExpression = "#ws > :expired AND NOT contains(#ev, :event)",
                        ExpressionAttributeNames = names,
                        ExpressionAttributeValues = new()
                        {
                            [":task"] = S(taskId), [":at"] = N(at.ToUnixTimeMilliseconds()), [":one"] = N(1), [":x"] = expires,
                            [":e"] = new AttributeValue { SS = [eventKey] }, [":event"] = S(eventKey),
                            [":expired"] = N((at - window).ToUnixTimeMilliseconds()),
                        },
                        ReturnValues = ReturnValue.ALL_NEW,
                    }, cancellationToken).ConfigureAwait(false);
                    return Incident(IncidentAction.Suppress, counted.Attributes);
                }
                catch (ConditionalCheckFailedException)
                {
                }
            }

            var current = await GetAsync(pk, "INCIDENT", cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                continue;
            }

            if (current.TryGetValue("events", out var seen) && (seen.SS ?? []).Contains(eventKey))
            {
                return Incident(IncidentAction.Suppress, current);
            }

            // The window is over (or a fix must be announced): this failure publishes one follow-up and starts a new window.
            try
            {
                var old = await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = Key(pk, "INCIDENT"),
                    UpdateExpression = "SET #ws = :at, #lf = :at, #s = :zero, #ev = :e, #x = :x REMOVE #ft, #lt ADD #t :one",
                    ConditionExpression = "#ws = :ws AND NOT contains(#ev, :event)",
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = new()
                    {
                        [":at"] = N(at.ToUnixTimeMilliseconds()), [":zero"] = N(0), [":one"] = N(1), [":x"] = expires,
                        [":e"] = new AttributeValue { SS = [eventKey] }, [":event"] = S(eventKey), [":ws"] = current["windowStart"],
                    },
                    ReturnValues = ReturnValue.ALL_OLD,
                }, cancellationToken).ConfigureAwait(false);
                var before = Incident(IncidentAction.FollowUp, old.Attributes);
                return before with { Total = before.Total + 1 };
            }
            catch (ConditionalCheckFailedException) when (attempt < MaxReservationAttempts)
            {
                // Another invocation started the new window first: count this failure in it.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 40)), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IncidentUpdate Incident(IncidentAction action, Dictionary<string, AttributeValue> item)
    {
        static int Int(Dictionary<string, AttributeValue> i, string name) => i.TryGetValue(name, out var v) ? int.Parse(v.N, CultureInfo.InvariantCulture) : 0;
        return new IncidentUpdate(
            action,
            Int(item, "total"),
            Int(item, "suppressed"),
            item.TryGetValue("windowStart", out var ws) ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ws.N, CultureInfo.InvariantCulture)) : null,
            item.TryGetValue("firstTask", out var ft) ? ft.S : null,
            item.TryGetValue("lastTask", out var lt) ? lt.S : null);
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
