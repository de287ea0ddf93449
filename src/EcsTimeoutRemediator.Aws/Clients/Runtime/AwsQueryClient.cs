using System.Net;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// Base of the AWS Query protocol clients (SNS, ELBv2; later IAM) on AWSSDK.Core's pipeline: default
/// credential chain, SigV4, standard retries, endpoint resolution from <see cref="AwsClientConfig"/>.
/// The SDK form-encodes the parameters into the POST body; responses are read as XML by local name.
/// </summary>
public abstract class AwsQueryClient : AwsProtocolClient
{

    /// <param name="credentials">Null for the SDK's default credential chain.</param>
    /// <param name="config">The service's configuration.</param>
    protected AwsQueryClient(AWSCredentials? credentials, AwsClientConfig config)
        : base(credentials, config)
    {
    }

    /// <summary>
    /// Calls <paramref name="action"/> and hands its <c>&lt;{action}Result&gt;</c> element (an empty one when
    /// the response has none) to <paramref name="readResult"/>. Service errors surface, after the SDK's
    /// retries, as <see cref="AwsApiException"/>s.
    /// </summary>
    protected Task<TResult> InvokeQueryAsync<TResult>(
        string action,
        QueryParameters parameters,
        Func<XElement, TResult> readResult,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(readResult);

        var wire = new QueryWireRequest(action, parameters);
        var options = new InvokeOptions
        {
            RequestMarshaller = new QueryWireMarshaller(Service),
            ResponseUnmarshaller = new QueryWireUnmarshaller(action),
        };

        return AwsCall.RunAsync(
            async () =>
            {
                var response = await InvokeAsync<QueryWireResponse>(wire, options, cancellationToken);
                return readResult(response.Result ?? new XElement(action + "Result"));
            },
            Service.ServiceId,
            action,
            cancellationToken);
    }

    private sealed class QueryWireRequest(string action, QueryParameters parameters) : AmazonWebServiceRequest
    {
        public string Action { get; } = action;

        public QueryParameters Parameters { get; } = parameters;
    }

    private sealed class QueryWireResponse : AmazonWebServiceResponse
    {
        public XElement? Result { get; set; }
    }

    private sealed class QueryWireMarshaller(AwsServiceDescriptor service) : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var wire = (QueryWireRequest)input;
            var request = new DefaultRequest(input, "EcsTimeoutRemediator." + service.EndpointPrefix)
            {
                HttpMethod = "POST",
                ResourcePath = "/",
            };
            request.Parameters.Add("Action", wire.Action);
            request.Parameters.Add("Version", service.ApiVersion);
            foreach (var (name, value) in wire.Parameters.Fields)
            {
                request.Parameters[name] = value;
            }

            return request;
        }
    }

    private sealed class QueryWireUnmarshaller(string action) : XmlResponseUnmarshaller
    {
        private static readonly XmlReaderSettings ReaderSettings = new()
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = true,
        };

        public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext input)
        {
            var response = new QueryWireResponse();
            if (input.IsEmptyResponse)
            {
                return response;
            }

            using var reader = XmlReader.Create(input.Stream, ReaderSettings);
            var root = XDocument.Load(reader).Root;
            response.Result = root.Child(action + "Result");
            var requestId = root.Child("ResponseMetadata").Text("RequestId");
            if (requestId is not null)
            {
                response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
            }

            return response;
        }

        public override AmazonServiceException UnmarshallException(
            XmlUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
        {
            var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(input);
            return new AmazonServiceException(
                error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }
    }
}
