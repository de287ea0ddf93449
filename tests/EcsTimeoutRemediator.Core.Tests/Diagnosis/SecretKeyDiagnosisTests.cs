using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Tests.Fakes;
using static EcsTimeoutRemediator.Tests.Diagnosis.HealthyAccount;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>The customer managed KMS keys of the task's secrets: kms:Decrypt for the execution role, and the key's state.</summary>
public partial class EventDiagnosisTests
{
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string KeyArn = "arn:aws:kms:us-east-1:111122223333:key/" + KeyId;
    private const string Parameter = "arn:aws:ssm:us-east-1:111122223333:parameter/prod/refunds/stripe-key";

    /// <summary>The secrets-permission event, the task reading <see cref="HealthyAccount.Secret"/> under a customer key.</summary>
    private static (FakeAccount Account, EcsTimeoutRemediator.Events.TaskStoppedEvent Event, ClassificationResult Classification) WithCustomerKey(
        string keyReference = KeyArn, string keyState = "Enabled", bool roleMayDecrypt = false)
    {
        return ForEvent("secrets-permission", a =>
        {
            a.Secrets[Secret] = keyReference;
            var key = new KmsKeyFacts(KeyArn, CustomerManaged: true, keyState);
            a.KmsKeys[KeyArn] = key;
            a.KmsKeys[KeyId] = key;
            a.KmsKeys["alias/refunds-secrets"] = key;
            if (roleMayDecrypt)
            {
                a.Roles[ExecutionRole].Add((RolePermissions.Decrypt, KeyArn));
            }
        });
    }

