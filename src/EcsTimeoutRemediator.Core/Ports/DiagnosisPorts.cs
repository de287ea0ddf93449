using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Ports;

/// <summary>
/// The read accounting of one gathering run, handed to a port that answers one need with several AWS calls: the
/// port makes each call through it, so every call counts against the run's read budget, is made at most once per
/// run, and a denied call (or, for <c>doctor</c>, one AWS did not answer) becomes a gap named by that call's action.
/// </summary>
public interface IReadMeter
{
    /// <summary>
    /// One AWS call, named by its IAM action and its resource: the answer, or the default (null) when the call was
    /// denied, not answered in <c>doctor</c>, over the budget, or not made because the run keeps its last reads for
    /// a later call (then the gap says <paramref name="whatIsLost"/>).
    /// </summary>
    Task<T?> ReadAsync<T>(string action, string resource, string whatIsLost, Func<Task<T>> read);

    /// <summary>Records a call the port chose not to make, and why (a gap that was not attempted).</summary>
    void Skip(string action, string resource, string why);
}

/// <summary>What the core reads from Amazon ECR. A missing repository or image is a fact, never an exception.</summary>
public interface IRegistryInspector
{
    /// <summary>DescribeImages for one tag or digest of one repository.</summary>
    Task<EcrImageFacts> DescribeImageAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken);

    /// <summary>
    /// The platforms (<c>os/architecture[/variant]</c>) an image <paramref name="described"/> as existing was built
    /// for: every platform of a multi-platform image, the one platform of a single-platform image; null when they
    /// cannot be told. Each AWS call the answer takes goes through <paramref name="reads"/>.
    /// </summary>
    Task<IReadOnlyList<string>?> PlatformsOfAsync(ImageReference image, EcrImageFacts described, IReadMeter reads, CancellationToken cancellationToken);
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
    /// <summary>
    /// The key reference of each of these secrets and parameters (ARNs in the run's account and Region) that names a
    /// key other than an AWS managed alias, with what KMS said of that key. Each AWS call goes through
    /// <paramref name="reads"/>; a secret, parameter or key left unread is recorded there as a gap.
    /// </summary>
    Task<IReadOnlyList<ResourceKeyReference>> KeysOfAsync(IReadOnlyList<string> secrets, IReadOnlyList<string> parameters, IReadMeter reads, CancellationToken cancellationToken);
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
