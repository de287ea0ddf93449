using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

public class RolePermissionsTests
{
    [Fact]
    public void SecretArn_WhenTheReferenceNamesAJsonKey_ShouldReturnTheSecretsOwnArn() =>
        Assert.Equal("arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf",
            RolePermissions.SecretArn("arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf:password::"));

    [Theory]
    [InlineData("/payments/db-url", "arn:aws:ssm:eu-west-1:1:parameter/payments/db-url")]
    [InlineData("db-url", "arn:aws:ssm:eu-west-1:1:parameter/db-url")]
    [InlineData("arn:aws:ssm:us-east-1:2:parameter/x", "arn:aws:ssm:us-east-1:2:parameter/x")]
    public void ParameterArn_WhenGivenANameOrArn_ShouldReturnTheParameterArn(string valueFrom, string expected) =>
        Assert.Equal(expected, RolePermissions.ParameterArn(valueFrom, "eu-west-1", "1"));

    [Fact]
    public void ForExecutionRole_WhenScopedToSecrets_ShouldAskOnlyForTheExactSecretAndParameterArns()
    {
        var td = HealthyAccount.TaskDefinition() with
        {
            Containers = [HealthyAccount.TaskDefinition().Containers[0] with { SecretValueFrom = [HealthyAccount.Secret + ":password::", "/payments/token"] }],
        };

        var required = RolePermissions.ForExecutionRole(td, "us-east-1", "111122223333", DiagnosisScope.SecretsPermissions);

        Assert.Equal(
            [
                new RequiredPermission(RolePermissions.GetSecretValue, HealthyAccount.Secret, "secrets of api"),
                new RequiredPermission(RolePermissions.GetParameters, "arn:aws:ssm:us-east-1:111122223333:parameter/payments/token", "secrets of api"),
            ],
            required);
    }

