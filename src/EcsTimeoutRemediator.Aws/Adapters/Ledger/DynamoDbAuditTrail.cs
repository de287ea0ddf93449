using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.Ports;
using static EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary><see cref="IAuditTrail"/> on the ledger table: one item per decision (pk <c>AUDIT#</c>service, sk time#event#fix), kept 90 days.</summary>
public sealed class DynamoDbAuditTrail(DynamoDbLedgerTable table) : IAuditTrail
{
    public static readonly TimeSpan AuditRetention = TimeSpan.FromDays(90);

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

        return table.Client.PutItemAsync(new PutItemRequest { TableName = table.Name, Item = item }, cancellationToken);
    }
}
