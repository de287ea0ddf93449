using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.Efs;
using EcsTimeoutRemediator.Aws.Clients.Iam;
using EcsTimeoutRemediator.Aws.Clients.Kms;
using EcsTimeoutRemediator.Aws.Clients.Logs;
using EcsTimeoutRemediator.Aws.Clients.SecretsManager;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// The clients of the root-cause checks (ECR, CloudWatch Logs, EFS, IAM, Secrets Manager, SSM, KMS, and ECS for clusters), configured like <see cref="AwsClients"/>
/// and built on first use, once per execution environment.
/// </summary>
public sealed class DiagnosisClients : IDisposable
{
    private readonly AwsClientsOptions _options;
    private readonly Lazy<EcrClient> _ecr;
    private readonly Lazy<LogsClient> _logs;
    private readonly Lazy<EfsClient> _efs;
    private readonly Lazy<IamClient> _iam;
    private readonly Lazy<SecretsManagerClient> _secretsManager;
    private readonly Lazy<AmazonSimpleSystemsManagementClient> _ssm;
    private readonly Lazy<KmsClient> _kms;
    private readonly Lazy<HttpClient> _blobs;
    private readonly Lazy<EcsClient> _ecs;

    private DiagnosisClients(AwsClientsOptions options)
    {
        _options = options;
        _ecr = new(() => new EcrClient(options.Credentials, Configure(new EcrClientConfig())));
        _logs = new(() => new LogsClient(options.Credentials, Configure(new LogsClientConfig())));
        _efs = new(() => new EfsClient(options.Credentials, Configure(new EfsClientConfig())));
        _iam = new(() => new IamClient(options.Credentials, Configure(new IamClientConfig())));
        _secretsManager = new(() => new SecretsManagerClient(options.Credentials, Configure(new SecretsManagerClientConfig())));
        _ssm = new(() => options.Sdk<AmazonSimpleSystemsManagementClient, AmazonSimpleSystemsManagementConfig>(c => new LabelledSsmClient(c), (k, c) => new LabelledSsmClient(k, c)));
        _kms = new(() => new KmsClient(options.Credentials, Configure(new KmsClientConfig())));
        _blobs = new(() => new HttpClient { Timeout = BlobTimeout, MaxResponseContentBufferSize = EcrRegistryAdapter.MaxConfigBytes });
        _ecs = new(() => new EcsClient(options.Credentials, Configure(new EcsClientConfig())));
    }

    /// <summary>How long the download of an image configuration blob (a few kilobytes, pre-signed) may take.</summary>
    public static TimeSpan BlobTimeout { get; } = TimeSpan.FromSeconds(10);

    public EcrClient Ecr => _ecr.Value;

    public LogsClient Logs => _logs.Value;

    public EfsClient Efs => _efs.Value;

    /// <summary>IAM on its global endpoint, signed for us-east-1 whatever the region (unless a signing region is set).</summary>
    public IamClient Iam => _iam.Value;

    public SecretsManagerClient SecretsManager => _secretsManager.Value;

    /// <summary>AWSSDK.SimpleSystemsManagement's client (parameter metadata, never values), configured like the others.</summary>
    public AmazonSimpleSystemsManagementClient Ssm => _ssm.Value;

    public KmsClient Kms => _kms.Value;

    /// <summary>ECS for the cluster and capacity provider reads of service events (built on their first call).</summary>
    public EcsClient Ecs => _ecs.Value;

    /// <summary>Plain HTTPS for the pre-signed URLs ECR hands out (image configuration blobs).</summary>
    public HttpClient Blobs => _blobs.Value;

    public static DiagnosisClients Create(string? region = null) => Create(new AwsClientsOptions { Region = region });

    public static DiagnosisClients Create(AwsClientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DiagnosisClients(options);
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
        LazyClient.DisposeIfCreated(_ecr);
        LazyClient.DisposeIfCreated(_logs);
        LazyClient.DisposeIfCreated(_efs);
        LazyClient.DisposeIfCreated(_iam);
        LazyClient.DisposeIfCreated(_secretsManager);
        LazyClient.DisposeIfCreated(_ssm);
        LazyClient.DisposeIfCreated(_kms);
        LazyClient.DisposeIfCreated(_blobs);
        LazyClient.DisposeIfCreated(_ecs);
    }

