using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Serialization;
using System.Text.Json;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="IRemediationLedger"/> on one DynamoDB table (pk, sk, TTL attribute <c>expiresAt</c>; defined in
/// template.yaml). Claims and budgets are conditional writes; a budget reservation updates the service and the
/// account budget in one transaction guarded by their versions, so concurrent invocations cannot overspend.
/// </summary>
public sealed class DynamoDbLedger(IAmazonDynamoDB dynamo, string tableName, TimeProvider time) : IRemediationLedger
{
    /// <summary>Longer than Lambda's longest asynchronous redelivery (6 hours): a claim and its journal live this long.</summary>
    public static readonly TimeSpan CompletedRetention = TimeSpan.FromHours(7);
    public static readonly TimeSpan AuditRetention = TimeSpan.FromDays(90);
    private const int MaxReservationAttempts = 25;

    /// <summary>A journal larger than this keeps its decisions but not the rendered advisory (a retry renders it again); DynamoDB items hold 400 KB.</summary>
    private const int MaxJournalBytes = 300 * 1024;

    /// <summary>The IAM actions this ledger uses, for the template's ledger statement.</summary>
    public static IReadOnlyList<string> Permissions { get; } =
    [
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
    ];

    private static readonly Dictionary<string, string> EventNames = new()
    {
        ["#st"] = "status", ["#ow"] = "owner", ["#lu"] = "leaseUntil", ["#x"] = "expiresAt", ["#j"] = "journal",
    };

    public async Task<EventClaim> ClaimEventAsync(string eventKey, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            var old = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = Key("EVENT#" + eventKey, "EVENT"),
                UpdateExpression = "SET #st = :progress, #ow = :owner, #lu = :lease, #x = :x",
                ConditionExpression = "attribute_not_exists(pk) OR #x < :now OR (#st = :progress AND #lu < :nowMs)",
                ExpressionAttributeNames = EventNames.Where(n => n.Key != "#j").ToDictionary(),
                ExpressionAttributeValues = new()
                {
                    [":progress"] = S("IN_PROGRESS"), [":owner"] = S(owner), [":lease"] = N((now + lease).ToUnixTimeMilliseconds()),
                    [":x"] = Epoch(now + CompletedRetention), [":now"] = Epoch(now), [":nowMs"] = N(now.ToUnixTimeMilliseconds()),
                },
                ReturnValues = ReturnValue.ALL_OLD,
            }, cancellationToken).ConfigureAwait(false);

            // A journal left by an attempt of this event is resumed; one of an expired record (TTL deletes lazily) is not.
            var previous = old.Attributes is { Count: > 0 } item && !Expired(item, now) ? JournalOf(item) : null;
            return new EventClaim(ClaimStatus.Claimed, previous);
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await GetAsync("EVENT#" + eventKey, "EVENT", cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                return await ClaimEventAsync(eventKey, owner, now, lease, cancellationToken).ConfigureAwait(false);
            }

            return existing.TryGetValue("status", out var status) && status.S == "COMPLETED"
                ? new EventClaim(ClaimStatus.Completed, JournalOf(existing))
                : new EventClaim(ClaimStatus.InProgress, null, existing.TryGetValue("leaseUntil", out var lu) ? Millis(lu) : null);
        }
    }

    public Task SaveJournalAsync(string eventKey, string owner, EventJournal journal, CancellationToken cancellationToken) =>
        OwnedUpdateAsync(eventKey, owner, "SET #j = :j", new() { [":j"] = S(Serialize(journal)) }, cancellationToken);

    public Task CompleteEventAsync(string eventKey, string owner, EventJournal journal, DateTimeOffset now, CancellationToken cancellationToken) =>
        OwnedUpdateAsync(eventKey, owner, "SET #j = :j, #st = :done, #x = :x",
            new() { [":j"] = S(Serialize(journal)), [":done"] = S("COMPLETED"), [":x"] = Epoch(now + CompletedRetention) }, cancellationToken);

    public async Task ReleaseEventAsync(string eventKey, string owner, CancellationToken cancellationToken)
    {
        try
        {
            await OwnedUpdateAsync(eventKey, owner, "SET #lu = :zero", new() { [":zero"] = N(0) }, cancellationToken).ConfigureAwait(false);
        }
        catch (ClaimLostException)
        {
            // Someone else holds it now: nothing of ours to give back.
        }
    }

    private async Task OwnedUpdateAsync(string eventKey, string owner, string update, Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        values[":owner"] = S(owner);
        values[":progress"] = S("IN_PROGRESS");
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = Key("EVENT#" + eventKey, "EVENT"),
                UpdateExpression = update,
                ConditionExpression = "#ow = :owner AND #st = :progress",
                ExpressionAttributeNames = EventNames.Where(n => update.Contains(n.Key, StringComparison.Ordinal) || n.Key is "#ow" or "#st").ToDictionary(),
                ExpressionAttributeValues = values,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException ex)
        {
            throw new ClaimLostException($"the claim on event {eventKey} is no longer held by this invocation (its lease ran out and a retry took it over)", ex);
        }
    }

    /// <summary>The account budget of the service's account and Region (an organization-wide deployment keeps one per account).</summary>
    private static string AccountBudgetKey(string serviceKey) => "BUDGET#ACCOUNT#" + FixBudget.AccountScopeOf(serviceKey);

    private static string Serialize(EventJournal journal)
    {
        var json = JsonSerializer.Serialize(journal, RemediatorJsonContext.Default.EventJournal);
        return json.Length <= MaxJournalBytes ? json : JsonSerializer.Serialize(journal with { Advisory = null }, RemediatorJsonContext.Default.EventJournal);
    }

    private static EventJournal? JournalOf(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("journal", out var j) && j.S is { Length: > 0 } json
            ? JsonSerializer.Deserialize(json, RemediatorJsonContext.Default.EventJournal)
            : null;

    private static bool Expired(Dictionary<string, AttributeValue> item, DateTimeOffset now) =>
        item.TryGetValue("expiresAt", out var x) && long.Parse(x.N, CultureInfo.InvariantCulture) < now.ToUnixTimeSeconds();

    private static DateTimeOffset Millis(AttributeValue value) => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value.N, CultureInfo.InvariantCulture));

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

    private static readonly Dictionary<string, string> IncidentNames = new()
    {
        ["#ws"] = "windowStart", ["#lf"] = "lastFailureAt", ["#t"] = "total", ["#s"] = "suppressed", ["#ev"] = "events",
        ["#ft"] = "firstTask", ["#lt"] = "lastTask", ["#x"] = "expiresAt", ["#op"] = "opener", ["#oa"] = "openedAs", ["#fx"] = "fixable",
    };

    public async Task<IncidentUpdate> RecordIncidentAsync(string incidentKey, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, bool mustPublish, CancellationToken cancellationToken)
    {
        var pk = "INCIDENT#" + incidentKey;
        var expires = Epoch(at + window + TimeSpan.FromDays(1));
        var atMs = N(at.ToUnixTimeMilliseconds());
        for (var attempt = 1; ; attempt++)
        {
            // Inside the window: count it, idempotently per event; the last failure time only moves forwards.
            if (!mustPublish && await TrySuppressAsync(pk, eventKey, taskId, at, window, expires, null, cancellationToken).ConfigureAwait(false) is { } counted)
            {
                return counted;
            }

            // A new incident: none yet, or the last one saw no failure for a whole window (the service recovered).
            try
            {
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = tableName,
                    Item = Key(pk, "INCIDENT")
                        .With("windowStart", atMs)
                        .With("lastFailureAt", atMs)
                        .With("total", N(1))
                        .With("suppressed", N(0))
                        .With("events", new AttributeValue { SS = [eventKey] })
                        .With("opener", S(eventKey))
                        .With("openedAs", S(nameof(IncidentAction.Open)))
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

            var current = await GetAsync(pk, "INCIDENT", cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                continue;
            }

            if (current.TryGetValue("opener", out var opener) && opener.S == eventKey)
            {
                // Asked again by the failure that opened this window: its advisory may not have gone out yet.
                var action = current.TryGetValue("openedAs", out var oa) && oa.S == nameof(IncidentAction.FollowUp) ? IncidentAction.FollowUp : IncidentAction.Open;
                return Incident(action, current) with { SuppressedSince = 0, Since = null, FirstTask = null, LastTask = null };
            }

            var isCounted = current.TryGetValue("events", out var seen) && (seen.SS ?? []).Contains(eventKey);
            if (isCounted && !mustPublish)
            {
                return Incident(IncidentAction.Suppress, current);
            }

            var windowStart = current["windowStart"];
            var lastFailure = long.Parse(current["lastFailureAt"].N, CultureInfo.InvariantCulture);
            var open = long.Parse(windowStart.N, CultureInfo.InvariantCulture) > (at - window).ToUnixTimeMilliseconds();
            if (!mustPublish && !isCounted && open)
            {
                // A late failure (older than the last one counted) inside the window: count it, keep the last failure time.
                if (await TrySuppressAsync(pk, eventKey, taskId, at, window, expires, windowStart, cancellationToken).ConfigureAwait(false) is { } late)
                {
                    return late;
                }

                continue;
            }

            // The window is over (or a fix must be announced): this failure publishes one follow-up and starts a new window.
            var update = "SET #ws = :at, #lf = :lf, #s = :zero, #ev = :e, #x = :x, #op = :event, #oa = :follow REMOVE #ft, #lt, #fx" + (isCounted ? "" : " ADD #t :one");
            const string condition = "#ws = :ws AND #lf = :curlf";
            var values = new Dictionary<string, AttributeValue>
            {
                [":at"] = atMs, [":lf"] = N(Math.Max(lastFailure, at.ToUnixTimeMilliseconds())), [":zero"] = N(0), [":x"] = expires,
                [":e"] = new AttributeValue { SS = [eventKey] }, [":event"] = S(eventKey), [":follow"] = S(nameof(IncidentAction.FollowUp)),
                [":ws"] = windowStart, [":curlf"] = current["lastFailureAt"],
            };
            if (!isCounted)
            {
                values[":one"] = N(1);
            }

            try
            {
                var old = await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = Key(pk, "INCIDENT"),
                    UpdateExpression = update,
                    ConditionExpression = condition,
                    ExpressionAttributeNames = NamesIn(update + " " + condition),
                    ExpressionAttributeValues = values,
                    ReturnValues = ReturnValue.ALL_OLD,
                }, cancellationToken).ConfigureAwait(false);
                var before = Incident(IncidentAction.FollowUp, old.Attributes);
                return isCounted
                    ? before with { SuppressedSince = Math.Max(0, before.SuppressedSince - 1), Fixable = null }
                    : before with { Total = before.Total + 1, Fixable = null };
            }
            catch (ConditionalCheckFailedException) when (attempt < MaxReservationAttempts)
            {
                // Another invocation changed the incident first: decide again on what it wrote.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 40)), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Counts a failure into the open window (null when the conditions do not hold). With
    /// <paramref name="windowStart"/>, a late failure: the window must be that one, and the last failure time stays.</summary>
    private async Task<IncidentUpdate?> TrySuppressAsync(string pk, string eventKey, string taskId, DateTimeOffset at, TimeSpan window, AttributeValue expires, AttributeValue? windowStart, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":task"] = S(taskId), [":one"] = N(1), [":x"] = expires,
            [":e"] = new AttributeValue { SS = [eventKey] }, [":event"] = S(eventKey),
        };
        string update, condition;
        if (windowStart is null)
        {
            update = "SET #lt = :task, #ft = if_not_exists(#ft, :task), #lf = :at, #x = :x ADD #t :one, #s :one, #ev :e";
            condition = "#ws > :expired AND #lf <= :at AND NOT contains(#ev, :event)";
            values[":at"] = N(at.ToUnixTimeMilliseconds());
            values[":expired"] = N((at - window).ToUnixTimeMilliseconds());
        }
        else
        {
            update = "SET #ft = if_not_exists(#ft, :task), #lt = if_not_exists(#lt, :task), #x = :x ADD #t :one, #s :one, #ev :e";
            condition = "#ws = :ws AND NOT contains(#ev, :event)";
            values[":ws"] = windowStart;
        }

        try
        {
            var counted = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = Key(pk, "INCIDENT"),
                UpdateExpression = update,
                ConditionExpression = condition,
                ExpressionAttributeNames = NamesIn(update + " " + condition),
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken).ConfigureAwait(false);
            return Incident(IncidentAction.Suppress, counted.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> NamesIn(string expression) =>
        IncidentNames.Where(n => System.Text.RegularExpressions.Regex.IsMatch(expression, System.Text.RegularExpressions.Regex.Escape(n.Key) + @"\b")).ToDictionary();

    public async Task MarkIncidentFixableAsync(string incidentKey, string eventKey, bool fixable, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = Key("INCIDENT#" + incidentKey, "INCIDENT"),
                UpdateExpression = "SET #fx = :fx",
                ConditionExpression = "#op = :event",
                ExpressionAttributeNames = new() { ["#fx"] = "fixable", ["#op"] = "opener" },
                ExpressionAttributeValues = new() { [":fx"] = new AttributeValue { BOOL = fixable }, [":event"] = S(eventKey) },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // A newer window started meanwhile: what this failure found says nothing about it.
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
            item.TryGetValue("lastTask", out var lt) ? lt.S : null)
        {
            Fixable = item.TryGetValue("fixable", out var fx) ? fx.BOOL : null,
        };
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
