using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Kms;
using EcsTimeoutRemediator.Aws.Clients.Runtime;
using EcsTimeoutRemediator.Aws.Clients.SecretsManager;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="ISecretKeyInspector"/> over the Secrets Manager and KMS clients and AWSSDK.SimpleSystemsManagement:
/// a secret, parameter or key that does not exist is a fact, never an exception. The keys of a task's secrets and
/// parameters take one DescribeSecret per secret (Secrets Manager has no batch describe), one DescribeParameters
/// for every parameter (SSM takes at most 50 names in one filter), and one DescribeKey per distinct key.
/// </summary>
public sealed class SecretKeyAdapter : ISecretKeyInspector
{
    /// <summary>Secrets Manager has no batch describe: at most this many DescribeSecret calls per run.</summary>
    public const int MaxSecretsPerRun = 4;

    /// <summary>DescribeParameters takes at most 50 values per filter and returns at most 50 parameters per page.</summary>
    private const int MaxNames = 50;

    /// <summary>SSM pages even an exact-name answer (best effort, as few as this many per page): enough pages are followed for the names asked, no more.</summary>
    private const int SmallestPage = 10;

    private readonly Func<ISecretsManagerClient> _secrets;
    private readonly Func<IAmazonSimpleSystemsManagement> _ssm;
    private readonly Func<IKmsClient> _kms;

    public SecretKeyAdapter(ISecretsManagerClient secrets, IAmazonSimpleSystemsManagement ssm, IKmsClient kms)
        : this(() => secrets, () => ssm, () => kms)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(ssm);
        ArgumentNullException.ThrowIfNull(kms);
    }

    /// <summary>Each client is asked for on the first call that needs it (<see cref="AwsClients"/> builds them lazily).</summary>
    internal SecretKeyAdapter(Func<ISecretsManagerClient> secrets, Func<IAmazonSimpleSystemsManagement> ssm, Func<IKmsClient> kms)
    {
        _secrets = secrets;
        _ssm = ssm;
        _kms = kms;
    }

    public async Task<IReadOnlyList<ResourceKeyReference>> KeysOfAsync(IReadOnlyList<string> secrets, IReadOnlyList<string> parameters, IReadMeter reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(reads);
        var keyed = new List<(string Resource, string KeyId)>();
        for (var i = 0; i < secrets.Count; i++)
        {
            var arn = secrets[i];
            if (i >= MaxSecretsPerRun)
            {
                reads.Skip("secretsmanager:DescribeSecret", arn, $"at most {MaxSecretsPerRun} secrets are described per event; its KMS key is not checked");
                continue;
            }

            var secret = await reads.ReadAsync("secretsmanager:DescribeSecret", arn, "its KMS key is not checked",
                () => DescribeSecretAsync(arn, cancellationToken)).ConfigureAwait(false);
            if (secret is { Exists: true, KmsKeyId: { } keyId } && !RolePermissions.IsAwsManagedAlias(keyId))
            {
                keyed.Add((arn, keyId));
            }
        }

        if (parameters.Count > 0)
        {
            // Both spellings of a parameter must fit in the one call, or the parameter is left unread.
            var asked = parameters.TakeWhile((_, n) => parameters.Take(n + 1).SelectMany(RolePermissions.ParameterNames).Distinct(StringComparer.Ordinal).Count() <= MaxNames).ToList();
            foreach (var arn in parameters.Skip(asked.Count))
            {
                reads.Skip("ssm:DescribeParameters", arn, $"one call names at most {MaxNames} parameters; its KMS key is not checked");
            }

            IReadOnlyList<string> names = [.. asked.SelectMany(RolePermissions.ParameterNames).Distinct(StringComparer.Ordinal)];
            var found = await reads.ReadAsync("ssm:DescribeParameters", string.Join(',', names), "their KMS keys are not checked",
                () => DescribeParametersAsync(names, cancellationToken)).ConfigureAwait(false);
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
            // Not described (denied, or the budget kept for what follows): the default, (false, null).
            var (described, key) = await reads.ReadAsync<(bool Described, KmsKeyFacts? Key)>("kms:DescribeKey", byKey.Key, "the key's state is not checked",
                async () => (true, await DescribeKeyAsync(byKey.Key, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
            references.AddRange(byKey.Select(k => new ResourceKeyReference(k.Resource, k.KeyId, described, key)));
        }

        return references;
    }

    public async Task<SecretEncryption> DescribeSecretAsync(string secretArn, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretArn);
        try
        {
            var secret = await Denials.Guard("secretsmanager:DescribeSecret", () => _secrets().DescribeSecretAsync(
                new DescribeSecretRequest { SecretId = secretArn }, cancellationToken)).ConfigureAwait(false);
            return new SecretEncryption(Exists: true, string.IsNullOrEmpty(secret.KmsKeyId) ? null : secret.KmsKeyId);
        }
        catch (AwsApiException ex) when (ex.IsNotFound && ex.ErrorCode == "ResourceNotFoundException")
        {
            return new SecretEncryption(Exists: false, KmsKeyId: null);
        }
    }

    public async Task<IReadOnlyList<ParameterEncryption>> DescribeParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = names.Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).ToList();
        var result = new List<ParameterEncryption>();
        foreach (var chunk in wanted.Chunk(MaxNames))
        {
            result.AddRange(await Denials.Guard("ssm:DescribeParameters", () => DescribeChunkAsync(chunk, cancellationToken)).ConfigureAwait(false));
        }

        return result;
    }

    public async Task<KmsKeyFacts?> DescribeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        try
        {
            var response = await Denials.Guard("kms:DescribeKey", () => _kms().DescribeKeyAsync(
                new DescribeKeyRequest { KeyId = keyId }, cancellationToken)).ConfigureAwait(false);
            return response.KeyMetadata is { } key
                ? new KmsKeyFacts(key.Arn ?? keyId, string.Equals(key.KeyManager, "CUSTOMER", StringComparison.Ordinal), key.KeyState)
                : null;
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<ParameterEncryption>> DescribeChunkAsync(string[] names, CancellationToken cancellationToken)
    {
        var ssm = _ssm();
        var request = new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Option = "Equals", Values = [.. names] }],
            MaxResults = MaxNames,
        };
        var pages = Math.Max(1, (names.Length + SmallestPage - 1) / SmallestPage);
        return await Paging.WithinAsync("DescribeParameters", async token =>
        {
            request.NextToken = token;
            var response = await ssm.DescribeParametersAsync(request, cancellationToken).ConfigureAwait(false);
            return new Page<ParameterEncryption>((response.Parameters ?? []).Select(p => new ParameterEncryption(
                p.Name, p.Type?.Value ?? "", string.IsNullOrEmpty(p.KeyId) ? null : p.KeyId)), response.NextToken);
        }, pages).ConfigureAwait(false);
    }
}
