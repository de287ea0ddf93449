namespace EcsTimeoutRemediator.Context;

/// <summary>One entry of a network ACL: evaluated in ascending rule number, the first match decides.</summary>
public sealed record NetworkAclEntry(int RuleNumber, bool Egress, string Protocol, string? CidrBlock, int? FromPort, int? ToPort, bool Allow)
{
    /// <summary>True when this entry applies to TCP traffic on <paramref name="port"/> to or from <paramref name="peer"/>.</summary>
    public bool Matches(int port, Cidr peer)
    {
        var protocolMatches = Protocol is "-1" or "all" || Protocol is "6" or "tcp";
        var portMatches = Protocol is "-1" or "all" || ((FromPort ?? 0) <= port && port <= (ToPort ?? 65535));
        return protocolMatches && portMatches && Cidr.TryParse(CidrBlock, out var range) && range.Contains(peer);
    }
}

/// <summary>A network ACL and the subnets associated with it.</summary>
public sealed record NetworkAclFacts(string NetworkAclId, string VpcId, bool IsDefault, IReadOnlyList<string> SubnetIds, IReadOnlyList<NetworkAclEntry> Entries)
{
    /// <summary>The first matching entry decides; no match is the implicit deny (rule *).</summary>
    public NetworkAclEntry? Decide(bool egress, int port, Cidr peer) =>
        Entries.Where(e => e.Egress == egress).OrderBy(e => e.RuleNumber).FirstOrDefault(e => e.Matches(port, peer));

    public bool Allows(bool egress, int port, Cidr peer) => Decide(egress, port, peer)?.Allow ?? false;
}

/// <summary>A load balancer's security groups (network load balancers may have none).</summary>
public sealed record LoadBalancerSummary(string LoadBalancerArn, string? LoadBalancerName, string? Type, IReadOnlyList<string> SecurityGroups);

/// <summary>What ECR says about one image reference.</summary>
public sealed record EcrImageFacts(
    string RegistryId,
    string Repository,
    string? Tag,
    string? Digest,
    bool RepositoryExists,
    bool ImageExists,
    string? ManifestMediaType)
{
    /// <summary>True for a multi-platform image (manifest list or OCI index).</summary>
    public bool IsMultiPlatform => ManifestMediaType is { } m
        && (m.Contains("manifest.list", StringComparison.Ordinal) || m.Contains("image.index", StringComparison.Ordinal));

    /// <summary>The platforms of a multi-platform image (<c>linux/arm64</c>, …), when they were read.</summary>
    public IReadOnlyList<string>? Platforms { get; init; }
}

/// <summary>The IAM policy simulator's decision for one action on one resource ("allowed", "implicitDeny", "explicitDeny").</summary>
public sealed record PermissionDecision(string Action, string Resource, string Decision)
{
    public bool IsAllowed => string.Equals(Decision, "allowed", StringComparison.OrdinalIgnoreCase);

    /// <summary>The condition keys the simulator needed and did not have (<c>kms:ViaService</c>, …).</summary>
    public IReadOnlyList<string> MissingContext { get; init; } = [];

    /// <summary>Not allowed, but only because a condition could not be evaluated: neither granted nor denied.</summary>
    public bool IsUndecided => !IsAllowed && MissingContext.Count > 0;
}

/// <summary>One permission a role needs for the task to start, and why.</summary>
public sealed record RequiredPermission(string Action, string Resource, string Why);

/// <summary>The simulated permissions of one role.</summary>
public sealed record RolePermissionFacts(string RoleArn, IReadOnlyList<RequiredPermission> Required, IReadOnlyList<PermissionDecision> Decisions);

/// <summary>A CloudWatch Logs log group.</summary>
public sealed record LogGroupFacts(string Name, string? Arn);

/// <summary>An EFS mount target, with its security groups when they were read.</summary>
public sealed record MountTargetFacts(
    string MountTargetId,
    string FileSystemId,
    string SubnetId,
    string? AvailabilityZone,
    string? LifeCycleState,
    string? IpAddress)
{
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];
}

/// <summary>Secrets Manager DescribeSecret: whether the secret exists and the key that encrypts it (null: the AWS managed <c>aws/secretsmanager</c>).</summary>
public sealed record SecretEncryption(bool Exists, string? KmsKeyId);

/// <summary>SSM DescribeParameters: one parameter's type and, for a SecureString, the key that encrypts it.</summary>
public sealed record ParameterEncryption(string Name, string Type, string? KeyId);

/// <summary>KMS DescribeKey: the key's ARN, whether the customer manages it, and its state (Enabled, Disabled, PendingDeletion, …).</summary>
public sealed record KmsKeyFacts(string KeyArn, bool CustomerManaged, string? KeyState)
{
    public bool IsUsable => string.Equals(KeyState, "Enabled", StringComparison.Ordinal);
}

/// <summary>
/// The key reference <paramref name="KeyId"/> of one secret or parameter the task reads (<paramref name="Resource"/>,
/// its ARN), as Secrets Manager or SSM reports it, and what KMS answered when it was asked
/// (<paramref name="KeyDescribed"/>): the key, or null when KMS knows no such key or alias.
/// </summary>
public sealed record ResourceKeyReference(string Resource, string KeyId, bool KeyDescribed, KmsKeyFacts? Key);

/// <summary>
/// The customer managed key that encrypts one secret or parameter the task reads (<paramref name="Resource"/>, its ARN):
/// the execution role needs kms:Decrypt on <paramref name="KeyArn"/>. <paramref name="Key"/> is null when the key
/// could not be described (then <paramref name="KeyArn"/> comes from the reference itself), and
/// <paramref name="KeyExists"/> is false when KMS knows no such key.
/// </summary>
public sealed record SecretKeyFacts(string Resource, string KeyId, string? KeyArn, KmsKeyFacts? Key, bool KeyExists = true)
{
    /// <summary>True when the reference is an alias KMS no longer knows: the key behind it is unknown.</summary>
    public bool AliasMissing { get; init; }
}
