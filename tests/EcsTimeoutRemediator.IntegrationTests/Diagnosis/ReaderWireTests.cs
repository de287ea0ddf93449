using System.Text.Json.Nodes;
using Amazon.SimpleSystemsManagement;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.Aws.Clients.Efs;
using EcsTimeoutRemediator.Aws.Clients.Kms;
using EcsTimeoutRemediator.Aws.Clients.Logs;
using EcsTimeoutRemediator.Aws.Clients.SecretsManager;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// The ECR, CloudWatch Logs, EFS, EC2, Secrets Manager, SSM and KMS readers of the root-cause checks against moto
/// (and a local stub for what moto cannot answer: AccessDenied, AWS managed keys).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ReaderWireTests(MotoServer moto) : IAsyncLifetime
{
    private DiagnosisWorld _world = null!;
    private AwsClients _diagnosis = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _world = await DiagnosisWorld.CreateAsync(moto);
        _diagnosis = AwsClients.Create(new AwsClientsOptions { Credentials = MotoServer.Credentials, ServiceUrl = moto.Url, AuthenticationRegion = MotoServer.Region });
    }

    public Task DisposeAsync()
    {
        _world.Dispose();
        _diagnosis.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The production secret-key reader over the clients <see cref="AwsClients.Inspectors"/> wires it with.</summary>
    private SecretKeyAdapter SecretKeys => new(_diagnosis.SecretsManager, _diagnosis.Ssm, _diagnosis.Kms);

    [Theory]
    [InlineData("shop/api", "1.42.0", true, true)]
    [InlineData("shop/api", "9.9.9", true, false)]
    [InlineData("shop/nope", "1.42.0", false, false)]
    public async Task DescribeImageAsync_WhenAskedForATag_ShouldTellWhetherTheRepositoryAndTagExist(string repository, string tag, bool repositoryExists, bool imageExists)
    {
        using var ecr = new EcrClient(MotoServer.Credentials, moto.Configure(new EcrClientConfig()));

        var facts = await new EcrRegistryAdapter(ecr).DescribeImageAsync(MotoServer.AccountId, repository, tag, null, CancellationToken.None);

        Assert.Equal(repositoryExists, facts.RepositoryExists);
        Assert.Equal(imageExists, facts.ImageExists);
        Assert.Equal(imageExists ? "application/vnd.docker.distribution.manifest.v2+json" : null, facts.ManifestMediaType);
    }

    [Fact]
    public async Task ListPlatformsAsync_WhenTheTagIsAManifestList_ShouldReturnItsPlatforms()
    {
        var list = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.docker.distribution.manifest.list.v2+json",
            ["manifests"] = new JsonArray(
                new JsonObject { ["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json", ["size"] = 1, ["digest"] = "sha256:" + new string('b', 64), ["platform"] = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" } },
                new JsonObject { ["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json", ["size"] = 1, ["digest"] = "sha256:" + new string('c', 64), ["platform"] = new JsonObject { ["architecture"] = "arm64", ["os"] = "linux", ["variant"] = "v8" } }),
        };
        await _world.Raw.JsonAsync("ecr", "AmazonEC2ContainerRegistry_V20150921.PutImage",
            new JsonObject { ["repositoryName"] = "shop/api", ["imageManifest"] = list.ToJsonString(), ["imageManifestMediaType"] = "application/vnd.docker.distribution.manifest.list.v2+json", ["imageTag"] = "multi" });
        using var ecr = new EcrClient(MotoServer.Credentials, moto.Configure(new EcrClientConfig()));
        var adapter = new EcrRegistryAdapter(ecr);

        var multi = await adapter.ListPlatformsAsync(MotoServer.AccountId, "shop/api", "multi", null, CancellationToken.None);
        var single = await adapter.ListPlatformsAsync(MotoServer.AccountId, "shop/api", "1.42.0", null, CancellationToken.None);
        var missing = await adapter.ListPlatformsAsync(MotoServer.AccountId, "shop/api", "9.9.9", null, CancellationToken.None);

        Assert.Equal(["linux/amd64", "linux/arm64/v8"], multi);
        Assert.Null(single);
        Assert.Null(missing);
    }

    [Fact]
    public async Task FindLogGroupAsync_WhenOnlyALongerNameSharesThePrefix_ShouldFindNothing()
    {
        await _world.Raw.JsonAsync("logs", "Logs_20140328.CreateLogGroup", new JsonObject { ["logGroupName"] = "/ecs/shop-api-old" });
        using var logs = new LogsClient(MotoServer.Credentials, moto.Configure(new LogsClientConfig()));
        var adapter = new LogsAdapter(logs);

        var exact = await adapter.FindLogGroupAsync(DiagnosisWorld.LogGroup, CancellationToken.None);
        var missing = await adapter.FindLogGroupAsync("/ecs/shop", CancellationToken.None);

        Assert.Equal(DiagnosisWorld.LogGroup, exact!.Name);
        Assert.StartsWith("arn:aws:logs:us-east-1:", exact.Arn, StringComparison.Ordinal);
        Assert.Null(missing);
    }

    [Fact]
    public async Task DescribeMountTargetsAsync_WhenTheFileSystemHasOne_ShouldGiveItsZoneAndSecurityGroups()
    {
        var fileSystem = await _world.CreateFileSystemAsync(_world.PrivateSubnet, _world.TaskSecurityGroup);
        using var efs = new EfsClient(MotoServer.Credentials, moto.Configure(new EfsClientConfig()));
        var adapter = new EfsAdapter(efs);

        var targets = await adapter.DescribeMountTargetsAsync(fileSystem, CancellationToken.None);
        var groups = await adapter.DescribeMountTargetSecurityGroupsAsync(targets[0].MountTargetId, CancellationToken.None);
        var unknown = await adapter.DescribeMountTargetsAsync("fs-00000000000000000", CancellationToken.None);

        var target = Assert.Single(targets);
        Assert.Equal("us-east-1b", target.AvailabilityZone);
        Assert.Equal(_world.PrivateSubnet, target.SubnetId);
        Assert.Equal([_world.TaskSecurityGroup], groups);
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task DescribeNetworkAclsAsync_WhenASubnetHasACustomAcl_ShouldGiveItsEntriesAndAssociation()
    {
        var acl = await _world.BlockOutbound443Async(_world.PublicSubnet);
        var adapter = new Ec2NetworkAdapter(_world.Ec2);

        var acls = await adapter.DescribeNetworkAclsAsync(_world.VpcId, CancellationToken.None);
        var hostnames = await adapter.DescribeVpcAttributeAsync(_world.VpcId, "enableDnsHostnames", CancellationToken.None);
        var support = await adapter.DescribeVpcAttributeAsync(_world.VpcId, "enableDnsSupport", CancellationToken.None);

        var custom = Assert.Single(acls, a => a.NetworkAclId == acl);
        Assert.Equal([_world.PublicSubnet], custom.SubnetIds);
        Assert.False(custom.IsDefault);
        var deny = Assert.Single(custom.Entries, e => e.RuleNumber == 90);
        Assert.Equal((true, false, 443, 443), (deny.Egress, deny.Allow, deny.FromPort, deny.ToPort));
        Assert.Contains(acls, a => a.IsDefault && a.SubnetIds.Contains(_world.PrivateSubnet));
        Assert.True(hostnames);
        Assert.True(support);
    }

    [Fact]
    public async Task DescribeSecretAsync_WhenTheSecretUsesACustomerKey_ShouldReturnThatKey()
    {
        var key = await CreateKeyAsync();
        var secret = await CreateSecretAsync("shop/db", (string)key["Arn"]!);

        var facts = await SecretKeys.DescribeSecretAsync(secret, CancellationToken.None);

        Assert.Equal(new SecretEncryption(Exists: true, KmsKeyId: (string)key["Arn"]!), facts);
    }

    [Fact]
    public async Task DescribeSecretAsync_WhenTheSecretUsesTheDefaultKey_ShouldReturnNoKey()
    {
        var secret = await CreateSecretAsync("shop/api-token", kmsKeyId: null);

        var facts = await SecretKeys.DescribeSecretAsync(secret, CancellationToken.None);

        Assert.Equal(new SecretEncryption(Exists: true, KmsKeyId: null), facts);
    }

    [Fact]
    public async Task DescribeSecretAsync_WhenTheSecretDoesNotExist_ShouldSayItDoesNotExist()
    {
        var facts = await SecretKeys.DescribeSecretAsync(DiagnosisWorld.Secret, CancellationToken.None);

        Assert.Equal(new SecretEncryption(Exists: false, KmsKeyId: null), facts);
    }

    [Fact]
    public async Task DescribeParametersAsync_WhenAskedForSecureAndPlainParameters_ShouldReturnTheExistingOnesWithTypeAndKey()
    {
        var key = (string)(await CreateKeyAsync())["KeyId"]!;
        await PutParameterAsync("/shop/db-password", "SecureString", key);
        await PutParameterAsync("/shop/db-host", "String", keyId: null);
        await PutParameterAsync("/shop/db-host-old", "String", keyId: null);

        var parameters = await SecretKeys.DescribeParametersAsync(["/shop/db-password", "/shop/db-host", "/shop/missing"], CancellationToken.None);

        Assert.Equal(
            [new ParameterEncryption("/shop/db-host", "String", null), new ParameterEncryption("/shop/db-password", "SecureString", key)],
            parameters.OrderBy(p => p.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task DescribeParametersAsync_WhenAskedForMoreNamesThanOneFilterTakes_ShouldReturnEveryParameter()
    {
        var names = Enumerable.Range(0, 55).Select(i => $"/shop/setting-{i:D2}").ToList();
        foreach (var name in names)
        {
            await PutParameterAsync(name, "String", keyId: null);
        }

        var parameters = await SecretKeys.DescribeParametersAsync(names, CancellationToken.None);

        Assert.Equal(names, parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(parameters, p => Assert.Equal(("String", (string?)null), (p.Type, p.KeyId)));
    }

    [Fact]
    public async Task DescribeKeyAsync_WhenAskedByKeyIdKeyArnOrAlias_ShouldReturnTheEnabledCustomerKey()
    {
        var key = await CreateKeyAsync();
        var keyArn = (string)key["Arn"]!;
        await _world.Raw.JsonAsync("kms", "TrentService.CreateAlias", new JsonObject { ["AliasName"] = "alias/xyz", ["TargetKeyId"] = (string)key["KeyId"]! });
        var expected = new KmsKeyFacts(keyArn, CustomerManaged: true, KeyState: "Enabled");

        foreach (var id in new[] { (string)key["KeyId"]!, keyArn, "alias/xyz", $"arn:aws:kms:us-east-1:{MotoServer.AccountId}:alias/xyz" })
        {
            var facts = await SecretKeys.DescribeKeyAsync(id, CancellationToken.None);

            Assert.Equal(expected, facts);
            Assert.True(facts!.IsUsable, id);
        }
    }

    [Fact]
    public async Task DescribeKeyAsync_WhenTheKeyIsDisabled_ShouldReportItDisabled()
    {
        var key = await CreateKeyAsync();
        await _world.Raw.JsonAsync("kms", "TrentService.DisableKey", new JsonObject { ["KeyId"] = (string)key["KeyId"]! });

        var facts = await SecretKeys.DescribeKeyAsync((string)key["KeyId"]!, CancellationToken.None);

        Assert.Equal(new KmsKeyFacts((string)key["Arn"]!, CustomerManaged: true, KeyState: "Disabled"), facts);
        Assert.False(facts!.IsUsable);
    }

    [Theory]
    [InlineData("0c9a1a3e-5b1e-4f7e-9d5c-2a4f6e8b0d11")]
    [InlineData("alias/does-not-exist")]
    public async Task DescribeKeyAsync_WhenTheKeyDoesNotExist_ShouldReturnNull(string keyId)
    {
        var facts = await SecretKeys.DescribeKeyAsync(keyId, CancellationToken.None);

        Assert.Null(facts);
    }

    [Fact]
    public async Task DescribeKeyAsync_WhenTheKeyIsAwsManaged_ShouldNotCountItAsCustomerManaged()
    {
        // moto reports its alias/aws/* keys as CUSTOMER managed; the stub answers as KMS does.
        using var stub = new StubAwsEndpoint(StubResponse.Json(200, """
            {"KeyMetadata":{"AWSAccountId":"123456789012","KeyId":"1b2c3d4e-0000-4000-8000-000000000001",
             "Arn":"arn:aws:kms:us-east-1:123456789012:key/1b2c3d4e-0000-4000-8000-000000000001",
             "Enabled":true,"KeyState":"Enabled","KeyManager":"AWS","CreationDate":1.7e9}}
            """));
        var adapter = StubAdapter(stub, out var clients);
        using var _ = clients;

        var facts = await adapter.DescribeKeyAsync("alias/aws/secretsmanager", CancellationToken.None);

        Assert.Equal(new KmsKeyFacts("arn:aws:kms:us-east-1:123456789012:key/1b2c3d4e-0000-4000-8000-000000000001", CustomerManaged: false, KeyState: "Enabled"), facts);
        var request = Assert.Single(stub.Requests);
        Assert.Equal("TrentService.DescribeKey", request.Headers["X-Amz-Target"]);
        Assert.Equal("""{"KeyId":"alias/aws/secretsmanager"}""", request.Body);
    }

    [Theory]
    [InlineData("secretsmanager:DescribeSecret")]
    [InlineData("ssm:DescribeParameters")]
    [InlineData("kms:DescribeKey")]
    public async Task SecretKeyAdapter_WhenTheFunctionIsDenied_ShouldRaisePermissionDeniedForThatAction(string action)
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(
            400, $$"""{"__type":"AccessDeniedException","Message":"User is not authorized to perform: {{action}}"}""", "AccessDeniedException"));
        var adapter = StubAdapter(stub, out var clients);
        using var _ = clients;

        var ex = await Assert.ThrowsAsync<PermissionDeniedException>(() => action switch
        {
            "secretsmanager:DescribeSecret" => adapter.DescribeSecretAsync(DiagnosisWorld.Secret, CancellationToken.None),
            "ssm:DescribeParameters" => adapter.DescribeParametersAsync(["/shop/db-password"], CancellationToken.None),
            _ => adapter.DescribeKeyAsync("alias/xyz", CancellationToken.None),
        });

        Assert.Equal(action, ex.Action);
    }

    /// <summary>The adapter over three clients that all talk to <paramref name="stub"/>, without retries.</summary>
    private static SecretKeyAdapter StubAdapter(StubAwsEndpoint stub, out CompositeDisposable clients)
    {
        var secrets = new SecretsManagerClient(MotoServer.Credentials, StubConfig(new SecretsManagerClientConfig(), stub));
        var ssm = new AmazonSimpleSystemsManagementClient(MotoServer.Credentials, StubConfig(new AmazonSimpleSystemsManagementConfig(), stub));
        var kms = new KmsClient(MotoServer.Credentials, StubConfig(new KmsClientConfig(), stub));
        clients = new CompositeDisposable([secrets, ssm, kms]);
        return new SecretKeyAdapter(secrets, ssm, kms);
    }

    private static T StubConfig<T>(T config, StubAwsEndpoint stub)
        where T : Amazon.Runtime.ClientConfig
    {
        config.ServiceURL = stub.Url;
        config.AuthenticationRegion = MotoServer.Region;
        config.MaxErrorRetry = 0;
        return config;
    }

    /// <summary>CreateKey: the new symmetric customer managed key's metadata (KeyId, Arn, …).</summary>
    private async Task<JsonNode> CreateKeyAsync()
    {
        var response = await _world.Raw.JsonAsync("kms", "TrentService.CreateKey", new JsonObject { ["Description"] = "shop secrets" });
        return response!["KeyMetadata"]!;
    }

    /// <summary>CreateSecret, under <paramref name="kmsKeyId"/> or (null) the AWS managed key: the secret's ARN.</summary>
    private async Task<string> CreateSecretAsync(string name, string? kmsKeyId)
    {
        var body = new JsonObject { ["Name"] = name, ["SecretString"] = "s3cr3t" };
        if (kmsKeyId is not null)
        {
            body["KmsKeyId"] = kmsKeyId;
        }

        var response = await _world.Raw.JsonAsync("secretsmanager", "secretsmanager.CreateSecret", body);
        return (string)response!["ARN"]!;
    }

    private async Task PutParameterAsync(string name, string type, string? keyId)
    {
        var body = new JsonObject { ["Name"] = name, ["Value"] = "value", ["Type"] = type };
        if (keyId is not null)
        {
            body["KeyId"] = keyId;
        }

        await _world.Raw.JsonAsync("ssm", "AmazonSSM.PutParameter", body);
    }

    private sealed class CompositeDisposable(IReadOnlyList<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
