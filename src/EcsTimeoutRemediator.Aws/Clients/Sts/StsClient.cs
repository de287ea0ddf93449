using System.Xml.Linq;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Sts;

public sealed record AssumeRoleRequest
{
    public required string RoleArn { get; init; }

    /// <summary>2 to 64 characters of <c>[\w+=,.@-]</c>; CloudTrail in the role's account shows it.</summary>
    public required string RoleSessionName { get; init; }

    /// <summary>900 to 43,200 seconds (never above the role's maximum session duration); null for the default hour.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>The external id the role's trust policy asks for (<c>sts:ExternalId</c>); null for none.</summary>
    public string? ExternalId { get; init; }
}

/// <summary>Temporary credentials and the moment they stop working.</summary>
public sealed record StsCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

public sealed record AssumeRoleResponse(StsCredentials Credentials, string? AssumedRoleArn);

public sealed record CallerIdentity(string Account, string Arn, string? UserId);

/// <summary>The STS operations the remediator uses.</summary>
public interface IStsClient
{
    /// <summary>AssumeRole. A role that does not exist or does not trust the caller raises
    /// <see cref="AwsApiException"/> of kind <see cref="AwsErrorKind.AccessDenied"/> (STS answers both alike).</summary>
    Task<AssumeRoleResponse> AssumeRoleAsync(AssumeRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>GetCallerIdentity: the account and ARN of the credentials in use (needs no permission).</summary>
    Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default);
}

/// <summary>Typed STS client (Query protocol, version 2011-06-15) on AWSSDK.Core's pipeline, on the regional endpoint.</summary>
public sealed class StsClient : AwsQueryClient, IStsClient
{
    public const int MinDurationSeconds = 900;
    public const int MaxDurationSeconds = 43_200;

    public StsClient(StsClientConfig config)
        : base(null, config)
    {
    }

    public StsClient(AWSCredentials? credentials, StsClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<AssumeRoleResponse> AssumeRoleAsync(AssumeRoleRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var parameters = new QueryParameters()
            .Add("RoleArn", request.RoleArn)
            .Add("RoleSessionName", request.RoleSessionName)
            .Add("DurationSeconds", request.DurationSeconds)
            .Add("ExternalId", request.ExternalId);
        return await InvokeQueryAsync(
            "AssumeRole",
            parameters,
            static result => new AssumeRoleResponse(ReadCredentials(result.Child("Credentials")), result.Child("AssumedRoleUser").Text("Arn")),
            cancellationToken).ConfigureAwait(false);
    }

    public Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default) =>
        InvokeQueryAsync(
            "GetCallerIdentity",
            new QueryParameters(),
            static result => new CallerIdentity(
                result.Text("Account") ?? throw new InvalidOperationException("GetCallerIdentity returned no Account."),
                result.Text("Arn") ?? "",
                result.Text("UserId")),
            cancellationToken);

    /// <summary>The checks STS would make, so that a bad request fails here with a clear message.</summary>
    public static void Validate(AssumeRoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.RoleArn) || !request.RoleArn.StartsWith("arn:", StringComparison.Ordinal) || !request.RoleArn.Contains(":role/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"RoleArn must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>), not \"{request.RoleArn}\".", nameof(request));
        }

        var session = request.RoleSessionName ?? "";
        if (session.Length is < 2 or > 64 || !session.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '+' or '=' or ',' or '.' or '@' or '-'))
        {
            throw new ArgumentException($"RoleSessionName must be 2 to 64 characters of letters, digits and _+=,.@-, not \"{session}\".", nameof(request));
        }

        if (request.DurationSeconds is { } seconds && seconds is < MinDurationSeconds or > MaxDurationSeconds)
        {
            throw new ArgumentException($"DurationSeconds must be {MinDurationSeconds} to {MaxDurationSeconds}, not {seconds}.", nameof(request));
        }
    }

    private static StsCredentials ReadCredentials(XElement? credentials)
    {
        string Required(string name) => credentials.Text(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"AssumeRole returned no Credentials/{name}.");

        return new StsCredentials(
            Required("AccessKeyId"),
            Required("SecretAccessKey"),
            Required("SessionToken"),
            credentials.Time("Expiration") ?? throw new InvalidOperationException("AssumeRole returned no readable Credentials/Expiration."));
    }
}
