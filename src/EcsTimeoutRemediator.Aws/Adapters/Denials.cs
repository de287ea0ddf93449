using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// Turns an AccessDenied from AWS into the core's <see cref="PermissionDeniedException"/> (a gap, not a failure);
/// every other error passes through unchanged so the invocation fails and is retried.
/// </summary>
internal static class Denials
{
    public static async Task<T> Guard<T>(string action, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AccessDeniedException ex)
        {
            throw new PermissionDeniedException(action, ex.Message);
        }
        catch (AmazonServiceException ex) when (AwsErrorCodes.Map(ex, "EC2", action) is Clients.AccessDeniedException)
        {
            throw new PermissionDeniedException(action, ex.Message);
        }
    }
}
