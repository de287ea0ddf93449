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

/// <summary>
/// An AWS API call failed after the SDK's own retries. <see cref="IsRetryable"/> tells a transient
/// failure (throttling, 5xx, timeout) from one that will fail the same way again.
/// </summary>
public class AwsApiException : Exception
{
    public AwsApiException()
        : this(new AwsErrorInfo("", "", "Unknown", 0, null, "AWS call failed."), null)
    {
    }

    public AwsApiException(string message)
        : this(new AwsErrorInfo("", "", "Unknown", 0, null, message), null)
    {
    }

    public AwsApiException(string message, Exception? innerException)
        : this(new AwsErrorInfo("", "", "Unknown", 0, null, message), innerException)
    {
    }

    public AwsApiException(AwsErrorInfo error, Exception? innerException)
        : base(Describe(error ?? throw new ArgumentNullException(nameof(error))), innerException)
    {
        Error = error;
    }

    public AwsErrorInfo Error { get; }

    public string Service => Error.Service;

    public string Operation => Error.Operation;

    public string ErrorCode => Error.ErrorCode;

    public int StatusCode => Error.StatusCode;

    public string? RequestId => Error.RequestId;

    /// <summary>True when the same call may succeed later: throttling, a 5xx, a timeout.</summary>
    public virtual bool IsRetryable =>
        StatusCode >= 500 || StatusCode == (int)HttpStatusCode.TooManyRequests || AwsErrorCodes.IsTransient(ErrorCode);

    private static string Describe(AwsErrorInfo error)
    {
        var where = string.IsNullOrEmpty(error.Service) ? "" : $"{error.Service} {error.Operation}: ";
        var status = error.StatusCode > 0 ? $" (HTTP {error.StatusCode}" + (error.RequestId is null ? ")" : $", request {error.RequestId})") : "";
        return $"{where}{error.ErrorCode}: {error.Message}{status}";
    }
}

/// <summary>The request was throttled (Throttling, ThrottlingException, TooManyRequests, HTTP 429, …).</summary>
public class ThrottlingException : AwsApiException
{
    public ThrottlingException()
    {
    }

    public ThrottlingException(string message)
        : base(message)
    {
    }

    public ThrottlingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ThrottlingException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => true;
}

/// <summary>The service failed (HTTP 5xx).</summary>
public class AwsServerException : AwsApiException
{
    public AwsServerException()
    {
    }

    public AwsServerException(string message)
        : base(message)
    {
    }

    public AwsServerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AwsServerException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => true;
}

/// <summary>No response arrived: connection failure or timeout (StatusCode 0).</summary>
public class AwsTransportException : AwsApiException
{
    public AwsTransportException()
    {
    }

    public AwsTransportException(string message)
        : base(message)
    {
    }

    public AwsTransportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AwsTransportException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => true;
}

/// <summary>The caller is not allowed to do this (AccessDenied, AuthorizationError, UnauthorizedOperation, …).</summary>
public class AccessDeniedException : AwsApiException
{
    public AccessDeniedException()
    {
    }

    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AccessDeniedException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => false;
}

/// <summary>The credentials were rejected or could not be found (InvalidClientTokenId, ExpiredToken, …).</summary>
public class AwsAuthenticationException : AwsApiException
{
    public AwsAuthenticationException()
    {
    }

    public AwsAuthenticationException(string message)
        : base(message)
    {
    }

    public AwsAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AwsAuthenticationException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => false;
}

/// <summary>A parameter was rejected (InvalidParameterException, InvalidParameter, ValidationError, …).</summary>
public class InvalidParameterException : AwsApiException
{
    public InvalidParameterException()
    {
    }

    public InvalidParameterException(string message)
        : base(message)
    {
    }

    public InvalidParameterException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public InvalidParameterException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => false;
}

/// <summary>
/// A named resource does not exist (TargetGroupNotFound, LoadBalancerNotFound, SNS NotFound,
/// ResourceNotFoundException, …). ECS clusters and services have their own subtypes.
/// </summary>
public class NotFoundException : AwsApiException
{
    public NotFoundException()
    {
    }

    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public NotFoundException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => false;
}

/// <summary>ECS: the cluster does not exist.</summary>
public class ClusterNotFoundException : NotFoundException
{
    public ClusterNotFoundException()
    {
    }

    public ClusterNotFoundException(string message)
        : base(message)
    {
    }

    public ClusterNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ClusterNotFoundException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }
}

/// <summary>ECS: the service does not exist in the cluster.</summary>
public class ServiceNotFoundException : NotFoundException
{
    public ServiceNotFoundException()
    {
    }

    public ServiceNotFoundException(string message)
        : base(message)
    {
    }

    public ServiceNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ServiceNotFoundException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }
}

/// <summary>ECS: the service exists but is not ACTIVE (draining or deleted).</summary>
public class ServiceNotActiveException : AwsApiException
{
    public ServiceNotActiveException()
    {
    }

    public ServiceNotActiveException(string message)
        : base(message)
    {
    }

    public ServiceNotActiveException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ServiceNotActiveException(AwsErrorInfo error, Exception? innerException)
        : base(error, innerException)
    {
    }

    public override bool IsRetryable => false;
}
