using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Aws.Clients.Runtime;
using EcsTimeoutRemediator.Ports;
using static EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="IFailureEvidence"/> on the ledger table: one item per failure (pk <c>FAILURES#</c>service#category,
/// sk time#event, so a redelivery writes the same item), counted by a consistent query over the window.
/// </summary>
public sealed class DynamoDbFailureEvidence(DynamoDbLedgerTable table) : IFailureEvidence
{
    public async Task<int> RecordFailureAsync(string serviceKey, string category, string eventKey, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        var pk = $"FAILURES#{serviceKey}#{category}";
        await table.Client.PutItemAsync(new PutItemRequest
        {
            TableName = table.Name,
            Item = Key(pk, $"{Sortable(at)}#{eventKey}").With("expiresAt", Epoch(at + window + TimeSpan.FromHours(1))),
        }, cancellationToken).ConfigureAwait(false);

        var request = new QueryRequest
        {
            TableName = table.Name,
            KeyConditionExpression = "pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues = new()
            {
                [":pk"] = S(pk),
                [":from"] = S(Sortable(at - window)),
                [":to"] = S(Sortable(at + window) + "~"),
            },
            Select = Amazon.DynamoDBv2.Select.COUNT,
            ConsistentRead = true,
        };
        var counts = await Paging.AllAsync<int, Dictionary<string, AttributeValue>>("Query", async start =>
        {
            request.ExclusiveStartKey = start;
            var page = await table.Client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            return new KeyedPage<int, Dictionary<string, AttributeValue>>([page.Count ?? 0], page.LastEvaluatedKey is { Count: > 0 } last ? last : null);
        }, LastKeyComparer.Instance).ConfigureAwait(false);
        return counts.Sum();
    }
}
