using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.Aws.Clients.Efs;
using EcsTimeoutRemediator.Aws.Clients.Logs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>The ECR, CloudWatch Logs, EFS and EC2 readers of the root-cause checks against moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class ReaderWireTests(MotoServer moto) : IAsyncLifetime
{
    private DiagnosisWorld _world = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _world = await DiagnosisWorld.CreateAsync(moto);
    }

    public Task DisposeAsync()
    {
        _world.Dispose();
        return Task.CompletedTask;
    }

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
}
