using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.ElbV2;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.Aws.Clients.Sts;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>How <see cref="AwsClients.Create(AwsClientsOptions)"/> builds its clients. Every field is optional.</summary>
public sealed record AwsClientsOptions
{
    /// <summary>The region; null for AWS_REGION / the profile (the Lambda runtime sets AWS_REGION).</summary>
    public string? Region { get; init; }

    /// <summary>Credentials; null for the SDK's default chain (env, profile, container, IMDS).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>One endpoint for every service (tests, LocalStack, moto); null for the standard resolution,
    /// which honours AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt; and AWS_ENDPOINT_URL.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The SigV4 signing region when <see cref="ServiceUrl"/> names no region.</summary>
    public string? AuthenticationRegion { get; init; }

    /// <summary>Per-attempt HTTP timeout; null for the SDK default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Retries after the first attempt; null for AWS_MAX_ATTEMPTS or the SDK default (2).</summary>
    public int? MaxErrorRetry { get; init; }

    /// <summary>Applies these options to one client's configuration (every client set shares this).</summary>
    internal T Configure<T>(T config)
        where T : ClientConfig
    {
        if (Region is { Length: > 0 } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);

            // Keeps the signing region right when AWS_ENDPOINT_URL* overrides the endpoint; IAM (global) keeps us-east-1.
            if (config is not IamClientConfig)
            {
                config.AuthenticationRegion = region;
            }
        }

        if (ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
        }

        if (AuthenticationRegion is { Length: > 0 } signingRegion)
        {
            config.AuthenticationRegion = signingRegion;
        }

        if (Timeout is { } timeout)
        {
            config.Timeout = timeout;
        }

        if (MaxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        return config;
    }

    /// <summary>
    /// An AWS SDK service client configured with these options: with <see cref="Credentials"/> when given, else
    /// with the SDK's default chain (the SDK clients take no null credentials).
    /// </summary>
    internal TClient Sdk<TClient, TConfig>(Func<TConfig, TClient> withDefaultChain, Func<AWSCredentials, TConfig, TClient> withCredentials)
        where TConfig : ClientConfig, new()
    {
        var config = Configure(new TConfig());
        return Credentials is null ? withDefaultChain(config) : withCredentials(Credentials, config);
    }
}

/// <summary>
/// The AWS clients of one execution environment: each is built on first use and then reused (create one
/// <see cref="AwsClients"/> per Lambda execution environment, not per invocation).
/// </summary>
public sealed class AwsClients : IDisposable
{
    private readonly AwsClientsOptions _options;
    private readonly Lazy<EcsClient> _ecs;
    private readonly Lazy<SnsClient> _sns;
    private readonly Lazy<ElbV2Client> _elbV2;
    private readonly Lazy<AmazonEC2Client> _ec2;
    private readonly Lazy<AmazonSimpleSystemsManagementClient> _ssm;
    private readonly Lazy<AmazonDynamoDBClient> _dynamo;
    private readonly Lazy<StsClient> _sts;

    private AwsClients(AwsClientsOptions options)
    {
        _options = options;
        _ecs = new(() => new EcsClient(options.Credentials, Configure(new EcsClientConfig())));
        _sns = new(() => new SnsClient(options.Credentials, Configure(new SnsClientConfig())));
        _elbV2 = new(() => new ElbV2Client(options.Credentials, Configure(new ElbV2ClientConfig())));
        _ec2 = new(() => options.Sdk<AmazonEC2Client, AmazonEC2Config>(c => new LabelledEc2Client(c), (k, c) => new LabelledEc2Client(k, c)));
        _ssm = new(() => options.Sdk<AmazonSimpleSystemsManagementClient, AmazonSimpleSystemsManagementConfig>(c => new LabelledSsmClient(c), (k, c) => new LabelledSsmClient(k, c)));
        _dynamo = new(() => options.Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(c => new LabelledDynamoDbClient(c), (k, c) => new LabelledDynamoDbClient(k, c)));
        _sts = new(() => new StsClient(options.Credentials, Configure(new StsClientConfig())));
    }

    public EcsClient Ecs => _ecs.Value;

    public SnsClient Sns => _sns.Value;

    public ElbV2Client ElbV2 => _elbV2.Value;

    /// <summary>AWSSDK.EC2's own client, configured like the others; its failures are labelled for <see cref="AwsErrorCodes.Describe"/>.</summary>
    public AmazonEC2Client Ec2 => _ec2.Value;

    /// <summary>AWSSDK.SimpleSystemsManagement's client (the Slack webhook parameter), configured like the others.</summary>
    public AmazonSimpleSystemsManagementClient Ssm => _ssm.Value;

    /// <summary>AWSSDK.DynamoDBv2's low-level client (the ledger table), configured like the others.</summary>
    public AmazonDynamoDBClient DynamoDb => _dynamo.Value;

    /// <summary>STS on the Region's endpoint: the member roles of an organization-wide deployment.</summary>
    public StsClient Sts => _sts.Value;

    /// <summary>The options these clients were built with (member accounts' clients copy their endpoints and timeouts).</summary>
    public AwsClientsOptions Options => _options;

    /// <summary>Clients for <paramref name="region"/> (null: AWS_REGION), default credentials and endpoints.</summary>
    public static AwsClients Create(string? region = null) => Create(new AwsClientsOptions { Region = region });

    public static AwsClients Create(AwsClientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AwsClients(options);
    }

    public void Dispose()
    {
        LazyClient.DisposeIfCreated(_ecs);
        LazyClient.DisposeIfCreated(_sns);
        LazyClient.DisposeIfCreated(_elbV2);
        LazyClient.DisposeIfCreated(_ec2);
        LazyClient.DisposeIfCreated(_ssm);
        LazyClient.DisposeIfCreated(_dynamo);
        LazyClient.DisposeIfCreated(_sts);
    }

    private T Configure<T>(T config)
        where T : ClientConfig => _options.Configure(config);
}