    [Fact]
    public void PolicyJson_WhenActionsShareResources_ShouldGroupThemInOneStatement()
    {
        var json = RolePermissions.PolicyJson(
        [
            new RequiredPermission("ecr:BatchGetImage", "arn:repo", ""),
            new RequiredPermission("ecr:GetDownloadUrlForLayer", "arn:repo", ""),
            new RequiredPermission("ecr:GetAuthorizationToken", "*", ""),
        ]);

        Assert.Equal(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],\"Resource\":\"arn:repo\"},{\"Effect\":\"Allow\",\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}]}",
            json);
    }

    [Fact]
    public void DecisionFor_WhenTheSimulatorGavePerResourceDecisions_ShouldPickTheOneForTheResource()
    {
        var permission = new RequiredPermission("secretsmanager:GetSecretValue", "arn:b", "");

        var decision = RolePermissions.DecisionFor(permission,
        [
            new PermissionDecision("secretsmanager:GetSecretValue", "arn:a", "allowed"),
            new PermissionDecision("secretsmanager:GetSecretValue", "arn:b", "explicitDeny"),
        ]);

        Assert.Equal("explicitDeny", decision!.Decision);
    }

    [Theory]
    [InlineData("10.0.0.0/16", "10.0.12.0/24", true)]
    [InlineData("10.0.12.0/24", "10.0.0.0/16", false)]
    [InlineData("0.0.0.0/0", "10.0.12.0/24", true)]
    [InlineData("10.1.0.0/16", "10.0.12.0/24", false)]
    public void Contains_WhenComparingBlocks_ShouldHoldOnlyForInnerBlocks(string outer, string inner, bool expected)
    {
        Assert.True(Cidr.TryParse(outer, out var o));
        Assert.True(Cidr.TryParse(inner, out var i));

        Assert.Equal(expected, o.Contains(i));
    }

    [Fact]
    public void Decide_WhenRulesOverlap_ShouldLetTheLowestRuleNumberWin()
    {
        var acl = new NetworkAclFacts("acl-1", "vpc-1", false, [],
        [
            new NetworkAclEntry(200, true, "6", "0.0.0.0/0", 443, 443, true),
            new NetworkAclEntry(100, true, "6", "0.0.0.0/0", 0, 1024, false),
        ]);

        Assert.False(acl.Allows(egress: true, 443, Cidr.Anywhere));
        Assert.Equal(100, acl.Decide(egress: true, 443, Cidr.Anywhere)!.RuleNumber);
        Assert.False(acl.Allows(egress: false, 443, Cidr.Anywhere));
    }

    [Theory]
    [InlineData("arn:aws:kms:eu-west-1:444455556666:key/abcd", "arn:aws:kms:eu-west-1:444455556666:key/abcd")]
    [InlineData("abcd-12", "arn:aws:kms:us-east-1:111122223333:key/abcd-12")]
    [InlineData("alias/app", null)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:alias/app", null)]
    public void KeyArnOf_WhenGivenEachFormOfKeyReference_ShouldNameTheKeyArnOnlyWhenTheReferenceDoes(string keyId, string? expected)
    {
        Assert.Equal(expected, RolePermissions.KeyArnOf(keyId, "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"));
    }

    [Theory]
    [InlineData("arn:aws:ssm:us-east-1:111122223333:parameter/prod/db/password", new[] { "/prod/db/password" })]
    [InlineData("arn:aws:ssm:us-east-1:111122223333:parameter/dbpassword", new[] { "dbpassword", "/dbpassword" })]
    public void ParameterNames_WhenGivenAParameterArn_ShouldGiveEveryNameItCanStandFor(string arn, string[] expected)
    {
        Assert.Equal(expected, RolePermissions.ParameterNames(arn));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("alias/aws/secretsmanager", true)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:alias/aws/ssm", true)]
    [InlineData("alias/app-secrets", false)]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab", false)]
    public void IsAwsManagedAlias_WhenGivenAKeyReference_ShouldTellTheAwsManagedKeys(string? keyId, bool expected)
    {
        Assert.Equal(expected, RolePermissions.IsAwsManagedAlias(keyId));
    }

    [Fact]
    public void WithKeyDecrypt_WhenOnlyOneOfTwoSecretsHasAKnownKey_ShouldAddDecryptForThatKeyOnly()
    {
        IReadOnlyList<RequiredPermission> required =
        [
            new(RolePermissions.GetSecretValue, "arn:aws:secretsmanager:us-east-1:1:secret:a", "secrets of api"),
            new(RolePermissions.GetParameters, "arn:aws:ssm:us-east-1:1:parameter/b", "secrets of api"),
            new(RolePermissions.PutLogEvents, "arn:aws:logs:us-east-1:1:log-group:g:log-stream:x", "awslogs of api"),
        ];
        IReadOnlyList<SecretKeyFacts> keys =
        [
            new("arn:aws:secretsmanager:us-east-1:1:secret:a", "k1", "arn:aws:kms:us-east-1:1:key/k1", null),
            new("arn:aws:ssm:us-east-1:1:parameter/b", "alias/unresolved", null, null),
        ];

        var result = RolePermissions.WithKeyDecrypt(required, keys);

        var decrypt = Assert.Single(result, p => p.Action == RolePermissions.Decrypt);
        Assert.Equal("arn:aws:kms:us-east-1:1:key/k1", decrypt.Resource);
        Assert.Equal(required.Count + 1, result.Count);
    }

    [Theory]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("cn-northwest-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("us-iso-east-1", "aws-iso")]
    [InlineData("us-isob-east-1", "aws-iso-b")]
    [InlineData("eu-west-1", "aws")]
    [InlineData("us-east-1", "aws")]
    [InlineData(null, "aws")]
    public void PartitionOf_WhenGivenARegion_ShouldNameItsPartition(string? region, string expected) =>
        Assert.Equal(expected, ArnParts.PartitionOf(region));

    [Theory]
    [InlineData("cn-north-1", "amazonaws.com.cn", "aws-cn")]
    [InlineData("us-gov-west-1", "amazonaws.com", "aws-us-gov")]
    [InlineData("eu-west-1", "amazonaws.com", "aws")]
    public void ForExecutionRole_WhenTheTaskRunsInARegion_ShouldBuildEveryArnInThatRegionsPartition(string region, string dnsSuffix, string partition)
    {
        var container = HealthyAccount.TaskDefinition().Containers[0] with
        {
            Image = $"111122223333.dkr.ecr.{region}.{dnsSuffix}/payments/api:1.42.0",
            LogOptions = new Dictionary<string, string> { ["awslogs-group"] = "/ecs/api", ["awslogs-region"] = region, ["awslogs-stream-prefix"] = "api", ["awslogs-create-group"] = "true" },
            SecretValueFrom = ["/payments/token"],
        };
        var td = HealthyAccount.TaskDefinition() with
        {
            Containers = [container],
            EfsVolumes = [new EfsVolumeFacts("data", "fs-0123", null, IamAuthorization: true, TransitEncryption: true)],
        };
        var all = DiagnosisScope.EcrPermissions | DiagnosisScope.LogsPermissions | DiagnosisScope.LogGroup | DiagnosisScope.SecretsPermissions;

        var execution = RolePermissions.ForExecutionRole(td, region, "111122223333", all);
        var task = RolePermissions.ForTaskRole(td, region, "111122223333");

        var resources = execution.Concat(task).Select(p => p.Resource).Where(r => r != "*").Distinct().ToList();
        Assert.Equal(
            [
                $"arn:{partition}:ecr:{region}:111122223333:repository/payments/api",
                $"arn:{partition}:logs:{region}:111122223333:log-group:/ecs/api:log-stream:api/api/task",
                $"arn:{partition}:logs:{region}:111122223333:log-group:/ecs/api:*",
                $"arn:{partition}:ssm:{region}:111122223333:parameter/payments/token",
                $"arn:{partition}:elasticfilesystem:{region}:111122223333:file-system/fs-0123",
            ],
            resources);
    }

    [Theory]
    [InlineData("cn-north-1", "arn:aws-cn:ssm:cn-north-1:1:parameter/db")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:ssm:us-gov-west-1:1:parameter/db")]
    [InlineData("eu-west-1", "arn:aws:ssm:eu-west-1:1:parameter/db")]
    public void ParameterArn_WhenGivenANameInARegion_ShouldUseThatRegionsPartition(string region, string expected) =>
        Assert.Equal(expected, RolePermissions.ParameterArn("db", region, "1"));
}
