using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The secrets and keys area: the KMS key of the secrets, and the references themselves.</summary>
internal sealed class SecretKeySteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.EnableKmsKey, FixId.FixSecretReference];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        switch (fix)
        {
            case FixId.EnableKmsKey:
                var key = t.UnusableKey?.KeyArn ?? "<kms-key-arn>";
                yield return NextStep.Check("Show the state of the KMS key that encrypts the task's secrets", Fact.KeyState,
                    "aws", "kms", "describe-key", "--region", r, "--key-id", key, "--query", "KeyMetadata.{state:KeyState,deletionDate:DeletionDate,origin:Origin,keyStore:CustomKeyStoreId}");
                switch (t.UnusableKey?.KeyState)
                {
                    case "PendingImport":
                        yield return NextStep.Change("The key has no key material: get the wrapping key and import token, then import the material",
                            "aws", "kms", "get-parameters-for-import", "--region", r, "--key-id", key, "--wrapping-algorithm", "RSAES_OAEP_SHA_256", "--wrapping-key-spec", "RSA_4096");
                        break;
                    case "Unavailable":
                        yield return NextStep.Change("The key lives in a custom key store that is disconnected: reconnect it",
                            "aws", "kms", "connect-custom-key-store", "--region", r, "--custom-key-store-id", "<custom-key-store-id>");
                        break;
                    case "Creating" or "Updating":
                        yield return NextStep.Check("The key is being created or updated: wait until its state is Enabled, then start the tasks again", null,
                            "aws", "kms", "describe-key", "--region", r, "--key-id", key, "--query", "KeyMetadata.KeyState");
                        break;
                    default:
                        if (t.UnusableKey?.KeyState is null or "PendingDeletion" or "PendingReplicaDeletion")
                        {
                            yield return NextStep.Change("Cancel the scheduled deletion of the key (it is then Disabled)",
                                "aws", "kms", "cancel-key-deletion", "--region", r, "--key-id", key);
                        }

                        yield return NextStep.Change("Enable the key so the execution role can decrypt the secrets again",
                            "aws", "kms", "enable-key", "--region", r, "--key-id", key);
                        break;
                }

                break;
            case FixId.FixSecretReference:
                foreach (var arn in SecretsToCheck(t, c))
                {
                    yield return arn.Contains(":ssm:", StringComparison.Ordinal) || !(arn.StartsWith("arn:", StringComparison.Ordinal) || arn.StartsWith('<'))
                        ? NextStep.Check("Check that the parameter exists", null, "aws", "ssm", "get-parameters", "--region", r, "--names", arn, "--query", "InvalidParameters")
                        : NextStep.Check("Check that the secret exists", null, "aws", "secretsmanager", "describe-secret", "--region", r, "--secret-id", arn);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }

    /// <summary>
    /// The secrets and parameters to look up: those of the task definition the stop message names, else all of the
    /// task definition's, else the placeholder. A secret is named by its own ARN (without a JSON key, stage or version).
    /// </summary>
    private static IReadOnlyList<string> SecretsToCheck(CommandTargets t, ClassificationResult c)
    {
        var known = t.SecretReferences.Count > 0 ? t.SecretReferences : t.SecretArns;
        var named = known.Where(k => (c.Evidence.SecretArns ?? []).Any(a => string.Equals(a, k, StringComparison.Ordinal)
            || (Diagnosis.RolePermissions.IsSecretsManager(k) && string.Equals(a, Diagnosis.RolePermissions.SecretArn(k), StringComparison.Ordinal)))).ToList();
        IEnumerable<string> chosen = named.Count > 0 ? named : known;
        return [.. chosen.Select(k => Diagnosis.RolePermissions.IsSecretsManager(k) ? Diagnosis.RolePermissions.SecretArn(k) : k)
            .Distinct(StringComparer.Ordinal)
            .DefaultIfEmpty("<secret-or-parameter-arn>")];
    }
}
