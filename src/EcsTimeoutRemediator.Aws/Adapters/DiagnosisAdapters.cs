using System.Text.Json;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecr;
using EcsTimeoutRemediator.Aws.Clients.Efs;
using EcsTimeoutRemediator.Aws.Clients.Iam;
using EcsTimeoutRemediator.Aws.Clients.Logs;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Vocabulary;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="IRegistryInspector"/> over the ECR client: a missing repository or image is a fact. The platforms of
/// an image take ECR's own protocol: a multi-platform image's manifest list (BatchGetImage); a single-platform
/// image's manifest (BatchGetImage) for its configuration digest, then the configuration blob from its pre-signed
/// URL (GetDownloadUrlForLayer, fetched with <paramref name="blobs"/>).
/// </summary>
public sealed class EcrRegistryAdapter(IEcrClient ecr, HttpClient? blobs = null) : IRegistryInspector
{
    /// <summary>An image configuration is a few kilobytes; anything past this is not one.</summary>
    public const int MaxConfigBytes = 1 << 20;

    public async Task<EcrImageFacts> DescribeImageAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken)
    {
        var facts = new EcrImageFacts(registryId, repository, tag, digest, RepositoryExists: true, ImageExists: false, ManifestMediaType: null);
        try
        {
            var response = await Denials.Guard("ecr:DescribeImages", () => ecr.DescribeImagesAsync(new DescribeImagesRequest
            {
                RegistryId = registryId,
                RepositoryName = repository,
                ImageIds = [digest is not null ? new EcrImageIdentifier { ImageDigest = digest } : new EcrImageIdentifier { ImageTag = tag ?? "latest" }],
            }, cancellationToken)).ConfigureAwait(false);
            var image = response.ImageDetails.Count > 0 ? response.ImageDetails[0] : null;
            return facts with { ImageExists = image is not null, ManifestMediaType = image?.ImageManifestMediaType ?? image?.ArtifactMediaType };
        }
        catch (AwsApiException ex) when (ex.IsNotFound && ex.ErrorCode == "RepositoryNotFoundException")
        {
            return facts with { RepositoryExists = false };
        }
        catch (AwsApiException ex) when (ex.IsNotFound && ex.ErrorCode == "ImageNotFoundException")
        {
            return facts;
        }
    }

    public async Task<IReadOnlyList<string>?> PlatformsOfAsync(ImageReference image, EcrImageFacts described, IReadMeter reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(described);
        ArgumentNullException.ThrowIfNull(reads);
        var registryId = image.RegistryId ?? described.RegistryId;
        var reference = $"{image.Registry}/{image.Repository}:{image.Tag ?? image.Digest}";
        if (described.IsMultiPlatform)
        {
            return await reads.ReadAsync("ecr:BatchGetImage", reference, "its platforms are not checked",
                () => ListPlatformsAsync(registryId, image.Repository, image.Tag, image.Digest, cancellationToken)).ConfigureAwait(false);
        }

        // A single-platform image names its platform only in its configuration blob.
        var configDigest = await reads.ReadAsync("ecr:BatchGetImage", reference, "its platform is not checked",
            () => ConfigDigestAsync(registryId, image.Repository, image.Tag, image.Digest, cancellationToken)).ConfigureAwait(false);
        if (configDigest is null)
        {
            return null;
        }

        var platform = await reads.ReadAsync("ecr:GetDownloadUrlForLayer", $"{image.Registry}/{image.Repository}@{configDigest}", "its platform is not checked",
            () => ConfigPlatformAsync(registryId, image.Repository, configDigest, cancellationToken)).ConfigureAwait(false);
        return platform is null ? null : [platform];
    }

    /// <summary>BatchGetImage: the platforms (<c>os/architecture[/variant]</c>) a multi-platform image was built for; null when the manifest is not a list.</summary>
    public async Task<IReadOnlyList<string>?> ListPlatformsAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Denials.Guard("ecr:BatchGetImage", () => ecr.BatchGetImageAsync(new BatchGetImageRequest
            {
                RegistryId = registryId,
                RepositoryName = repository,
                ImageIds = [digest is not null ? new EcrImageIdentifier { ImageDigest = digest } : new EcrImageIdentifier { ImageTag = tag ?? "latest" }],
                AcceptedMediaTypes = ManifestPlatforms.ListMediaTypes,
            }, cancellationToken)).ConfigureAwait(false);
            return response.Images.Count > 0 ? ManifestPlatforms.Parse(response.Images[0].ImageManifest) : null;
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>BatchGetImage of a single-platform image: the digest of its configuration blob; null when the manifest is a list or names none.</summary>
    public async Task<string?> ConfigDigestAsync(string registryId, string repository, string? tag, string? digest, CancellationToken cancellationToken)
    {
        try
        {
            // Accepting only single-platform manifests: a list is not returned, and its platforms are read elsewhere.
            var response = await Denials.Guard("ecr:BatchGetImage", () => ecr.BatchGetImageAsync(new BatchGetImageRequest
            {
                RegistryId = registryId,
                RepositoryName = repository,
                ImageIds = [digest is not null ? new EcrImageIdentifier { ImageDigest = digest } : new EcrImageIdentifier { ImageTag = tag ?? "latest" }],
                AcceptedMediaTypes = ImageConfig.ManifestMediaTypes,
            }, cancellationToken)).ConfigureAwait(false);
            return response.Images.Count > 0 ? ImageConfig.Digest(response.Images[0].ImageManifest) : null;
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>GetDownloadUrlForLayer of a configuration blob, then the blob: the platform (<c>os/architecture[/variant]</c>) it records; null when it records none.</summary>
    public async Task<string?> ConfigPlatformAsync(string registryId, string repository, string configDigest, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(configDigest);
        if (blobs is null)
        {
            return null;
        }

        GetDownloadUrlForLayerResponse location;
        try
        {
            location = await Denials.Guard("ecr:GetDownloadUrlForLayer", () => ecr.GetDownloadUrlForLayerAsync(new GetDownloadUrlForLayerRequest
            {
                RegistryId = registryId,
                RepositoryName = repository,
                LayerDigest = configDigest,
            }, cancellationToken)).ConfigureAwait(false);
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return null;
        }

        if (!Uri.TryCreate(location.DownloadUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return null;
        }

        // The blob is a detail of the diagnosis, served by S3 rather than the ECR API: a refused, expired or
        // unreachable URL (a function in a VPC without a route to S3) leaves the platform unknown, and the
        // event goes on. Cancellation by the caller still propagates.
        try
        {
            using var response = await blobs.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxConfigBytes)
            {
                return null;
            }

            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return content.Length <= MaxConfigBytes && ImageConfig.Matches(configDigest, content) ? ImageConfig.Platform(content) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}

/// <summary>
/// The configuration of a single-platform image: its digest in the manifest, its platform in the blob. Both are
/// documents from the registry: whatever their shape (a number for a string, an array for an object, a field
/// missing), a document that does not say plainly gives no answer (null, the platform unknown), never an exception.
/// </summary>
public static class ImageConfig
{
    public static readonly IReadOnlyList<string> ManifestMediaTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    ];

    /// <summary>The <c>config.digest</c> of an image manifest; null for a list or a document without one.</summary>
    public static string? Digest(string? manifest)
    {
        if (string.IsNullOrEmpty(manifest))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(manifest);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && !root.TryGetProperty("manifests", out _)
                && root.TryGetProperty("config", out var config)
                && RegistryJson.TryText(config, "digest", out var digest)
                && digest is { Length: > 0 }
                ? digest
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>os/architecture[/variant]</c> of an image configuration; null when it records none or not plainly.</summary>
    public static string? Platform(ReadOnlySpan<byte> config)
    {
        try
        {
            var reader = new Utf8JsonReader(config);
            using var doc = JsonDocument.ParseValue(ref reader);
            return RegistryJson.Platform(doc.RootElement, out var platform) ? platform : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="content"/> is what <paramref name="digest"/> (<c>sha256:…</c>) names.</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(digest);
        const string Prefix = "sha256:";
        return digest.StartsWith(Prefix, StringComparison.Ordinal)
            && string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), digest[Prefix.Length..], StringComparison.Ordinal);
    }
}

/// <summary>
/// Reads the platform list of a manifest list (Docker) or image index (OCI). An entry without a platform, or with
/// the <c>unknown/unknown</c> of an attestation, is not an image platform and is left out; an entry that is not an
/// object, or whose platform is not plainly <c>os</c> and <c>architecture</c> strings, makes the whole list unknown
/// (null) rather than a shorter list that could wrongly exclude the task's platform.
/// </summary>
public static class ManifestPlatforms
{
    public static readonly IReadOnlyList<string> ListMediaTypes =
    [
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    /// <summary><c>os/architecture[/variant]</c> of each entry; null when the document is not a list or not a readable one.</summary>
    public static IReadOnlyList<string>? Parse(string? manifest)
    {
        if (string.IsNullOrEmpty(manifest))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(manifest);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("manifests", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var platforms = new List<string>();
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                if (!entry.TryGetProperty("platform", out var p) || p.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (!RegistryJson.Platform(p, out var platform))
                {
                    return null;
                }

                if (!platform!.StartsWith("unknown/", StringComparison.Ordinal))
                {
                    platforms.Add(platform);
                }
            }

            return platforms;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Type-checked reads of registry documents (manifests, indexes, image configurations).</summary>
internal static class RegistryJson
{
    /// <summary>
    /// The string property <paramref name="name"/> of <paramref name="element"/>: true with the text, true with null
    /// when it is absent or JSON null, false when the element is not an object or the property is another type.
    /// </summary>
    public static bool TryText(JsonElement element, string name, out string? text)
    {
        text = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        text = value.GetString();
        return true;
    }

    /// <summary>
    /// <c>os/architecture[/variant]</c> of an object with non-empty <c>os</c> and <c>architecture</c> strings and
    /// an optional <c>variant</c> string; false for anything else.
    /// </summary>
    public static bool Platform(JsonElement element, out string? platform)
    {
        platform = null;
        if (!TryText(element, "os", out var os) || os is not { Length: > 0 }
            || !TryText(element, "architecture", out var architecture) || architecture is not { Length: > 0 }
            || !TryText(element, "variant", out var variant))
        {
            return false;
        }

        platform = variant is { Length: > 0 } ? $"{os}/{architecture}/{variant}" : $"{os}/{architecture}";
        return true;
    }
}

/// <summary><see cref="IIamInspector"/> over the IAM client: per-resource decisions, flattened.</summary>
public sealed class IamPolicySimulatorAdapter(IIamClient iam) : IIamInspector
{
    public async Task<IReadOnlyList<PermissionDecision>> SimulateAsync(string principalArn, IReadOnlyList<string> actions, IReadOnlyList<string> resources, CancellationToken cancellationToken)
    {
        IReadOnlyList<EvaluationResult> results;
        try
        {
            results = await Denials.Guard("iam:SimulatePrincipalPolicy", () => iam.SimulatePrincipalPolicyAsync(new SimulatePrincipalPolicyRequest
            {
                PolicySourceArn = principalArn,
                ActionNames = actions,
                ResourceArns = resources,
            }, cancellationToken)).ConfigureAwait(false);
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return [];
        }

        return Flatten(results, resources);
    }

    /// <summary>One decision per action and resource: the per-resource result when there is one, else the result's own.</summary>
    public static IReadOnlyList<PermissionDecision> Flatten(IReadOnlyList<EvaluationResult> results, IReadOnlyList<string> resources)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(resources);
        var decisions = new List<PermissionDecision>();
        foreach (var result in results)
        {
            // A condition key the simulator was not given (kms:ViaService, aws:SourceVpce, …) leaves a statement
            // undecided: the decision carries the keys so it is reported as unknown, not as missing.
            var missingContext = result.MissingContextValues;
            if (result.ResourceSpecificResults.Count > 0)
            {
                decisions.AddRange(result.ResourceSpecificResults.Select(r => new PermissionDecision(result.EvalActionName, r.EvalResourceName, r.EvalResourceDecision) { MissingContext = missingContext }));
            }
            else if (result.EvalResourceName is { Length: > 0 } name && name != "*")
            {
                decisions.Add(new PermissionDecision(result.EvalActionName, name, result.EvalDecision) { MissingContext = missingContext });
            }
            else
            {
                // Evaluated against every requested resource at once: the aggregate applies to each.
                decisions.AddRange((resources.Count > 0 ? resources : ["*"]).Select(r => new PermissionDecision(result.EvalActionName, r, result.EvalDecision) { MissingContext = missingContext }));
            }
        }

        return decisions;
    }
}

/// <summary><see cref="ILogsInspector"/> over the CloudWatch Logs client.</summary>
public sealed class LogsAdapter(ILogsClient logs) : ILogsInspector
{
    public async Task<LogGroupFacts?> FindLogGroupAsync(string logGroupName, CancellationToken cancellationToken)
    {
        var group = await Denials.Guard("logs:DescribeLogGroups", () => logs.FindLogGroupAsync(logGroupName, cancellationToken)).ConfigureAwait(false);
        return group is null ? null : new LogGroupFacts(group.LogGroupName ?? logGroupName, group.Arn);
    }
}

/// <summary><see cref="IEfsInspector"/> over the EFS client: an unknown file system has no mount targets.</summary>
public sealed class EfsAdapter(IEfsClient efs) : IEfsInspector
{
    public async Task<IReadOnlyList<MountTargetFacts>> DescribeMountTargetsAsync(string fileSystemId, CancellationToken cancellationToken)
    {
        try
        {
            var targets = await Denials.Guard("elasticfilesystem:DescribeMountTargets", () => efs.DescribeMountTargetsAsync(fileSystemId, cancellationToken)).ConfigureAwait(false);
            return [.. targets.Select(t => new MountTargetFacts(t.MountTargetId ?? "", t.FileSystemId ?? fileSystemId, t.SubnetId ?? "", t.AvailabilityZoneName, t.LifeCycleState, t.IpAddress))];
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return [];
        }
    }

    public async Task<IReadOnlyList<string>> DescribeMountTargetSecurityGroupsAsync(string mountTargetId, CancellationToken cancellationToken)
    {
        try
        {
            return await Denials.Guard("elasticfilesystem:DescribeMountTargetSecurityGroups", () => efs.DescribeMountTargetSecurityGroupsAsync(mountTargetId, cancellationToken)).ConfigureAwait(false);
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return [];
        }
    }
}
