using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// Base of the JSON 1.1 protocol clients (ECS; later ECR and CloudWatch Logs) on AWSSDK.Core's pipeline:
/// default credential chain, SigV4, standard retries, endpoint resolution from <see cref="AwsClientConfig"/>.
/// Bodies are (de)serialized with source-generated <see cref="JsonTypeInfo{T}"/>s, never reflection.
/// </summary>
public abstract class AwsJsonClient : AwsProtocolClient
{
    private const string ContentType = "application/x-amz-json-1.1";

    /// <param name="credentials">Null for the SDK's default credential chain.</param>
    /// <param name="config">The service's configuration; it must describe a JSON 1.1 service.</param>
    protected AwsJsonClient(AWSCredentials? credentials, AwsClientConfig config)
        : base(credentials, config)
    {
        if (config.Service.JsonTargetPrefix is null)
        {
            throw new ArgumentException($"{config.Service.ServiceId} is not a JSON 1.1 service.", nameof(config));
        }
    }

    /// <summary>
    /// Calls <paramref name="operation"/> with <paramref name="request"/> as its JSON body and returns the
    /// parsed response body. Service errors surface, after the SDK's retries, as <see cref="AwsApiException"/>s.
    /// </summary>
    protected Task<TResponse> InvokeJsonAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(responseType);

        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var wire = new JsonWireRequest(operation, body);
        var options = new InvokeOptions
        {
            RequestMarshaller = new JsonWireMarshaller(Service),
            ResponseUnmarshaller = new JsonWireUnmarshaller<TResponse>(responseType),
        };

        return AwsCall.RunAsync(
            async () =>
            {
                var response = await InvokeAsync<JsonWireResponse<TResponse>>(wire, options, cancellationToken);
                return response.Result
                    ?? throw new AwsApiException(
                        new AwsErrorInfo(Service.ServiceId, operation, "EmptyResponse", (int)response.HttpStatusCode,
                            response.ResponseMetadata?.RequestId, "The service returned no body."),
                        null);
            },
            Service.ServiceId,
            operation,
            cancellationToken);
    }

    private sealed class JsonWireRequest(string operation, byte[] body) : AmazonWebServiceRequest
    {
        public string Operation { get; } = operation;

        public byte[] Body { get; } = body;
    }

    private sealed class JsonWireResponse<T> : AmazonWebServiceResponse
        where T : class
    {
        public T? Result { get; set; }
    }

    private sealed class JsonWireMarshaller(AwsServiceDescriptor service) : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var wire = (JsonWireRequest)input;
            var request = new DefaultRequest(input, "EcsTimeoutRemediator." + service.EndpointPrefix)
            {
                HttpMethod = "POST",
                ResourcePath = "/",
                // A byte[] body is rewindable, so the retry handler can resend it.
                Content = wire.Body,
            };
            request.Headers["Content-Type"] = ContentType;
            request.Headers["X-Amz-Target"] = service.JsonTargetPrefix + "." + wire.Operation;
            return request;
        }
    }

    private sealed class JsonWireUnmarshaller<T>(JsonTypeInfo<T> responseType) : JsonResponseUnmarshaller
        where T : class
    {
        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
        {
            if (input.IsEmptyResponse)
            {
                return new JsonWireResponse<T> { Result = JsonSerializer.Deserialize("{}"u8, responseType) };
            }

            return new JsonWireResponse<T> { Result = JsonSerializer.Deserialize(input.Stream, responseType) };
        }

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
