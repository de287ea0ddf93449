using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>Runs one SDK invocation and maps its failure to an <see cref="AwsApiException"/> of its kind.</summary>
internal static class AwsCall
{
    public static async Task<T> RunAsync<T>(
        Func<Task<T>> invoke, string service, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await invoke();
        }
        catch (AmazonServiceException ex)
        {
            throw AwsErrorCodes.Map(ex, service, operation);
        }
        catch (AmazonClientException ex)
        {
            throw AwsErrorCodes.MapClient(ex, service, operation);
        }
        catch (HttpRequestException ex)
        {
            throw AwsErrorCodes.MapTransport(ex, service, operation);
        }
        catch (IOException ex)
        {
            throw AwsErrorCodes.MapTransport(ex, service, operation);
        }
        catch (TimeoutException ex)
        {
            throw AwsErrorCodes.MapTransport(ex, service, operation);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation the caller did not ask for.
            throw AwsErrorCodes.MapTransport(new TimeoutException(ex.Message, ex), service, operation);
        }
    }
}

/// <summary>Service metadata the pipeline reads while the base constructor runs.</summary>
internal sealed class AwsServiceMetadata(string serviceId) : IServiceMetadata
{
    public string ServiceId { get; } = serviceId;

    public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
}
