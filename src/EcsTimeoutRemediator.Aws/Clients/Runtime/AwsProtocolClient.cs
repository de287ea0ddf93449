using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// What every protocol base (JSON 1.1, Query, rest-json) shares on AWSSDK.Core's pipeline: the default
/// credential chain, the service's metadata, and the SigV4 auth handler the v4 pipeline lacks by default.
/// </summary>
public abstract class AwsProtocolClient : AmazonServiceClient
{
    private AwsServiceMetadata? _metadata;

    /// <param name="credentials">Null for the SDK's default credential chain.</param>
    /// <param name="config">The service's configuration.</param>
    protected AwsProtocolClient(AWSCredentials? credentials, AwsClientConfig config)
        : base(credentials!, config ?? throw new ArgumentNullException(nameof(config)))
    {
        Service = config.Service;
    }

    /// <summary>The service this client talks to.</summary>
    protected AwsServiceDescriptor Service { get; }

    // Read by the base constructor, so it is computed on first use, not assigned in this constructor.
    protected override IServiceMetadata ServiceMetadata =>
        _metadata ??= new AwsServiceMetadata(((AwsClientConfig)Config).Service.ServiceId);

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.AddHandlerAfter<Marshaller>(new SigV4AuthResolver());
        SdkAttemptsLabel.AddTo(pipeline);
    }
}
