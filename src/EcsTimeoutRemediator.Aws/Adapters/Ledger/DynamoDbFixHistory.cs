using System.Globalization;
using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Ports;
using static EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary><see cref="IFixHistory"/> on the ledger table: one item per service and fix (pk <c>FIX#</c>service, sk the fix id).</summary>
public sealed class DynamoDbFixHistory(DynamoDbLedgerTable table) : IFixHistory
{
    public async Task<FixRecord?> GetFixAsync(string serviceKey, string fix, CancellationToken cancellationToken)
    {
        var item = await table.GetAsync("FIX#" + serviceKey, fix, cancellationToken).ConfigureAwait(false);
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
        return table.Client.PutItemAsync(new PutItemRequest
        {
            TableName = table.Name,
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
        var response = await table.Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table.Name,
            Key = Key("FIX#" + serviceKey, fix),
            ReturnValues = Amazon.DynamoDBv2.ReturnValue.ALL_OLD,
        }, cancellationToken).ConfigureAwait(false);
        return response.Attributes is { Count: > 0 };
    }
}
