using Amazon;
using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.Aws.Clients.Efs;
using EcsTimeoutRemediator.Aws.Clients.Iam;
using EcsTimeoutRemediator.Aws.Clients.Logs;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// The clients of the root-cause checks (ECR, CloudWatch Logs, EFS, IAM), configured like <see cref="AwsClients"/>
/// and built on first use, once per execution environment.
/// </summary>
public sealed class DiagnosisClients : IDisposable
{
    private readonly AwsClientsOptions _options;
    private readonly Lazy<EcrClient> _ecr;
    private readonly Lazy<LogsClient> _logs;
    private readonly Lazy<EfsClient> _efs;
    private readonly Lazy<IamClient> _iam;

    private DiagnosisClients(AwsClientsOptions options)
    {
        _options = options;
        _ecr = new(() => new EcrClient(options.Credentials, Configure(new EcrClientConfig())));
        _logs = new(() => new LogsClient(options.Credentials, Configure(new LogsClientConfig())));
        _efs = new(() => new EfsClient(options.Credentials, Configure(new EfsClientConfig())));
        _iam = new(() => new IamClient(options.Credentials, Configure(new IamClientConfig())));
    }

    public EcrClient Ecr => _ecr.Value;

    public LogsClient Logs => _logs.Value;

    public EfsClient Efs => _efs.Value;

    /// <summary>IAM on its global endpoint, signed for us-east-1 whatever the region (unless a signing region is set).</summary>
    public IamClient Iam => _iam.Value;

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
        new LazyEfs(this));

    public void Dispose()
    {
        if (_ecr.IsValueCreated)
        {
            _ecr.Value.Dispose();
        }

        if (_logs.IsValueCreated)
        {
            _logs.Value.Dispose();
        }

        if (_efs.IsValueCreated)
        {
            _efs.Value.Dispose();
        }

        if (_iam.IsValueCreated)
        {
            _iam.Value.Dispose();
        }
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
}