    [Fact]
    public async Task Diagnose_WhenTheSecretsKeyIsCustomerManagedAndTheRoleMayNotDecrypt_ShouldLeadWithTheMissingKmsDecrypt()
    {
        var (a, e, c) = WithCustomerKey();

        var (context, findings) = await DiagnoseAsync(a, e, c);
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        var advisory = AdvisoryBuilder.Build(TaskIdentity.From(e), ranked, findings, NextSteps.For(e, ranked, context));

        Assert.Equal("execution-role", findings[0].Check);
        Assert.Equal(FindingStatus.Missing, findings[0].Status);
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" + KeyArn + "\"}]}", findings[0].Detail);
        Assert.EndsWith("(execution role lacks kms:Decrypt)", advisory.Subject, StringComparison.Ordinal);
        Assert.Contains(advisory.NextSteps, s => s.Command.Contains("aws iam put-role-policy", StringComparison.Ordinal) && s.Command.Contains(KeyArn, StringComparison.Ordinal));
        var simulation = Assert.Single(a.Simulations);
        Assert.Contains(RolePermissions.Decrypt, simulation.Actions);
        Assert.Contains(KeyArn, simulation.Resources);
    }

    [Fact]
    public async Task Diagnose_WhenTheRoleMayDecryptWithTheEnabledCustomerKey_ShouldReportTheKeyAndTheRoleOk()
    {
        var (a, e, c) = WithCustomerKey(roleMayDecrypt: true);

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.DoesNotContain(findings, f => f.IsProblem || f.Status == FindingStatus.Unknown);
        Assert.Contains(findings, f => f.Check == "execution-role" && f.Status == FindingStatus.Ok && f.Message.Contains(RolePermissions.Decrypt, StringComparison.Ordinal));
        var key = Assert.Single(findings, f => f.Check == "secret-key");
        Assert.Equal(FindingStatus.Ok, key.Status);
        Assert.Contains(KeyArn, key.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatherAsync_WhenTheSecretUsesTheAwsManagedKey_ShouldNeitherDescribeAKeyNorSimulateDecrypt()
    {
        var (a, e, c) = ForEvent("secrets-permission");

        var (context, findings) = await DiagnoseAsync(a, e, c);

        Assert.Contains("secretsmanager:DescribeSecret", a.Calls);
        Assert.DoesNotContain("kms:DescribeKey", a.Calls);
        Assert.Empty(context.SecretKeys);
        Assert.DoesNotContain(RolePermissions.Decrypt, Assert.Single(a.Simulations).Actions);
        Assert.DoesNotContain(findings, f => f.Check == "secret-key");
    }

    [Theory]
    [InlineData(KeyId)]
    [InlineData("alias/refunds-secrets")]
    [InlineData(KeyArn)]
    public async Task GatherAsync_WhenTheKeyIsNamedByIdAliasOrArn_ShouldRequireDecryptOnTheKeyArn(string reference)
    {
        var (a, e, c) = WithCustomerKey(reference);

        var (context, _) = await DiagnoseAsync(a, e, c);

        var key = Assert.Single(context.SecretKeys);
        Assert.Equal(KeyArn, key.KeyArn);
        Assert.Contains(context.ExecutionRole!.Required, p => p.Action == RolePermissions.Decrypt && p.Resource == KeyArn);
    }

    [Fact]
    public async Task GatherAsync_WhenASecureStringParameterUsesACustomerKey_ShouldFindItWithOneDescribeParameters()
    {
        var (a, e, c) = ForEvent("secrets-permission", x =>
        {
            foreach (var (arn, td) in x.TaskDefinitions.ToList())
            {
                x.TaskDefinitions[arn] = td with { Containers = [td.Containers[0] with { SecretValueFrom = [Parameter, "/prod/refunds/plain"] }] };
            }

            x.Parameters.Add(new ParameterEncryption("/prod/refunds/stripe-key", "SecureString", "alias/refunds-secrets"));
            x.Parameters.Add(new ParameterEncryption("/prod/refunds/plain", "String", null));
            x.KmsKeys["alias/refunds-secrets"] = new KmsKeyFacts(KeyArn, true, "Enabled");
        });

        var (context, findings) = await DiagnoseAsync(a, e, c);

        Assert.Equal(1, a.Calls.Count(x => x == "ssm:DescribeParameters"));
        var key = Assert.Single(context.SecretKeys);
        Assert.Equal(Parameter, key.Resource);
        Assert.Equal("execution-role", findings[0].Check);
        Assert.Contains($"\"Action\":\"kms:Decrypt\",\"Resource\":\"{KeyArn}\"", findings[0].Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Disabled", false)]
    [InlineData("PendingDeletion", true)]
    public async Task Diagnose_WhenTheSecretsKeyIsNotEnabled_ShouldNameTheKeyStateAndHowToEnableIt(string state, bool cancelDeletion)
    {
        var (a, e, c) = WithCustomerKey(keyState: state, roleMayDecrypt: true);

        var (context, findings) = await DiagnoseAsync(a, e, c);
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        var steps = NextSteps.For(e, ranked, context);

        var problem = Assert.Single(findings, f => f.IsProblem);
        Assert.Equal("secret-key", problem.Check);
        Assert.Equal(FindingStatus.Wrong, problem.Status);
        Assert.Contains(state, problem.Message, StringComparison.Ordinal);
        Assert.Equal(FixId.EnableKmsKey, ranked.Fixes[0]);
        Assert.Contains(steps, s => s.Command == $"aws kms enable-key --region us-east-1 --key-id {KeyArn}");
        Assert.Equal(cancelDeletion, steps.Any(s => s.Command == $"aws kms cancel-key-deletion --region us-east-1 --key-id {KeyArn}"));
    }

    [Fact]
    public async Task Diagnose_WhenTheSecretsKeyNoLongerExists_ShouldReportItMissing()
    {
        var (a, e, c) = ForEvent("secrets-permission", x => x.Secrets[Secret] = KeyArn);

        var (_, findings) = await DiagnoseAsync(a, e, c);

        var key = Assert.Single(findings, f => f.Check == "secret-key");
        Assert.Equal(FindingStatus.Missing, key.Status);
        Assert.Contains(KeyArn, key.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnose_WhenDescribeKeyIsDenied_ShouldReportItUnknownAndStillSimulateDecryptOnTheKeyArn()
    {
        var (a, e, c) = WithCustomerKey(KeyId);
        a.Denied.Add("kms:DescribeKey");

        var (context, findings) = await DiagnoseAsync(a, e, c);

        Assert.Contains(findings, f => f.Status == FindingStatus.Unknown && f.Message == $"unknown (missing permission kms:DescribeKey on {KeyId})");
        Assert.Contains(context.ExecutionRole!.Required, p => p.Action == RolePermissions.Decrypt && p.Resource == KeyArn);
        Assert.Equal("execution-role", findings[0].Check);
    }

    [Fact]
    public async Task GatherAsync_WhenTheTaskReadsManySecrets_ShouldStayWithinTheReadBudget()
    {
        var secrets = Enumerable.Range(1, 8).Select(i => $"arn:aws:secretsmanager:us-east-1:111122223333:secret:payments/s{i}-AbCdEf").ToList();
        var (a, e, c) = ForEvent("secrets-permission", x =>
        {
            foreach (var (arn, td) in x.TaskDefinitions.ToList())
            {
                x.TaskDefinitions[arn] = td with { Containers = [td.Containers[0] with { SecretValueFrom = secrets }] };
            }

            for (var i = 0; i < secrets.Count; i++)
            {
                x.Secrets[secrets[i]] = $"arn:aws:kms:us-east-1:111122223333:key/k{i}";
                x.KmsKeys[$"arn:aws:kms:us-east-1:111122223333:key/k{i}"] = new KmsKeyFacts($"arn:aws:kms:us-east-1:111122223333:key/k{i}", true, "Enabled");
            }
        });

        var (context, findings) = await DiagnoseAsync(a, e, c);

        Assert.InRange(a.Calls.Count, 1, ContextGatherer.MaxReadsPerEvent);
        Assert.Equal(4, a.Calls.Count(x => x == "secretsmanager:DescribeSecret"));
        Assert.Equal(1, a.Calls.Count(x => x == "iam:SimulatePrincipalPolicy"));
        Assert.NotNull(context.ExecutionRole);
        // Keys left undescribed are still checked, by the ARN the secret names.
        Assert.Equal(4, context.ExecutionRole.Required.Count(p => p.Action == RolePermissions.Decrypt));
        // Every secret and key left unread says so.
        foreach (var unread in secrets.Skip(4))
        {
            Assert.Contains(findings, f => f.Status == FindingStatus.Unknown && f.Message.StartsWith("unknown (not read: at most 4 secrets are described per event", StringComparison.Ordinal) && f.Resources.Contains(unread));
        }

        var described = a.Calls.Count(x => x == "kms:DescribeKey");
        Assert.InRange(described, 1, 3);
        Assert.Equal(4 - described, findings.Count(f => f.Status == FindingStatus.Unknown && f.Message.Contains("kms:DescribeKey", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GatherAsync_WhenASecretIsInAnotherAccount_ShouldReportItOutOfReachWithoutReadingIt()
    {
        const string Shared = "arn:aws:secretsmanager:us-east-1:444455556666:secret:shared/db-AbCdEf";
        var (a, e, c) = ForEvent("secrets-permission", x =>
        {
            foreach (var (arn, td) in x.TaskDefinitions.ToList())
            {
                x.TaskDefinitions[arn] = td with { Containers = [td.Containers[0] with { SecretValueFrom = [Shared] }] };
            }
        });

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.DoesNotContain("secretsmanager:DescribeSecret", a.Calls);
        var gap = Assert.Single(findings, f => f.Resources.Contains(Shared) && f.Status == FindingStatus.Unknown);
        Assert.Contains("outside this function's account and region", gap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnose_WhenTheSecretsKeyAliasNoLongerExists_ShouldSayTheKeyIsUnknownRatherThanGone()
    {
        var (a, e, c) = ForEvent("secrets-permission", x => x.Secrets[Secret] = "alias/retired");

        var (context, findings) = await DiagnoseAsync(a, e, c);

        var key = Assert.Single(findings, f => f.Check == "secret-key");
        Assert.Equal(FindingStatus.Unknown, key.Status);
        Assert.Contains("alias/retired", key.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.IsProblem);
        Assert.DoesNotContain(context.ExecutionRole!.Required, p => p.Action == RolePermissions.Decrypt);
    }

    [Theory]
    [InlineData("PendingImport", "aws kms get-parameters-for-import")]
    [InlineData("Unavailable", "aws kms connect-custom-key-store")]
    [InlineData("Creating", "aws kms describe-key")]
    public async Task Diagnose_WhenTheSecretsKeyCannotSimplyBeEnabled_ShouldGiveTheStepThatStateNeeds(string state, string command)
    {
        var (a, e, c) = WithCustomerKey(keyState: state, roleMayDecrypt: true);

        var (context, findings) = await DiagnoseAsync(a, e, c);
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        var steps = NextSteps.For(e, ranked, context);

        Assert.Equal(FixId.EnableKmsKey, ranked.Fixes[0]);
        Assert.Contains(steps, s => s.Command.StartsWith(command, StringComparison.Ordinal) && s.Title != "Show the state of the KMS key that encrypts the task's secrets");
        Assert.DoesNotContain(steps, s => s.Command.StartsWith("aws kms enable-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnose_WhenTheRoleMayDecryptOnlyViaAServiceTheSimulatorCannotSee_ShouldReportItUnknownNotMissing()
    {
        var (a, e, c) = WithCustomerKey();
        a.ConditionalGrants[(ExecutionRole, RolePermissions.Decrypt)] = ["kms:ViaService"];

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.DoesNotContain(findings, f => f.Check == "execution-role" && f.IsProblem);
        var unknown = Assert.Single(findings, f => f.Check == "execution-role" && f.Status == FindingStatus.Unknown);
        Assert.Contains("kms:ViaService", unknown.Message, StringComparison.Ordinal);
        Assert.Contains(KeyArn, unknown.Resources);
        Assert.Contains(findings, f => f.Check == "execution-role" && f.Status == FindingStatus.Ok && f.Message.Contains(RolePermissions.GetSecretValue, StringComparison.Ordinal));
    }
}
