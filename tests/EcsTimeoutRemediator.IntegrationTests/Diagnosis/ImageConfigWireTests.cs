using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// The platform of a single-platform ECR image: the configuration digest from BatchGetImage (moto), then
/// GetDownloadUrlForLayer and the blob itself (a local stub: moto does not implement GetDownloadUrlForLayer).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ImageConfigWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string Repository = "shop/worker";
    private static readonly string ConfigDigest = "sha256:" + new string('d', 64);

    private MotoRaw _raw = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _raw = new MotoRaw(moto);
        await _raw.JsonAsync("ecr", "AmazonEC2ContainerRegistry_V20150921.CreateRepository", new JsonObject { ["repositoryName"] = Repository });
    }

    public Task DisposeAsync()
    {
        _raw.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ConfigDigestAsync_WhenTheTagIsASinglePlatformManifest_ShouldReturnItsConfigurationDigest()
    {
        await PutAsync("single", new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.docker.container.image.v1+json", ["size"] = 1469, ["digest"] = ConfigDigest },
            ["layers"] = new JsonArray(),
        }, "application/vnd.docker.distribution.manifest.v2+json");
        using var ecr = new EcrClient(MotoServer.Credentials, moto.Configure(new EcrClientConfig()));
        var adapter = new EcrRegistryAdapter(ecr);

        var single = await adapter.ConfigDigestAsync(MotoServer.AccountId, Repository, "single", null, CancellationToken.None);
        var missing = await adapter.ConfigDigestAsync(MotoServer.AccountId, Repository, "9.9.9", null, CancellationToken.None);

        Assert.Equal(ConfigDigest, single);
        Assert.Null(missing);
    }

    [Fact]
    public async Task ConfigPlatformAsync_WhenTheBlobIsTheDigestsConfiguration_ShouldReturnItsPlatform()
    {
        var blob = """{"architecture":"arm64","os":"linux","variant":"v8","config":{"Entrypoint":["/app"]},"rootfs":{"type":"layers","diff_ids":[]}}""";
        var digest = Digest(blob);
        using var stub = new StubAwsEndpoint();
        stub.Enqueue(StubResponse.Json(200, $$"""{"downloadUrl":"{{stub.Url}}blobs/config","layerDigest":"{{digest}}"}"""));
        stub.Enqueue(new StubResponse(200, blob, "application/octet-stream"));
        var (adapter, clients) = StubAdapter(stub);
        using var _ = clients;

        var platform = await adapter.ConfigPlatformAsync(MotoServer.AccountId, Repository, digest, CancellationToken.None);

        Assert.Equal("linux/arm64/v8", platform);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal("AmazonEC2ContainerRegistry_V20150921.GetDownloadUrlForLayer", stub.Requests[0].Headers["X-Amz-Target"]);
        var request = JsonNode.Parse(stub.Requests[0].Body)!;
        Assert.Equal(digest, (string?)request["layerDigest"]);
        Assert.Equal(Repository, (string?)request["repositoryName"]);
        Assert.Equal(MotoServer.AccountId, (string?)request["registryId"]);
        Assert.Equal(("GET", "/blobs/config"), (stub.Requests[1].Method, stub.Requests[1].Path));
        Assert.False(stub.Requests[1].Headers.ContainsKey("Authorization"), "The pre-signed URL carries its own signature.");
    }

    [Fact]
    public async Task ConfigPlatformAsync_WhenTheBlobDoesNotMatchTheDigest_ShouldNotTrustIt()
    {
        using var stub = new StubAwsEndpoint();
        stub.Enqueue(StubResponse.Json(200, $$"""{"downloadUrl":"{{stub.Url}}blobs/config","layerDigest":"{{ConfigDigest}}"}"""));
        stub.Enqueue(new StubResponse(200, """{"architecture":"amd64","os":"linux"}""", "application/octet-stream"));
        var (adapter, clients) = StubAdapter(stub);
        using var _ = clients;

        Assert.Null(await adapter.ConfigPlatformAsync(MotoServer.AccountId, Repository, ConfigDigest, CancellationToken.None));
    }

    [Fact]
    public async Task ConfigPlatformAsync_WhenThePresignedUrlIsRefused_ShouldLeaveThePlatformUnknown()
    {
        using var stub = new StubAwsEndpoint();
        stub.Enqueue(StubResponse.Json(200, $$"""{"downloadUrl":"{{stub.Url}}blobs/config","layerDigest":"{{ConfigDigest}}"}"""));
        stub.Enqueue(new StubResponse(403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", "application/xml"));
        var (adapter, clients) = StubAdapter(stub);
        using var _ = clients;

        Assert.Null(await adapter.ConfigPlatformAsync(MotoServer.AccountId, Repository, ConfigDigest, CancellationToken.None));
    }

    [Fact]
    public async Task ConfigPlatformAsync_WhenTheBlobHostCannotBeReached_ShouldLeaveThePlatformUnknown()
    {
        string closed;
        using (var gone = new StubAwsEndpoint())
        {
            closed = gone.Url;
        }

        using var stub = new StubAwsEndpoint(StubResponse.Json(200, $$"""{"downloadUrl":"{{closed}}blobs/config","layerDigest":"{{ConfigDigest}}"}"""));
        var (adapter, clients) = StubAdapter(stub);
        using var _ = clients;

        Assert.Null(await adapter.ConfigPlatformAsync(MotoServer.AccountId, Repository, ConfigDigest, CancellationToken.None));
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task ConfigPlatformAsync_WhenTheCallerCancels_ShouldPropagateTheCancellation()
    {
        using var stub = new StubAwsEndpoint();
        stub.Enqueue(StubResponse.Json(200, $$"""{"downloadUrl":"{{stub.Url}}blobs/config","layerDigest":"{{ConfigDigest}}"}"""));
        var (adapter, clients) = StubAdapter(stub);
        using var _ = clients;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => adapter.ConfigPlatformAsync(MotoServer.AccountId, Repository, ConfigDigest, cancelled.Token));
    }

    [Fact]
    public async Task ConfigPlatformAsync_WhenEcrKnowsNoSuchBlob_ShouldReturnNull()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(
            400, """{"__type":"LayersNotFoundException","message":"The image layer does not exist"}""", "LayersNotFoundException"));
        var (adapter, clients) = StubAdapter(stub);
        using var _ = clients;

        Assert.Null(await adapter.ConfigPlatformAsync(MotoServer.AccountId, Repository, ConfigDigest, CancellationToken.None));
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task ConfigPlatformAsync_WhenTheFunctionIsDenied_ShouldRaisePermissionDeniedForGetDownloadUrlForLayer()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(
            400, """{"__type":"AccessDeniedException","message":"not authorized to perform: ecr:GetDownloadUrlForLayer"}""", "AccessDeniedException"));
        var (adapter, clients) = StubAdapter(stub);
        using var _ = clients;

        var ex = await Assert.ThrowsAsync<PermissionDeniedException>(() => adapter.ConfigPlatformAsync(MotoServer.AccountId, Repository, ConfigDigest, CancellationToken.None));

        Assert.Equal("ecr:GetDownloadUrlForLayer", ex.Action);
    }

    private static string Digest(string blob) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blob)));

    /// <summary>The adapter over an ECR client that talks to <paramref name="stub"/> without retries, and plain HTTP for the blob.</summary>
    private static (EcrRegistryAdapter Adapter, IDisposable Clients) StubAdapter(StubAwsEndpoint stub)
    {
        var config = new EcrClientConfig { ServiceURL = stub.Url, AuthenticationRegion = MotoServer.Region, MaxErrorRetry = 0 };
        var ecr = new EcrClient(MotoServer.Credentials, config);
        var http = new HttpClient { Timeout = AwsClients.BlobTimeout };
        return (new EcrRegistryAdapter(ecr, http), new Both(ecr, http));
    }

    private Task<JsonNode?> PutAsync(string tag, JsonObject manifest, string mediaType) =>
        _raw.JsonAsync("ecr", "AmazonEC2ContainerRegistry_V20150921.PutImage", new JsonObject
        {
            ["repositoryName"] = Repository,
            ["imageManifest"] = manifest.ToJsonString(),
            ["imageManifestMediaType"] = mediaType,
            ["imageTag"] = tag,
        });

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
