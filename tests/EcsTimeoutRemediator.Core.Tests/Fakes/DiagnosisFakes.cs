using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
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

    /// <summary>ECR: "registry/repo:tag" of a single-platform image → the platform its configuration blob records.</summary>
    public Dictionary<string, string> ConfigPlatforms { get; } = [];

    /// <summary>ECR's protocol, as the adapter drives it: the list of a multi-platform image (BatchGetImage); the configuration digest (BatchGetImage), then the blob (GetDownloadUrlForLayer) of a single-platform one.</summary>
    public async Task<IReadOnlyList<string>?> PlatformsOfAsync(ImageReference image, EcrImageFacts described, IReadMeter reads, CancellationToken cancellationToken)
    {
        var registryId = image.RegistryId ?? described.RegistryId;
        var key = $"{registryId}/{image.Repository}:{image.Tag ?? image.Digest}";
        var reference = $"{image.Registry}/{image.Repository}:{image.Tag ?? image.Digest}";
        if (described.IsMultiPlatform)
        {
            return await reads.ReadAsync("ecr:BatchGetImage", reference, "its platforms are not checked",
                () => Task.FromResult(Call("ecr:BatchGetImage", () => ImagePlatforms.GetValueOrDefault(key))));
        }

        var configDigest = await reads.ReadAsync("ecr:BatchGetImage", reference, "its platform is not checked",
            () => Task.FromResult(Call("ecr:BatchGetImage", () => ConfigPlatforms.ContainsKey(key) ? "sha256:config-" + key : null)));
        if (configDigest is null)
        {
            return null;
        }

        var platform = await reads.ReadAsync("ecr:GetDownloadUrlForLayer", $"{image.Registry}/{image.Repository}@{configDigest}", "its platform is not checked",
            () => Task.FromResult(Call("ecr:GetDownloadUrlForLayer", () => ConfigPlatforms.GetValueOrDefault(configDigest["sha256:config-".Length..]))));
        return platform is null ? null : [platform];
    }

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

    /// <summary>
    /// The adapter's protocol over the in-memory services: DescribeSecret per secret (at most 4), one
    /// DescribeParameters naming at most 50 parameter names, DescribeKey per distinct key other than an AWS managed alias.
    /// </summary>
    public async Task<IReadOnlyList<ResourceKeyReference>> KeysOfAsync(IReadOnlyList<string> secrets, IReadOnlyList<string> parameters, IReadMeter reads, CancellationToken cancellationToken)
    {
        const int MaxSecrets = 4;
        const int MaxNames = 50;
        var keyed = new List<(string Resource, string KeyId)>();
        for (var i = 0; i < secrets.Count; i++)
        {
            var arn = secrets[i];
            if (i >= MaxSecrets)
            {
                reads.Skip("secretsmanager:DescribeSecret", arn, $"at most {MaxSecrets} secrets are described per event; its KMS key is not checked");
                continue;
            }

            var secret = await reads.ReadAsync("secretsmanager:DescribeSecret", arn, "its KMS key is not checked", () => Task.FromResult(Call("secretsmanager:DescribeSecret", () =>
                Secrets.TryGetValue(arn, out var keyId) ? new SecretEncryption(true, keyId) : new SecretEncryption(false, null))));
            if (secret is { Exists: true, KmsKeyId: { } keyId } && !RolePermissions.IsAwsManagedAlias(keyId))
            {
                keyed.Add((arn, keyId));
            }
        }

        if (parameters.Count > 0)
        {
            var asked = parameters.TakeWhile((_, n) => parameters.Take(n + 1).SelectMany(RolePermissions.ParameterNames).Distinct(StringComparer.Ordinal).Count() <= MaxNames).ToList();
            foreach (var arn in parameters.Skip(asked.Count))
            {
                reads.Skip("ssm:DescribeParameters", arn, $"one call names at most {MaxNames} parameters; its KMS key is not checked");
            }

            IReadOnlyList<string> names = [.. asked.SelectMany(RolePermissions.ParameterNames).Distinct(StringComparer.Ordinal)];
            var found = await reads.ReadAsync("ssm:DescribeParameters", string.Join(',', names), "their KMS keys are not checked",
                () => Task.FromResult(Call<IReadOnlyList<ParameterEncryption>>("ssm:DescribeParameters", () => [.. Parameters.Where(p => names.Contains(p.Name))])));
            foreach (var arn in asked)
            {
                var spellings = RolePermissions.ParameterNames(arn);
                if ((found ?? []).FirstOrDefault(p => spellings.Contains(p.Name, StringComparer.Ordinal)) is { Type: "SecureString", KeyId: { } keyId }
                    && !RolePermissions.IsAwsManagedAlias(keyId))
                {
                    keyed.Add((arn, keyId));
                }
            }
        }

        var references = new List<ResourceKeyReference>();
        foreach (var byKey in keyed.GroupBy(k => k.KeyId, StringComparer.Ordinal))
        {
            var (described, key) = await reads.ReadAsync<(bool Described, KmsKeyFacts? Key)>("kms:DescribeKey", byKey.Key, "the key's state is not checked",
                () => Task.FromResult<(bool, KmsKeyFacts?)>((true, Call("kms:DescribeKey", () => KmsKeys.GetValueOrDefault(byKey.Key)))));
            references.AddRange(byKey.Select(k => new ResourceKeyReference(k.Resource, k.KeyId, described, key)));
        }

        return references;
    }

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
