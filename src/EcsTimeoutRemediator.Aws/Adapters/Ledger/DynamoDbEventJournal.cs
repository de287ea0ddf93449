using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Serialization;
using static EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="IEventJournalStore"/> on the ledger table: one item per event (pk <c>EVENT#</c>task ARN#version, sk
/// <c>EVENT</c>). A claim is a conditional write; the journal is written only while the claim is held.
/// </summary>
public sealed class DynamoDbEventJournal(DynamoDbLedgerTable table) : IEventJournalStore
{
    /// <summary>Longer than Lambda's longest asynchronous redelivery (6 hours): a claim and its journal live this long.</summary>
    public static readonly TimeSpan CompletedRetention = TimeSpan.FromHours(7);

    /// <summary>A journal larger than this keeps its decisions but not the rendered advisory (a retry renders it again); DynamoDB items hold 400 KB.</summary>
    private const int MaxJournalBytes = 300 * 1024;

    private static readonly Dictionary<string, string> EventNames = new()
    {
        ["#st"] = "status", ["#ow"] = "owner", ["#lu"] = "leaseUntil", ["#x"] = "expiresAt", ["#j"] = "journal",
    };

    public async Task<EventClaim> ClaimEventAsync(string eventKey, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            var old = await table.Client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table.Name,
                Key = Key("EVENT#" + eventKey, "EVENT"),
                UpdateExpression = "SET #st = :progress, #ow = :owner, #lu = :lease, #x = :x",
                ConditionExpression = "attribute_not_exists(pk) OR #x < :now OR (#st = :progress AND #lu < :nowMs)",
                ExpressionAttributeNames = EventNames.Where(n => n.Key != "#j").ToDictionary(),
                ExpressionAttributeValues = new()
                {
                    [":progress"] = S("IN_PROGRESS"), [":owner"] = S(owner), [":lease"] = N((now + lease).ToUnixTimeMilliseconds()),
                    [":x"] = Epoch(now + CompletedRetention), [":now"] = Epoch(now), [":nowMs"] = N(now.ToUnixTimeMilliseconds()),
                },
                ReturnValues = Amazon.DynamoDBv2.ReturnValue.ALL_OLD,
            }, cancellationToken).ConfigureAwait(false);

            // A journal left by an attempt of this event is resumed; one of an expired record (TTL deletes lazily) is not.
            var previous = old.Attributes is { Count: > 0 } item && !Expired(item, now) ? JournalOf(item) : null;
            return new EventClaim(ClaimStatus.Claimed, previous);
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await table.GetAsync("EVENT#" + eventKey, "EVENT", cancellationToken).ConfigureAwait(false);
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
            await table.Client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table.Name,
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
}
