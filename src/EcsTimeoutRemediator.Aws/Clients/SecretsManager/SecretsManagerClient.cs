using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.SecretsManager;

// Secrets Manager's member names are PascalCase on the wire; AwsJsonContext names camelCase, hence the attributes.
public sealed record DescribeSecretRequest
{
    /// <summary>The secret's ARN or name.</summary>
    [JsonPropertyName("SecretId")] public required string SecretId { get; init; }
}

public sealed record DescribeSecretResponse
{
    [JsonPropertyName("ARN")] public string? Arn { get; init; }

    [JsonPropertyName("Name")] public string? Name { get; init; }

    /// <summary>The key id, key ARN or alias that encrypts the secret; absent for the AWS managed <c>aws/secretsmanager</c>.</summary>
    [JsonPropertyName("KmsKeyId")] public string? KmsKeyId { get; init; }

    /// <summary>Set when the secret is scheduled for deletion.</summary>
    [JsonPropertyName("DeletedDate")] public DateTimeOffset? DeletedDate { get; init; }
}

/// <summary>The Secrets Manager operations the remediator uses.</summary>
public interface ISecretsManagerClient
{
    /// <summary>DescribeSecret (metadata only, never the value). A secret that does not exist raises
    /// <see cref="AwsApiException"/> of kind <see cref="AwsErrorKind.NotFound"/> (<c>ResourceNotFoundException</c>).</summary>
    Task<DescribeSecretResponse> DescribeSecretAsync(DescribeSecretRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed Secrets Manager client (JSON 1.1, target prefix secretsmanager, signing name secretsmanager).</summary>
public sealed class SecretsManagerClient : AwsJsonClient, ISecretsManagerClient
{
    public SecretsManagerClient(SecretsManagerClientConfig config)
        : base(null, config)
    {
    }

    public SecretsManagerClient(AWSCredentials? credentials, SecretsManagerClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<DescribeSecretResponse> DescribeSecretAsync(DescribeSecretRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.SecretId);
        return InvokeJsonAsync(
            "DescribeSecret", request, AwsJsonContext.Info<DescribeSecretRequest>(), AwsJsonContext.Info<DescribeSecretResponse>(), cancellationToken);
    }
}
