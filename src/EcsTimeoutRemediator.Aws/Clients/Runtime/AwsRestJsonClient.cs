using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// Base of the rest-json protocol clients (EFS) on AWSSDK.Core's pipeline: the operation is an HTTP method and
/// a path, its inputs path segments and query parameters, its output a JSON body. Read-only (GET) for now.
/// </summary>
public abstract class AwsRestJsonClient : AwsProtocolClient
{

    protected AwsRestJsonClient(AWSCredentials? credentials, AwsClientConfig config)
        : base(credentials, config)
    {
    }

    /// <summary>GET <paramref name="path"/> (already escaped) with <paramref name="query"/>; the JSON body parsed.</summary>
    protected Task<TResponse> GetJsonAsync<TResponse>(
        string operation,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> query,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(responseType);
        var options = new InvokeOptions
        {
            RequestMarshaller = new RestWireMarshaller(Service),
            ResponseUnmarshaller = new RestWireUnmarshaller<TResponse>(responseType),
        };

        return AwsCall.RunAsync(
            async () =>
            {
                var response = await InvokeAsync<RestWireResponse<TResponse>>(new RestWireRequest("GET", path, query), options, cancellationToken);
                return response.Result ?? throw new AwsApiException(
                    new AwsErrorInfo(Service.ServiceId, operation, "EmptyResponse", (int)response.HttpStatusCode,
                        response.ResponseMetadata?.RequestId, "The service returned no body."),
                    null);
            },
            Service.ServiceId,
            operation,
            cancellationToken);
    }

    private sealed class RestWireRequest(string method, string path, IReadOnlyList<KeyValuePair<string, string>> query) : AmazonWebServiceRequest
    {
        public string Method { get; } = method;

        public string Path { get; } = path;

        public IReadOnlyList<KeyValuePair<string, string>> Query { get; } = query;
    }

    private sealed class RestWireResponse<T> : AmazonWebServiceResponse
        where T : class
    {
        public T? Result { get; set; }
    }

    private sealed class RestWireMarshaller(AwsServiceDescriptor service) : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var wire = (RestWireRequest)input;
            var request = new DefaultRequest(input, "EcsTimeoutRemediator." + service.EndpointPrefix)
            {
                HttpMethod = wire.Method,
                ResourcePath = wire.Path,
                UseQueryString = true,
            };
            foreach (var (name, value) in wire.Query)
            {
                request.Parameters[name] = value;
            }

            return request;
        }
    }

    private sealed class RestWireUnmarshaller<T>(JsonTypeInfo<T> responseType) : JsonResponseUnmarshaller
        where T : class
    {
        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input) =>
            new RestWireResponse<T>
            {
                Result = input.IsEmptyResponse
                    ? JsonSerializer.Deserialize("{}"u8, responseType)
                    : JsonSerializer.Deserialize(input.Stream, responseType),
            };

        public override AmazonServiceException UnmarshallException(
            JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
        {
            var reader = new StreamingUtf8JsonReader(input.Stream);
            var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(input, ref reader);
            return new AmazonServiceException(
                error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }
    }
}
