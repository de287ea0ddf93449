using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Kms;

// KMS's member names are PascalCase on the wire; AwsJsonContext names camelCase, hence the attributes.
public sealed record DescribeKeyRequest
{
    /// <summary>A key id, key ARN, alias name (<c>alias/…</c>) or alias ARN.</summary>
    [JsonPropertyName("KeyId")] public required string KeyId { get; init; }
}

public sealed record KmsKeyMetadata
{
    [JsonPropertyName("Arn")] public string? Arn { get; init; }

    [JsonPropertyName("KeyId")] public string? KeyId { get; init; }

    /// <summary><c>AWS</c> or <c>CUSTOMER</c>.</summary>
    [JsonPropertyName("KeyManager")] public string? KeyManager { get; init; }

    /// <summary><c>Enabled</c>, <c>Disabled</c>, <c>PendingDeletion</c>, <c>PendingImport</c>, <c>Unavailable</c>, …</summary>
    [JsonPropertyName("KeyState")] public string? KeyState { get; init; }

    [JsonPropertyName("Enabled")] public bool? Enabled { get; init; }
}

public sealed record DescribeKeyResponse
{
    [JsonPropertyName("KeyMetadata")] public KmsKeyMetadata? KeyMetadata { get; init; }
}

/// <summary>The KMS operations the remediator uses.</summary>
public interface IKmsClient
{
    /// <summary>DescribeKey. A key or alias that does not exist raises <see cref="AwsApiException"/> of kind <see cref="AwsErrorKind.NotFound"/> (<c>NotFoundException</c>).</summary>
    Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed KMS client (JSON 1.1, target prefix TrentService, signing name kms).</summary>
public sealed class KmsClient : AwsJsonClient, IKmsClient
{
    public KmsClient(KmsClientConfig config)
        : base(null, config)
    {
    }

    public KmsClient(AWSCredentials? credentials, KmsClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.KeyId);
        return InvokeJsonAsync(
            "DescribeKey", request, AwsJsonContext.Info<DescribeKeyRequest>(), AwsJsonContext.Info<DescribeKeyResponse>(), cancellationToken);
    }
}
