using EcsTimeoutRemediator.Aws.Clients.Runtime;
using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Efs;

public sealed record EfsMountTarget
{
    [JsonPropertyName("MountTargetId")] public string? MountTargetId { get; init; }
    [JsonPropertyName("FileSystemId")] public string? FileSystemId { get; init; }
    [JsonPropertyName("SubnetId")] public string? SubnetId { get; init; }
    [JsonPropertyName("LifeCycleState")] public string? LifeCycleState { get; init; }
    [JsonPropertyName("IpAddress")] public string? IpAddress { get; init; }
    [JsonPropertyName("NetworkInterfaceId")] public string? NetworkInterfaceId { get; init; }
    [JsonPropertyName("AvailabilityZoneId")] public string? AvailabilityZoneId { get; init; }
    [JsonPropertyName("AvailabilityZoneName")] public string? AvailabilityZoneName { get; init; }
    [JsonPropertyName("VpcId")] public string? VpcId { get; init; }
}

public sealed record DescribeMountTargetsResponse
{
    [JsonPropertyName("MountTargets")] public IReadOnlyList<EfsMountTarget> MountTargets { get; init => field = value ?? []; } = [];
    [JsonPropertyName("NextMarker")] public string? NextMarker { get; init; }
}

public sealed record DescribeMountTargetSecurityGroupsResponse
{
    [JsonPropertyName("SecurityGroups")] public IReadOnlyList<string> SecurityGroups { get; init => field = value ?? []; } = [];
}

/// <summary>The EFS operations the remediator uses.</summary>
public interface IEfsClient
{
    /// <summary>GET /2015-02-01/mount-targets?FileSystemId=…, every page. An unknown file system raises
    /// <see cref="AwsApiException"/> of kind <see cref="AwsErrorKind.NotFound"/> (FileSystemNotFound).</summary>
    Task<IReadOnlyList<EfsMountTarget>> DescribeMountTargetsAsync(string fileSystemId, CancellationToken cancellationToken = default);

    /// <summary>GET /2015-02-01/mount-targets/{id}/security-groups.</summary>
    Task<IReadOnlyList<string>> DescribeMountTargetSecurityGroupsAsync(string mountTargetId, CancellationToken cancellationToken = default);
}

/// <summary>Typed EFS client (rest-json, signing name elasticfilesystem).</summary>
public sealed class EfsClient : AwsRestJsonClient, IEfsClient
{
    private const int MaxPages = 20;

    public EfsClient(EfsClientConfig config)
        : base(null, config)
    {
    }

    public EfsClient(AWSCredentials? credentials, EfsClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<IReadOnlyList<EfsMountTarget>> DescribeMountTargetsAsync(string fileSystemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileSystemId);
        return await Paging.AllAsync("DescribeMountTargets", async marker =>
        {
            List<KeyValuePair<string, string>> query = [new("FileSystemId", fileSystemId)];
            if (marker is not null)
            {
                query.Add(new("Marker", marker));
            }

            var response = await GetJsonAsync(
                "DescribeMountTargets", "/2015-02-01/mount-targets", query, EfsJsonContext.Default.DescribeMountTargetsResponse, cancellationToken);
            return new Page<EfsMountTarget>(response.MountTargets, response.NextMarker);
        }, MaxPages);
    }

    public async Task<IReadOnlyList<string>> DescribeMountTargetSecurityGroupsAsync(string mountTargetId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mountTargetId);
        var response = await GetJsonAsync(
            "DescribeMountTargetSecurityGroups",
            $"/2015-02-01/mount-targets/{Uri.EscapeDataString(mountTargetId)}/security-groups",
            [],
            EfsJsonContext.Default.DescribeMountTargetSecurityGroupsResponse,
            cancellationToken);
        return response.SecurityGroups;
    }
}

/// <summary>EFS's own JSON shapes (PascalCase member names).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeMountTargetsResponse))]
[JsonSerializable(typeof(DescribeMountTargetSecurityGroupsResponse))]
internal sealed partial class EfsJsonContext : JsonSerializerContext;
