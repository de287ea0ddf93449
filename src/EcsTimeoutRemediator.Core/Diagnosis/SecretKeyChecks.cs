using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>The customer managed KMS keys of the task's secrets and parameters exist and are enabled.</summary>
public static class SecretKeyChecks
{
    public static IEnumerable<Finding> Check(IReadOnlyList<SecretKeyFacts> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var byKey in keys.GroupBy(k => k.KeyArn ?? k.KeyId, StringComparer.Ordinal))
        {
            var first = byKey.First();
            var what = Sentence.Ids(byKey.Select(k => k.Resource).Distinct(StringComparer.Ordinal));
            if (first.AliasMissing)
            {
                yield return Finding.Of("secret-key", FindingStatus.Unknown,
                    Sentence.Of($"unknown (KMS alias {Sentence.Id(first.KeyId)}, named by {what}, no longer exists: values stored under it still decrypt with their own key, which cannot be named, so kms:Decrypt is not checked)"),
                    [first.KeyId, .. byKey.Select(k => k.Resource)]);
            }
            else if (!first.KeyExists)
            {
                yield return Finding.Of("secret-key", FindingStatus.Missing,
                    Sentence.Of($"KMS key {Sentence.Id(first.KeyId)}, which encrypts {what}, does not exist: the value can no longer be decrypted and must be stored again under an existing key."),
                    [byKey.Key, .. byKey.Select(k => k.Resource)], FixId.FixSecretReference)
                with { Headline = "the KMS key of a secret does not exist" };
            }
            else if (first.Key is { IsUsable: false } key)
            {
                yield return Finding.Of("secret-key", FindingStatus.Wrong,
                    Sentence.Of($"KMS key {Sentence.Id(key.KeyArn)}, which encrypts {what}, is {key.KeyState}: nothing can decrypt with it until it is enabled."),
                    [key.KeyArn, .. byKey.Select(k => k.Resource)], FixId.EnableKmsKey)
                with { Headline = $"the KMS key of a secret is {key.KeyState}" };
            }
            else if (first.Key is { } usable)
            {
                yield return Finding.Of("secret-key", FindingStatus.Ok,
                    Sentence.Of($"{what} is encrypted with customer managed KMS key {Sentence.Id(usable.KeyArn)} ({usable.KeyState}); the execution role needs kms:Decrypt on it, and the key policy must allow the role."),
                    [usable.KeyArn]);
            }
        }
    }
}

/// <summary>The secrets and keys area: the KMS keys of the task's secrets and parameters.</summary>
public sealed class SecretKeyCheck : IAreaCheck
{
    private static readonly IReadOnlyDictionary<string, string> Unread =
        UnreadNames.All("secret-key", "secretsmanager:DescribeSecret", "ssm:DescribeParameters", "kms:DescribeKey");

    public DiagnosisScope Checks => DiagnosisScope.SecretsPermissions;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && input.TaskDefinition is not null ? SecretKeyChecks.Check(input.Context.SecretKeys) : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => UnreadNames.Of(gap, Unread);
}
