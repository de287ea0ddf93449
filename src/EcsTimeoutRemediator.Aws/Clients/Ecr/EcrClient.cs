using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Ecr;

public sealed record EcrImageIdentifier
{
    public string? ImageTag { get; init; }

    public string? ImageDigest { get; init; }
}

public sealed record DescribeImagesRequest
{
    public string? RegistryId { get; init; }

    public required string RepositoryName { get; init; }

    public IReadOnlyList<EcrImageIdentifier> ImageIds { get; init; } = [];

    public string? NextToken { get; init; }
}

public sealed record EcrImageDetail
{
    public string? RegistryId { get; init; }

    public string? RepositoryName { get; init; }

    public string? ImageDigest { get; init; }

    public IReadOnlyList<string> ImageTags { get; init => field = value ?? []; } = [];

    public string? ImageManifestMediaType { get; init; }

    public string? ArtifactMediaType { get; init; }
}

public sealed record DescribeImagesResponse
{
    public IReadOnlyList<EcrImageDetail> ImageDetails { get; init => field = value ?? []; } = [];

    public string? NextToken { get; init; }
}

public sealed record BatchGetImageRequest
{
    public string? RegistryId { get; init; }

    public required string RepositoryName { get; init; }

    public IReadOnlyList<EcrImageIdentifier> ImageIds { get; init; } = [];

    public IReadOnlyList<string>? AcceptedMediaTypes { get; init; }
}

public sealed record EcrImage
{
    public string? ImageManifest { get; init; }

    public string? ImageManifestMediaType { get; init; }
}

public sealed record BatchGetImageResponse
{
    public IReadOnlyList<EcrImage> Images { get; init => field = value ?? []; } = [];
}

public sealed record GetDownloadUrlForLayerRequest
{
    public string? RegistryId { get; init; }

    public required string RepositoryName { get; init; }

    public required string LayerDigest { get; init; }
}

public sealed record GetDownloadUrlForLayerResponse
{
    public string? DownloadUrl { get; init; }

    public string? LayerDigest { get; init; }
}

/// <summary>The ECR operations the remediator uses.</summary>
public interface IEcrClient
{
    /// <summary>DescribeImages, every page. A missing repository or image raises <see cref="AwsApiException"/> of kind <see cref="AwsErrorKind.NotFound"/>
    /// (<c>RepositoryNotFoundException</c>, <c>ImageNotFoundException</c>).</summary>
    Task<DescribeImagesResponse> DescribeImagesAsync(DescribeImagesRequest request, CancellationToken cancellationToken = default);

    /// <summary>BatchGetImage: the manifests of the given images (failures are simply absent).</summary>
    Task<BatchGetImageResponse> BatchGetImageAsync(BatchGetImageRequest request, CancellationToken cancellationToken = default);

    /// <summary>GetDownloadUrlForLayer: a pre-signed URL of one layer or configuration blob. A missing blob raises
    /// <see cref="AwsApiException"/> of kind <see cref="AwsErrorKind.NotFound"/> (<c>LayersNotFoundException</c>, <c>LayerInaccessibleException</c>).</summary>
    Task<GetDownloadUrlForLayerResponse> GetDownloadUrlForLayerAsync(GetDownloadUrlForLayerRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed ECR client (JSON 1.1, target prefix AmazonEC2ContainerRegistry_V20150921, signing name ecr).</summary>
public sealed class EcrClient : AwsJsonClient, IEcrClient
{
    private const int MaxPages = 100;

    public EcrClient(EcrClientConfig config)
        : base(null, config)
    {
    }

    public EcrClient(AWSCredentials? credentials, EcrClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<DescribeImagesResponse> DescribeImagesAsync(DescribeImagesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.RepositoryName);
        var images = await Paging.AllAsync("DescribeImages", async token =>
        {
            var response = await InvokeJsonAsync(
                "DescribeImages", request with { NextToken = token ?? request.NextToken }, AwsJsonContext.Info<DescribeImagesRequest>(), AwsJsonContext.Info<DescribeImagesResponse>(), cancellationToken);
            return new Page<EcrImageDetail>(response.ImageDetails, response.NextToken);
        }, MaxPages);

        return new DescribeImagesResponse { ImageDetails = images };
    }

    public Task<BatchGetImageResponse> BatchGetImageAsync(BatchGetImageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.RepositoryName);
        return InvokeJsonAsync("BatchGetImage", request, AwsJsonContext.Info<BatchGetImageRequest>(), AwsJsonContext.Info<BatchGetImageResponse>(), cancellationToken);
    }

    public Task<GetDownloadUrlForLayerResponse> GetDownloadUrlForLayerAsync(GetDownloadUrlForLayerRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.RepositoryName);
        ArgumentException.ThrowIfNullOrEmpty(request.LayerDigest);
        return InvokeJsonAsync(
            "GetDownloadUrlForLayer", request, AwsJsonContext.Info<GetDownloadUrlForLayerRequest>(), AwsJsonContext.Info<GetDownloadUrlForLayerResponse>(), cancellationToken);
    }
}