    private T Configure<T>(T config)
        where T : ClientConfig => _options.Configure(config);

    // The adapters are created on first use so that a run that never reads ECR never builds its client.
    private sealed class LazyRegistry(DiagnosisClients clients) : IRegistryInspector
    {
        public Task<Context.EcrImageFacts> DescribeImageAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken) =>
            new EcrRegistryAdapter(clients.Ecr).DescribeImageAsync(registryId, repository, tag, digest, cancellationToken);

        public Task<IReadOnlyList<string>?> ListPlatformsAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken) =>
            new EcrRegistryAdapter(clients.Ecr).ListPlatformsAsync(registryId, repository, tag, digest, cancellationToken);

        public Task<string?> ConfigDigestAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken) =>
            new EcrRegistryAdapter(clients.Ecr).ConfigDigestAsync(registryId, repository, tag, digest, cancellationToken);

        public Task<string?> ConfigPlatformAsync(string registryId, string repository, string configDigest, CancellationToken cancellationToken) =>
            new EcrRegistryAdapter(clients.Ecr, clients.Blobs).ConfigPlatformAsync(registryId, repository, configDigest, cancellationToken);
    }

    private sealed class LazyIam(DiagnosisClients clients) : IIamInspector
    {
        public Task<IReadOnlyList<Context.PermissionDecision>> SimulateAsync(string principalArn, IReadOnlyList<string> actions, IReadOnlyList<string> resources, CancellationToken cancellationToken) =>
            new IamPolicySimulatorAdapter(clients.Iam).SimulateAsync(principalArn, actions, resources, cancellationToken);
    }

    private sealed class LazyLogs(DiagnosisClients clients) : ILogsInspector
    {
        public Task<Context.LogGroupFacts?> FindLogGroupAsync(string logGroupName, CancellationToken cancellationToken) =>
            new LogsAdapter(clients.Logs).FindLogGroupAsync(logGroupName, cancellationToken);
    }

    private sealed class LazyEfs(DiagnosisClients clients) : IEfsInspector
    {
        public Task<IReadOnlyList<Context.MountTargetFacts>> DescribeMountTargetsAsync(string fileSystemId, CancellationToken cancellationToken) =>
            new EfsAdapter(clients.Efs).DescribeMountTargetsAsync(fileSystemId, cancellationToken);

        public Task<IReadOnlyList<string>> DescribeMountTargetSecurityGroupsAsync(string mountTargetId, CancellationToken cancellationToken) =>
            new EfsAdapter(clients.Efs).DescribeMountTargetSecurityGroupsAsync(mountTargetId, cancellationToken);
    }

    private sealed class LazyClusters(DiagnosisClients clients) : IClusterInspector
    {
        public Task<Context.ClusterFacts?> DescribeClusterAsync(string cluster, CancellationToken cancellationToken) =>
            new EcsClusterAdapter(clients.Ecs).DescribeClusterAsync(cluster, cancellationToken);

        public Task<Context.CapacityProviderLookup> DescribeCapacityProvidersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
            new EcsClusterAdapter(clients.Ecs).DescribeCapacityProvidersAsync(names, cancellationToken);
    }

    // Each call builds only the client it needs: a task without secrets never builds any of the three.
    private sealed class LazySecretKeys(DiagnosisClients clients) : ISecretKeyInspector
    {
        private readonly SecretKeyAdapter _adapter = new(() => clients.SecretsManager, () => clients.Ssm, () => clients.Kms);

        public Task<Context.SecretEncryption> DescribeSecretAsync(string secretArn, CancellationToken cancellationToken) =>
            _adapter.DescribeSecretAsync(secretArn, cancellationToken);

        public Task<IReadOnlyList<Context.ParameterEncryption>> DescribeParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
            _adapter.DescribeParametersAsync(names, cancellationToken);

        public Task<Context.KmsKeyFacts?> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) =>
            _adapter.DescribeKeyAsync(keyId, cancellationToken);
    }
}
