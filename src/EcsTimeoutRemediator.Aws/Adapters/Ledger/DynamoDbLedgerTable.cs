using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// The one DynamoDB table every ledger adapter shares (pk, sk, TTL attribute <c>expiresAt</c>; defined in
/// template.yaml): each concern keeps its items under its own key prefix (EVENT#, FAILURES#, INCIDENT#, FIX#,
/// BUDGET#, AUDIT#), so the adapters never touch each other's items.
/// </summary>
public sealed class DynamoDbLedgerTable(IAmazonDynamoDB client, string name)
{
    /// <summary>How often a conditional write that lost a race is decided again before the error propagates.</summary>
    internal const int MaxConflictAttempts = 25;

    /// <summary>The IAM actions the ledger adapters use, for the template's ledger statement.</summary>
    public static IReadOnlyList<string> Permissions { get; } =
    [
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
    ];

    internal IAmazonDynamoDB Client => client;

    public string Name => name;

    internal async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = name, Key = Key(pk, sk), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>A short random pause before deciding again after another invocation's write won.</summary>
    internal static Task BackOffAsync(TimeProvider time, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 40)), time, cancellationToken);

    internal static Dictionary<string, AttributeValue> Key(string pk, string sk) => new() { ["pk"] = S(pk), ["sk"] = S(sk) };

    internal static AttributeValue S(string value) => new() { S = value };

    internal static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    internal static AttributeValue Epoch(DateTimeOffset at) => N(at.ToUnixTimeSeconds());

    internal static string Sortable(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

/// <summary>
/// Two <c>LastEvaluatedKey</c>s are the same key when they name the same attributes with the same string or number
/// values (the ledger's keys are pk and sk strings).
/// </summary>
internal sealed class LastKeyComparer : IEqualityComparer<Dictionary<string, AttributeValue>>
{
    public static LastKeyComparer Instance { get; } = new();

    public bool Equals(Dictionary<string, AttributeValue>? x, Dictionary<string, AttributeValue>? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null && x.Count == y.Count
            && x.All(a => y.TryGetValue(a.Key, out var b) && string.Equals(a.Value.S, b.S, StringComparison.Ordinal) && string.Equals(a.Value.N, b.N, StringComparison.Ordinal)));

    public int GetHashCode(Dictionary<string, AttributeValue> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Count;
    }
}

internal static class ItemExtensions
{
    public static Dictionary<string, AttributeValue> With(this Dictionary<string, AttributeValue> item, string name, AttributeValue value)
    {
        item[name] = value;
        return item;
    }
}
