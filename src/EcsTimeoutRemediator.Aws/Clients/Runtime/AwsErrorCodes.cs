using System.Net;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// Maps the SDK's <see cref="AmazonServiceException"/> (raised after its retry policy has run) and
/// transport failures to <see cref="AwsApiException"/> and its <see cref="AwsErrorKind"/>. Public so that adapters over
/// stock SDK clients (AWSSDK.EC2) can map their errors the same way.
/// </summary>
public static class AwsErrorCodes
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled",
        "SlowDown", "EC2ThrottledException", "ProvisionedThroughputExceededException", "Throttled",
    };

    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "ServiceUnavailable",
        "ServiceUnavailableException", "InternalFailure", "InternalError", "InternalServerError",
        "ServerException", "TransactionInProgressException", "IDPCommunicationError",
    };

    private static readonly HashSet<string> AccessDenied = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "AuthorizationError", "UnauthorizedOperation",
        "UnauthorizedAccess", "KMSAccessDenied",
    };

    private static readonly HashSet<string> Authentication = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken",
        "ExpiredTokenException", "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationToken",
        "AuthFailure", "RequestExpired",
    };

    private static readonly HashSet<string> InvalidParameter = new(StringComparer.Ordinal)
    {
        "InvalidParameterException", "InvalidParameter", "InvalidParameterValue", "ParameterValueInvalid",
        "InvalidParameterCombination", "ValidationError", "ValidationException", "MissingParameter",
        "InvalidConfigurationRequest",
    };

    private static readonly HashSet<string> NotFound = new(StringComparer.Ordinal)
    {
        "NotFound", "NotFoundException", "ResourceNotFoundException", "TargetGroupNotFound",
        "LoadBalancerNotFound", "ListenerNotFound", "RuleNotFound", "TaskSetNotFoundException",
        "RepositoryNotFoundException", "ImageNotFoundException", "FileSystemNotFound", "MountTargetNotFound",
        "AccessPointNotFound", "NoSuchEntity", "LayersNotFoundException", "LayerInaccessibleException",
    };

    /// <summary>True for throttling codes.</summary>
    public static bool IsThrottling(string? errorCode) => errorCode is not null && Throttling.Contains(errorCode);

    /// <summary>True for codes that name a transient condition (throttling, timeouts, internal errors).</summary>
    public static bool IsTransient(string? errorCode) =>
        errorCode is not null && (Throttling.Contains(errorCode) || Transient.Contains(errorCode));

    /// <summary>Strips a <c>namespace#</c> prefix and a <c>:suffix</c> from a JSON error type.</summary>
    public static string Normalize(string? errorCode)
    {
        if (string.IsNullOrEmpty(errorCode))
        {
            return "Unknown";
        }

        var code = errorCode;
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        return code.Trim();
    }

    /// <summary>Maps a service error to an <see cref="AwsApiException"/> of its kind.</summary>
    public static AwsApiException Map(AmazonServiceException exception, string service, string operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = Normalize(exception.ErrorCode);
        var status = (int)exception.StatusCode;
        var info = new AwsErrorInfo(service, operation, code, status, exception.RequestId, exception.Message) { Attempts = AttemptsIn(exception) };
        return code switch
        {
            "ClusterNotFoundException" => new AwsApiException(info, AwsErrorKind.ClusterNotFound, exception),
            "ServiceNotFoundException" => new AwsApiException(info, AwsErrorKind.ServiceNotFound, exception),
            "ServiceNotActiveException" => new AwsApiException(info, AwsErrorKind.ServiceNotActive, exception),
            _ when Throttling.Contains(code) || status == (int)HttpStatusCode.TooManyRequests
                => new AwsApiException(info, AwsErrorKind.Throttling, exception),
            _ when AccessDenied.Contains(code) => new AwsApiException(info, AwsErrorKind.AccessDenied, exception),
            _ when Authentication.Contains(code) => new AwsApiException(info, AwsErrorKind.Authentication, exception),
            _ when InvalidParameter.Contains(code) => new AwsApiException(info, AwsErrorKind.InvalidParameter, exception),
            _ when NotFound.Contains(code) => new AwsApiException(info, AwsErrorKind.NotFound, exception),
            _ when status >= 500 => new AwsApiException(info, AwsErrorKind.Server, exception),
            _ => new AwsApiException(info, exception),
        };
    }

    /// <summary>Maps a failure that produced no service response (connection, timeout).</summary>
    public static AwsApiException MapTransport(Exception exception, string service, string operation) =>
        MapTransport(exception, service, operation, null);

    private static AwsApiException MapTransport(Exception exception, string service, string operation, int? attempts)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = exception is TimeoutException or OperationCanceledException ? "RequestTimeout" : "NetworkError";
        return new AwsApiException(
            new AwsErrorInfo(service, operation, code, 0, null, exception.Message) { Attempts = attempts ?? AttemptsIn(exception) }, AwsErrorKind.Transport, exception);
    }

    private const string ServiceLabel = "EcsTimeoutRemediator.AwsService";
    private const string OperationLabel = "EcsTimeoutRemediator.AwsOperation";
    private const string AttemptsLabel = "EcsTimeoutRemediator.AwsAttempts";

    /// <summary>
    /// Records on <paramref name="exception"/> how many attempts the SDK's pipeline made before it gave up (the
    /// request context's retries plus one), where the failure leaves the pipeline; the outermost record wins.
    /// </summary>
    public static void LabelAttempts(Exception exception, int attempts)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Data.IsReadOnly || attempts < 1)
        {
            return;
        }

        exception.Data[AttemptsLabel] = attempts;
    }

    /// <summary>The attempts recorded by <see cref="LabelAttempts"/> on <paramref name="exception"/> or an inner exception; null when none was.</summary>
    public static int? AttemptsIn(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Data.Contains(AttemptsLabel) && e.Data[AttemptsLabel] is int attempts)
            {
                return attempts;
            }
        }

        return null;
    }

    /// <summary>
    /// Records on <paramref name="exception"/> which service and operation it came from (the innermost label wins:
    /// a failure is labelled where it leaves the SDK client, before anything wraps it).
    /// </summary>
    public static void Label(Exception exception, string service, string operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Data.IsReadOnly || exception.Data.Contains(ServiceLabel))
        {
            return;
        }

        exception.Data[ServiceLabel] = service ?? "";
        exception.Data[OperationLabel] = operation ?? "";
    }

    /// <summary>
    /// The AWS failure in <paramref name="exception"/> or its inner exceptions, as the <see cref="AwsApiException"/> it maps to:
    /// an <see cref="AwsApiException"/> as it is; a stock SDK client's <see cref="AmazonServiceException"/>,
    /// <see cref="AmazonClientException"/> or transport failure (<see cref="HttpRequestException"/>,
    /// <see cref="IOException"/>, a timeout) with the service and operation of its <see cref="Label"/>, or the SDK
    /// namespace of its type. Null when nothing in the chain is an AWS or transport failure.
    /// </summary>
    public static AwsApiException? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var (service, operation) = LabelOf(e);
            switch (e)
            {
                case AwsApiException typed:
                    return typed;
                case AmazonServiceException sdk:
                    return Map(sdk, service ?? ServiceOfType(sdk), operation ?? "");
                case AmazonClientException client:
                    return MapClient(client, service ?? "", operation ?? "");
                case HttpRequestException or IOException or TimeoutException or OperationCanceledException:
                    return MapTransport(e, service ?? FindService(exception) ?? "", operation ?? "", AttemptsIn(exception));
            }
        }

        return null;
    }

    private static (string? Service, string? Operation) LabelOf(Exception e) =>
        e.Data.Contains(ServiceLabel) ? (e.Data[ServiceLabel] as string, e.Data[OperationLabel] as string) : (null, null);

    /// <summary>A label anywhere in the chain (a transport failure wrapped by the SDK carries it outside).</summary>
    private static string? FindService(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (LabelOf(e).Service is { Length: > 0 } service)
            {
                return service;
            }
        }

        return null;
    }

    /// <summary><c>Amazon.EC2.AmazonEC2Exception</c> → EC2, <c>Amazon.DynamoDBv2.Model.…</c> → DynamoDB.</summary>
    private static string ServiceOfType(AmazonServiceException exception)
    {
        var parts = (exception.GetType().Namespace ?? "").Split('.');
        var name = parts.Length >= 2 && parts[0] == "Amazon" && parts[1] != "Runtime" ? parts[1] : "";
        return name switch
        {
            "DynamoDBv2" => "DynamoDB",
            "SimpleSystemsManagement" => "SSM",
            _ => name,
        };
    }

    /// <summary>Maps an SDK client-side failure (no credentials, bad configuration).</summary>
    public static AwsApiException MapClient(AmazonClientException exception, string service, string operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var info = new AwsErrorInfo(service, operation, "SdkClientError", 0, null, exception.Message) { Attempts = AttemptsIn(exception) };
        return exception.InnerException is HttpRequestException or IOException or TimeoutException
            ? new AwsApiException(info with { ErrorCode = "NetworkError" }, AwsErrorKind.Transport, exception)
            : new AwsApiException(info, exception);
    }
}
