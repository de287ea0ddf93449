using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Ports;
using static EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="IIncidentGate"/> on the ledger table: one item per incident (pk <c>INCIDENT#</c>incident key, sk
/// <c>INCIDENT</c>), changed only by conditional writes, so each event is counted once however many invocations race.
/// </summary>
public sealed class DynamoDbIncidentGate(DynamoDbLedgerTable table, TimeProvider time) : IIncidentGate
{
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
                await table.Client.PutItemAsync(new PutItemRequest
                {
                    TableName = table.Name,
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

            var current = await table.GetAsync(pk, "INCIDENT", cancellationToken).ConfigureAwait(false);
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
                var old = await UpdateIncidentAsync(pk, update, condition, values, Amazon.DynamoDBv2.ReturnValue.ALL_OLD, cancellationToken).ConfigureAwait(false);
                var before = Incident(IncidentAction.FollowUp, old);
                return isCounted
                    ? before with { SuppressedSince = Math.Max(0, before.SuppressedSince - 1), Fixable = null }
                    : before with { Total = before.Total + 1, Fixable = null };
            }
            catch (ConditionalCheckFailedException) when (attempt < MaxConflictAttempts)
            {
                // Another invocation changed the incident first: decide again on what it wrote.
                await BackOffAsync(time, cancellationToken).ConfigureAwait(false);
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
            var counted = await UpdateIncidentAsync(pk, update, condition, values, Amazon.DynamoDBv2.ReturnValue.ALL_NEW, cancellationToken).ConfigureAwait(false);
            return Incident(IncidentAction.Suppress, counted);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <summary>
    /// One conditional UpdateItem of the incident item <paramref name="pk"/>, naming only the attributes its
    /// expressions use; the attributes <paramref name="returns"/> asks for. A condition that does not hold throws
    /// <see cref="ConditionalCheckFailedException"/>, which each caller handles its own way.
    /// </summary>
    private async Task<Dictionary<string, AttributeValue>> UpdateIncidentAsync(string pk, string update, string condition, Dictionary<string, AttributeValue> values, Amazon.DynamoDBv2.ReturnValue returns, CancellationToken cancellationToken)
    {
        var response = await table.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table.Name,
            Key = Key(pk, "INCIDENT"),
            UpdateExpression = update,
            ConditionExpression = condition,
            ExpressionAttributeNames = NamesIn(update + " " + condition),
            ExpressionAttributeValues = values,
            ReturnValues = returns,
        }, cancellationToken).ConfigureAwait(false);
        return response.Attributes;
    }

    private static Dictionary<string, string> NamesIn(string expression) =>
        IncidentNames.Where(n => Regex.IsMatch(expression, Regex.Escape(n.Key) + @"\b")).ToDictionary();

    public async Task MarkIncidentFixableAsync(string incidentKey, string eventKey, bool fixable, CancellationToken cancellationToken)
    {
        try
        {
            await table.Client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table.Name,
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
}
