using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Ledger;

/// <summary>Creates the ledger table on moto with the key schema template.yaml declares (pk, sk; TTL expiresAt).</summary>
public static class LedgerTable
{
    public static AmazonDynamoDBClient Client(MotoServer moto) => new(MotoServer.Credentials, moto.Configure(new AmazonDynamoDBConfig()));

    public static async Task<string> CreateAsync(MotoServer moto, string name = "ecs-remediator-ledger")
    {
        using var dynamo = Client(moto);
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
        });
        await dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = name,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expiresAt", Enabled = true },
        });
        return name;
    }
}
