using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Ports;

/// <summary>What the core reads from Amazon ECR. A missing repository or image is a fact, never an exception.</summary>
public interface IRegistryInspector
{
    /// <summary>DescribeImages for one tag or digest of one repository.</summary>
    Task<EcrImageFacts> DescribeImageAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken);

    /// <summary>BatchGetImage: the platforms (<c>os/architecture[/variant]</c>) a multi-platform image was built for; null when the manifest is not a list.</summary>
    Task<IReadOnlyList<string>?> ListPlatformsAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken);

    /// <summary>BatchGetImage of a single-platform image: the digest of its configuration blob; null when the manifest is a list or names none.</summary>
    Task<string?> ConfigDigestAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken);

    /// <summary>GetDownloadUrlForLayer of a configuration blob, then the blob: the platform (<c>os/architecture[/variant]</c>) it records; null when it records none.</summary>
    Task<string?> ConfigPlatformAsync(string registryId, string repository, string configDigest, CancellationToken cancellationToken);
}

/// <summary>What the core asks the IAM policy simulator.</summary>
public interface IIamInspector
{
    /// <summary>
    /// SimulatePrincipalPolicy: the decision of the principal's own policies for each action on each resource.
    /// A principal that does not exist is a <see cref="PermissionDecision"/> list that is empty.
    /// </summary>
    Task<IReadOnlyList<PermissionDecision>> SimulateAsync(string principalArn, IReadOnlyList<string> actions, IReadOnlyList<string> resources, CancellationToken cancellationToken);
}

/// <summary>What the core reads from CloudWatch Logs.</summary>
public interface ILogsInspector
{
    /// <summary>The log group of exactly this name, or null.</summary>
    Task<LogGroupFacts?> FindLogGroupAsync(string logGroupName, CancellationToken cancellationToken);
}

/// <summary>What the core reads from Amazon EFS. An unknown file system has no mount targets.</summary>
public interface IEfsInspector
{
    Task<IReadOnlyList<MountTargetFacts>> DescribeMountTargetsAsync(string fileSystemId, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> DescribeMountTargetSecurityGroupsAsync(string mountTargetId, CancellationToken cancellationToken);
}

/// <summary>
/// Which KMS key encrypts the secrets and parameters a task reads, and whether that key is usable. A secret,
/// parameter or key that does not exist is a fact, never an exception.
/// </summary>
public interface ISecretKeyInspector
{
    /// <summary>Secrets Manager DescribeSecret of one secret ARN.</summary>
    Task<SecretEncryption> DescribeSecretAsync(string secretArn, CancellationToken cancellationToken);

    /// <summary>SSM DescribeParameters filtered on these exact names (at most 50): the parameters that exist.</summary>
    Task<IReadOnlyList<ParameterEncryption>> DescribeParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>KMS DescribeKey of a key id, key ARN, alias name or alias ARN; null when there is no such key.</summary>
    Task<KmsKeyFacts?> DescribeKeyAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>What the core reads about an ECS cluster and its capacity providers. A cluster that does not exist is null.</summary>
public interface IClusterInspector
{
    /// <summary>DescribeClusters of one cluster (name or ARN): its registered container instances and capacity providers.</summary>
    Task<ClusterFacts?> DescribeClusterAsync(string cluster, CancellationToken cancellationToken);

    /// <summary>DescribeCapacityProviders of these names or ARNs (at most 100): the providers found and the ones ECS reports missing.</summary>
    Task<CapacityProviderLookup> DescribeCapacityProvidersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);
}

/// <summary>The readers the root-cause checks use beyond ECS, EC2 and ELB; any may be absent (its checks then report unknown).</summary>
public sealed record DiagnosisInspectors(
    IRegistryInspector? Registry = null,
    IIamInspector? Iam = null,
    ILogsInspector? Logs = null,
    IEfsInspector? Efs = null,
    ISecretKeyInspector? SecretKeys = null,
    IClusterInspector? Clusters = null);
