using System.Net;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>What AWS (or the transport) said about a failed call.</summary>
/// <param name="Service">ServiceId of the called service ("ECS", "SNS", …).</param>
/// <param name="Operation">The operation ("DescribeServices", "Publish", …).</param>
/// <param name="ErrorCode">The AWS error code without namespace ("ClusterNotFoundException").</param>
/// <param name="StatusCode">HTTP status; 0 when no response arrived.</param>
/// <param name="RequestId">The AWS request id, when the service sent one.</param>
/// <param name="Message">The service's message.</param>
public sealed record AwsErrorInfo(
    string Service,
    string Operation,
    string ErrorCode,
    int StatusCode,
    string? RequestId,
    string Message)
{
    /// <summary>How many attempts the SDK's pipeline made (its retries plus one); null when not known.</summary>
    public int? Attempts { get; init; }
}

/// <summary>What kind of failure an <see cref="AwsApiException"/> is.</summary>
public enum AwsErrorKind
{
    /// <summary>Any other error the service answered.</summary>
    Other,

    /// <summary>The request was throttled (Throttling, ThrottlingException, TooManyRequests, HTTP 429, …).</summary>
    Throttling,

    /// <summary>The service failed (HTTP 5xx).</summary>
    Server,

    /// <summary>No response arrived: connection failure or timeout (StatusCode 0).</summary>
    Transport,

    /// <summary>The caller is not allowed to do this (AccessDenied, AuthorizationError, UnauthorizedOperation, …).</summary>
    AccessDenied,

    /// <summary>The credentials were rejected or could not be found (InvalidClientTokenId, ExpiredToken, …).</summary>
    Authentication,

    /// <summary>A parameter was rejected (InvalidParameterException, InvalidParameter, ValidationError, …).</summary>
    InvalidParameter,

    /// <summary>
    /// A named resource does not exist (TargetGroupNotFound, LoadBalancerNotFound, SNS NotFound,
    /// ResourceNotFoundException, …). ECS clusters and services have their own kinds.
    /// </summary>
    NotFound,

    /// <summary>ECS: the cluster does not exist (a <see cref="NotFound"/>).</summary>
    ClusterNotFound,

    /// <summary>ECS: the service does not exist in the cluster (a <see cref="NotFound"/>).</summary>
    ServiceNotFound,

    /// <summary>ECS: the service exists but is not ACTIVE (draining or deleted).</summary>
    ServiceNotActive,
}

/// <summary>
/// An AWS API call failed after the SDK's own retries. <see cref="Kind"/> says what kind of failure it is;
/// <see cref="IsRetryable"/> tells a transient failure (throttling, 5xx, timeout) from one that will fail the same
/// way again.
/// </summary>
public sealed class AwsApiException : Exception
{
    public AwsApiException()
        : this(new AwsErrorInfo("", "", "Unknown", 0, null, "AWS call failed."), AwsErrorKind.Other, null)
    {
    }

    public AwsApiException(string message)
        : this(new AwsErrorInfo("", "", "Unknown", 0, null, message), AwsErrorKind.Other, null)
    {
    }

    public AwsApiException(string message, Exception? innerException)
        : this(new AwsErrorInfo("", "", "Unknown", 0, null, message), AwsErrorKind.Other, innerException)
    {
    }

    public AwsApiException(AwsErrorInfo error, Exception? innerException)
        : this(error, AwsErrorKind.Other, innerException)
    {
    }

    public AwsApiException(AwsErrorInfo error, AwsErrorKind kind, Exception? innerException)
        : base(Describe(error ?? throw new ArgumentNullException(nameof(error))), innerException)
    {
        Error = error;
        Kind = kind;
    }

    public AwsErrorInfo Error { get; }

    public AwsErrorKind Kind { get; }

    public string Service => Error.Service;

    public string Operation => Error.Operation;

    public string ErrorCode => Error.ErrorCode;

    public int StatusCode => Error.StatusCode;

    public string? RequestId => Error.RequestId;

    /// <summary>True for <see cref="AwsErrorKind.NotFound"/> and the ECS kinds of it (cluster, service).</summary>
    public bool IsNotFound => Kind is AwsErrorKind.NotFound or AwsErrorKind.ClusterNotFound or AwsErrorKind.ServiceNotFound;

    /// <summary>True when the same call may succeed later: throttling, a 5xx, a timeout.</summary>
    public bool IsRetryable => Kind switch
    {
        AwsErrorKind.Throttling or AwsErrorKind.Server or AwsErrorKind.Transport => true,
        AwsErrorKind.Other => StatusCode >= 500 || StatusCode == (int)HttpStatusCode.TooManyRequests || AwsErrorCodes.IsTransient(ErrorCode),
        _ => false,
    };

    private static string Describe(AwsErrorInfo error)
    {
        var where = string.IsNullOrEmpty(error.Service) ? "" : $"{error.Service} {error.Operation}: ";
        var status = error.StatusCode > 0 ? $" (HTTP {error.StatusCode}" + (error.RequestId is null ? ")" : $", request {error.RequestId})") : "";
        return $"{where}{error.ErrorCode}: {error.Message}{status}";
    }
}
