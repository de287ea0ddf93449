using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>The root-cause readers of the in-memory account: network ACLs, VPC DNS, ECR, IAM, CloudWatch Logs, EFS, the keys of secrets.</summary>
public sealed partial class FakeAccount : IRegistryInspector, IIamInspector, ILogsInspector, IEfsInspector, ISecretKeyInspector, IClusterInspector
{
    /// <summary>ECS clusters by name.</summary>
    public Dictionary<string, ClusterFacts> Clusters { get; } = [];

    /// <summary>ECS capacity providers by name.</summary>
    public Dictionary<string, CapacityProviderFacts> CapacityProviders { get; } = [];

    public Task<ClusterFacts?> DescribeClusterAsync(string cluster, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecs:DescribeClusters", () => Clusters.GetValueOrDefault(EcsTimeoutRemediator.Events.ArnParts.LastSegment(cluster) ?? cluster)));

    public Task<CapacityProviderLookup> DescribeCapacityProvidersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecs:DescribeCapacityProviders", () => new CapacityProviderLookup(
            [.. names.Where(CapacityProviders.ContainsKey).Select(n => CapacityProviders[n])],
            [.. names.Where(n => !CapacityProviders.ContainsKey(n))])));

    public List<NetworkAclFacts> NetworkAcls { get; } = [];
    public bool DnsSupport { get; set; } = true;
    public bool DnsHostnames { get; set; } = true;
    public Dictionary<string, LoadBalancerSummary> LoadBalancers { get; } = [];

    /// <summary>ECR: repository (registry/repo) → its tags and digests; the manifest media type of each.</summary>
    public Dictionary<string, Dictionary<string, string>> Repositories { get; } = [];

    /// <summary>IAM: role ARN → the (action, resource) pairs its policies allow; "*" as resource allows every resource.</summary>
    public Dictionary<string, HashSet<(string Action, string Resource)>> Roles { get; } = [];

    /// <summary>ECR: "registry/repo:tag" → the platforms of its manifest list.</summary>
    public Dictionary<string, IReadOnlyList<string>> ImagePlatforms { get; } = [];

    public Task<IReadOnlyList<string>?> ListPlatformsAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecr:BatchGetImage", () => ImagePlatforms.GetValueOrDefault($"{registryId}/{repository}:{tag ?? digest}")));

    /// <summary>ECR: "registry/repo:tag" of a single-platform image → the platform its configuration blob records.</summary>
    public Dictionary<string, string> ConfigPlatforms { get; } = [];

    public Task<string?> ConfigDigestAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecr:BatchGetImage", () => ConfigPlatforms.ContainsKey($"{registryId}/{repository}:{tag ?? digest}")
            ? "sha256:config-" + $"{registryId}/{repository}:{tag ?? digest}"
            : null));

    public Task<string?> ConfigPlatformAsync(string registryId, string repository, string configDigest, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecr:GetDownloadUrlForLayer", () => ConfigPlatforms.GetValueOrDefault(configDigest["sha256:config-".Length..])));

    public HashSet<string> LogGroupNames { get; } = [];
    public List<MountTargetFacts> MountTargets { get; } = [];

    /// <summary>IAM: (role, action) → the condition keys a statement granting it needs and the simulator is not given.</summary>
    public Dictionary<(string Role, string Action), string[]> ConditionalGrants { get; } = [];

    /// <summary>Every SimulatePrincipalPolicy request: (principal, actions, resources).</summary>
    public List<(string Principal, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources)> Simulations { get; } = [];

    /// <summary>All the ports of this account, for the gatherer.</summary>
    public DiagnosisInspectors Inspectors => new(this, this, this, this, this, this);

    /// <summary>Secrets Manager: secret ARN → its KmsKeyId (null: the AWS managed key). An ARN not listed does not exist.</summary>
    public Dictionary<string, string?> Secrets { get; } = [];

    /// <summary>Parameter Store: the parameters, with their type and key.</summary>
    public List<ParameterEncryption> Parameters { get; } = [];

    /// <summary>KMS: every reference a key answers to (key id, key ARN, alias name) → the key.</summary>
    public Dictionary<string, KmsKeyFacts> KmsKeys { get; } = [];

    public Task<SecretEncryption> DescribeSecretAsync(string secretArn, CancellationToken cancellationToken) =>
        Task.FromResult(Call("secretsmanager:DescribeSecret", () =>
            Secrets.TryGetValue(secretArn, out var keyId) ? new SecretEncryption(true, keyId) : new SecretEncryption(false, null)));

    public Task<IReadOnlyList<ParameterEncryption>> DescribeParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<ParameterEncryption>>("ssm:DescribeParameters", () => [.. Parameters.Where(p => names.Contains(p.Name))]));

    public Task<KmsKeyFacts?> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(Call("kms:DescribeKey", () => KmsKeys.GetValueOrDefault(keyId)));

    public Task<IReadOnlyList<NetworkAclFacts>> DescribeNetworkAclsAsync(string vpcId, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<NetworkAclFacts>>("ec2:DescribeNetworkAcls", () => [.. NetworkAcls.Where(a => a.VpcId == vpcId)]));

    public Task<bool> DescribeVpcAttributeAsync(string vpcId, string attribute, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ec2:DescribeVpcAttribute", () => attribute == "enableDnsSupport" ? DnsSupport : DnsHostnames));

    public Task<IReadOnlyList<LoadBalancerSummary>> DescribeLoadBalancersAsync(IReadOnlyList<string> loadBalancerArns, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<LoadBalancerSummary>>("elasticloadbalancing:DescribeLoadBalancers",
            () => [.. loadBalancerArns.Where(LoadBalancers.ContainsKey).Select(a => LoadBalancers[a])]));

    public Task<EcrImageFacts> DescribeImageAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken) =>
        Task.FromResult(Call("ecr:DescribeImages", () =>
        {
            var exists = Repositories.TryGetValue($"{registryId}/{repository}", out var images);
            var key = digest ?? tag ?? "latest";
            return new EcrImageFacts(registryId, repository, tag, digest, exists, exists && images!.ContainsKey(key), exists && images!.TryGetValue(key, out var media) ? media : null);
        }));

    public Task<IReadOnlyList<PermissionDecision>> SimulateAsync(string principalArn, IReadOnlyList<string> actions, IReadOnlyList<string> resources, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<PermissionDecision>>("iam:SimulatePrincipalPolicy", () =>
        {
            Simulations.Add((principalArn, actions, resources));
            if (!Roles.TryGetValue(principalArn, out var allowed))
            {
                return [];
            }

            return [.. from a in actions
                       from r in resources
                       let granted = allowed.Contains((a, r)) || allowed.Contains((a, "*"))
                       select new PermissionDecision(a, r, granted ? "allowed" : "implicitDeny")
                       {
                           MissingContext = !granted && ConditionalGrants.TryGetValue((principalArn, a), out var keys) ? keys : [],
                       }];
        }));

    public Task<LogGroupFacts?> FindLogGroupAsync(string logGroupName, CancellationToken cancellationToken) =>
        Task.FromResult(Call("logs:DescribeLogGroups", () => LogGroupNames.Contains(logGroupName)
            ? new LogGroupFacts(logGroupName, $"arn:aws:logs:us-east-1:111122223333:log-group:{logGroupName}")
            : null));

    public Task<IReadOnlyList<MountTargetFacts>> DescribeMountTargetsAsync(string fileSystemId, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<MountTargetFacts>>("elasticfilesystem:DescribeMountTargets",
            () => [.. MountTargets.Where(m => m.FileSystemId == fileSystemId).Select(m => m with { SecurityGroups = [] })]));

    public Task<IReadOnlyList<string>> DescribeMountTargetSecurityGroupsAsync(string mountTargetId, CancellationToken cancellationToken) =>
        Task.FromResult(Call<IReadOnlyList<string>>("elasticfilesystem:DescribeMountTargetSecurityGroups",
            () => MountTargets.FirstOrDefault(m => m.MountTargetId == mountTargetId)?.SecurityGroups ?? []));
}
