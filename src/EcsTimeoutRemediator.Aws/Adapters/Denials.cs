using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// Turns an AccessDenied from AWS into the core's <see cref="PermissionDeniedException"/> (a gap, not a failure), and
/// a failure after the SDK's retries (server error, throttling, transport) into <see cref="ServiceFailureException"/>
/// with the AWS exception inside, so the invocation still fails and is retried; every other error passes through unchanged.
/// </summary>
internal static class Denials
{
    public static async Task<T> Guard<T>(string action, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AwsApiException ex) when (ex.Kind == AwsErrorKind.AccessDenied)
        {
            throw new PermissionDeniedException(action, ex.Message);
        }
        catch (AmazonServiceException ex) when (AwsErrorCodes.Map(ex, "EC2", action) is { Kind: AwsErrorKind.AccessDenied })
        {
            throw new PermissionDeniedException(action, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && AwsErrorCodes.Describe(ex) is { IsRetryable: true } failed)
        {
            // Still an error (the event path fails and is retried); doctor reads the service, status and attempts.
            throw new ServiceFailureException(action, FailureOf(failed), ex);
        }
    }

    /// <summary>The core's account of a failure after the SDK's retries.</summary>
    public static ServiceFailure FailureOf(AwsApiException failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return new ServiceFailure(failed.Service, failed.StatusCode, failed.ErrorCode, failed.Error.Attempts);
    }
}
