using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.Efs;
using EcsTimeoutRemediator.Aws.Clients.ElbV2;
using EcsTimeoutRemediator.Aws.Clients.Iam;
using EcsTimeoutRemediator.Aws.Clients.Kms;
using EcsTimeoutRemediator.Aws.Clients.Logs;
using EcsTimeoutRemediator.Aws.Clients.SecretsManager;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.Aws.Clients.Sts;
using EcsTimeoutRemediator.Ports;

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
/// The one factory of the AWS clients of one account and Region: each service client is built on first use and
/// then reused, so a run that never reads a service never builds its client (create one <see cref="AwsClients"/>
/// per Lambda execution environment, or per member account and Region, not per invocation).
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
    private readonly Lazy<EcrClient> _ecr;
    private readonly Lazy<LogsClient> _logs;
    private readonly Lazy<EfsClient> _efs;
    private readonly Lazy<IamClient> _iam;
    private readonly Lazy<SecretsManagerClient> _secretsManager;
    private readonly Lazy<KmsClient> _kms;
    private readonly Lazy<HttpClient> _blobs;

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
        _ecr = new(() => new EcrClient(options.Credentials, Configure(new EcrClientConfig())));
        _logs = new(() => new LogsClient(options.Credentials, Configure(new LogsClientConfig())));
        _efs = new(() => new EfsClient(options.Credentials, Configure(new EfsClientConfig())));
        _iam = new(() => new IamClient(options.Credentials, Configure(new IamClientConfig())));
        _secretsManager = new(() => new SecretsManagerClient(options.Credentials, Configure(new SecretsManagerClientConfig())));
        _kms = new(() => new KmsClient(options.Credentials, Configure(new KmsClientConfig())));
        _blobs = new(() => new HttpClient { Timeout = BlobTimeout, MaxResponseContentBufferSize = EcrRegistryAdapter.MaxConfigBytes });
    }

    /// <summary>How long the download of an image configuration blob (a few kilobytes, pre-signed) may take.</summary>
    public static TimeSpan BlobTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>ECS: services, tasks, task definitions, and the cluster and capacity provider reads of service events.</summary>
    public EcsClient Ecs => _ecs.Value;

    public SnsClient Sns => _sns.Value;

    public ElbV2Client ElbV2 => _elbV2.Value;

    /// <summary>AWSSDK.EC2's own client, configured like the others; its failures are labelled for <see cref="AwsErrorCodes.Describe"/>.</summary>
    public AmazonEC2Client Ec2 => _ec2.Value;

    /// <summary>
    /// AWSSDK.SimpleSystemsManagement's client, configured like the others: the one SSM client, for the Slack
    /// webhook parameter and for parameter metadata (never values) of the secret key checks.
    /// </summary>
    public AmazonSimpleSystemsManagementClient Ssm => _ssm.Value;

    /// <summary>AWSSDK.DynamoDBv2's low-level client (the ledger table), configured like the others.</summary>
    public AmazonDynamoDBClient DynamoDb => _dynamo.Value;

    /// <summary>STS on the Region's endpoint: the member roles of an organization-wide deployment.</summary>
    public StsClient Sts => _sts.Value;

    public EcrClient Ecr => _ecr.Value;

    public LogsClient Logs => _logs.Value;

    public EfsClient Efs => _efs.Value;

    /// <summary>IAM on its global endpoint, signed for us-east-1 whatever the region (unless a signing region is set).</summary>
    public IamClient Iam => _iam.Value;

    public SecretsManagerClient SecretsManager => _secretsManager.Value;

    public KmsClient Kms => _kms.Value;

    /// <summary>Plain HTTPS for the pre-signed URLs ECR hands out (image configuration blobs).</summary>
    public HttpClient Blobs => _blobs.Value;

    /// <summary>The options these clients were built with (member accounts' clients copy their endpoints and timeouts).</summary>
    public AwsClientsOptions Options => _options;

    /// <summary>Clients for <paramref name="region"/> (null: AWS_REGION), default credentials and endpoints.</summary>
    public static AwsClients Create(string? region = null) => Create(new AwsClientsOptions { Region = region });

    public static AwsClients Create(AwsClientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AwsClients(options);
    }

    /// <summary>The ports of the root-cause checks over these clients (each client is built on its first call).</summary>
    public DiagnosisInspectors Inspectors() => new(
        new LazyRegistry(this),
        new LazyIam(this),
        new LazyLogs(this),
        new LazyEfs(this),
        new LazySecretKeys(this),
        new LazyClusters(this));

    public void Dispose()
    {
        LazyClient.DisposeIfCreated(_ecs);
        LazyClient.DisposeIfCreated(_sns);
        LazyClient.DisposeIfCreated(_elbV2);
        LazyClient.DisposeIfCreated(_ec2);
        LazyClient.DisposeIfCreated(_ssm);
        LazyClient.DisposeIfCreated(_dynamo);
        LazyClient.DisposeIfCreated(_sts);
        LazyClient.DisposeIfCreated(_ecr);
        LazyClient.DisposeIfCreated(_logs);
        LazyClient.DisposeIfCreated(_efs);
        LazyClient.DisposeIfCreated(_iam);
        LazyClient.DisposeIfCreated(_secretsManager);
        LazyClient.DisposeIfCreated(_kms);
        LazyClient.DisposeIfCreated(_blobs);
    }

    private T Configure<T>(T config)
        where T : ClientConfig => _options.Configure(config);

    // The adapters are created on first use so that a run that never reads ECR never builds its client.
    private sealed class LazyRegistry(AwsClients clients) : IRegistryInspector
    {
        public Task<Context.EcrImageFacts> DescribeImageAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken) =>
            new EcrRegistryAdapter(clients.Ecr).DescribeImageAsync(registryId, repository, tag, digest, cancellationToken);

        public Task<IReadOnlyList<string>?> PlatformsOfAsync(Vocabulary.ImageReference image, Context.EcrImageFacts described, IReadMeter reads, CancellationToken cancellationToken) =>
            // Only a single-platform image's configuration blob needs the blob client.
            (described.IsMultiPlatform ? new EcrRegistryAdapter(clients.Ecr) : new EcrRegistryAdapter(clients.Ecr, clients.Blobs))
                .PlatformsOfAsync(image, described, reads, cancellationToken);
    }

    private sealed class LazyIam(AwsClients clients) : IIamInspector
    {
        public Task<IReadOnlyList<Context.PermissionDecision>> SimulateAsync(string principalArn, IReadOnlyList<string> actions, IReadOnlyList<string> resources, CancellationToken cancellationToken) =>
            new IamPolicySimulatorAdapter(clients.Iam).SimulateAsync(principalArn, actions, resources, cancellationToken);
    }

    private sealed class LazyLogs(AwsClients clients) : ILogsInspector
    {
        public Task<Context.LogGroupFacts?> FindLogGroupAsync(string logGroupName, CancellationToken cancellationToken) =>
            new LogsAdapter(clients.Logs).FindLogGroupAsync(logGroupName, cancellationToken);
    }

    private sealed class LazyEfs(AwsClients clients) : IEfsInspector
    {
        public Task<IReadOnlyList<Context.MountTargetFacts>> DescribeMountTargetsAsync(string fileSystemId, CancellationToken cancellationToken) =>
            new EfsAdapter(clients.Efs).DescribeMountTargetsAsync(fileSystemId, cancellationToken);

        public Task<IReadOnlyList<string>> DescribeMountTargetSecurityGroupsAsync(string mountTargetId, CancellationToken cancellationToken) =>
            new EfsAdapter(clients.Efs).DescribeMountTargetSecurityGroupsAsync(mountTargetId, cancellationToken);
    }

    private sealed class LazyClusters(AwsClients clients) : IClusterInspector
    {
        public Task<Context.ClusterFacts?> DescribeClusterAsync(string cluster, CancellationToken cancellationToken) =>
            new EcsClusterAdapter(clients.Ecs).DescribeClusterAsync(cluster, cancellationToken);

        public Task<Context.CapacityProviderLookup> DescribeCapacityProvidersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
            new EcsClusterAdapter(clients.Ecs).DescribeCapacityProvidersAsync(names, cancellationToken);
    }

    // Each call builds only the client it needs: a task without secrets never builds any of the three.
    private sealed class LazySecretKeys(AwsClients clients) : ISecretKeyInspector
    {
        private readonly SecretKeyAdapter _adapter = new(() => clients.SecretsManager, () => clients.Ssm, () => clients.Kms);

        public Task<IReadOnlyList<Context.ResourceKeyReference>> KeysOfAsync(IReadOnlyList<string> secrets, IReadOnlyList<string> parameters, IReadMeter reads, CancellationToken cancellationToken) =>
            _adapter.KeysOfAsync(secrets, parameters, reads, cancellationToken);
    }
}
