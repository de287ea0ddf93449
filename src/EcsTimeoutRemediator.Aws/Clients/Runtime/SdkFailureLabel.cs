using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SimpleSystemsManagement;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// The outermost handler of a stock AWS SDK client (EC2, SSM, DynamoDB): a failure that leaves the client after the
/// SDK's retries is labelled with the client's service and the operation (<see cref="AwsErrorCodes.Label"/>), so that
/// <see cref="AwsErrorCodes.Describe"/> can name them even for a bare <see cref="IOException"/>. What is thrown is
/// never changed: callers still catch the SDK's own exception types.
/// </summary>
internal sealed class SdkFailureLabel : PipelineHandler
{
    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        try
        {
            return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var request = executionContext?.RequestContext;
            AwsErrorCodes.Label(e, request?.ServiceMetaData?.ServiceId ?? "", OperationOf(request?.OriginalRequest));
            SdkAttemptsLabel.Record(e, request);
            throw;
        }
    }

    private static string OperationOf(AmazonWebServiceRequest? request)
    {
        var name = request?.GetType().Name ?? "";
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }

    public static void AddTo(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.AddHandler(new SdkFailureLabel());
    }
}

/// <summary>
/// The outermost handler of the hand-written clients (<see cref="AwsProtocolClient"/>): a failure that leaves the
/// pipeline after the SDK's retries carries how many attempts were made (<see cref="AwsErrorCodes.LabelAttempts"/>:
/// the request context's retries plus one), which <see cref="AwsErrorCodes.Map"/> copies into
/// <see cref="AwsErrorInfo.Attempts"/>. What is thrown is never changed.
/// </summary>
internal sealed class SdkAttemptsLabel : PipelineHandler
{
    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        try
        {
            return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Record(e, executionContext?.RequestContext);
            throw;
        }
    }

    /// <summary>Records the attempts of <paramref name="request"/> on <paramref name="exception"/>.</summary>
    public static void Record(Exception exception, IRequestContext? request)
    {
        if (request is not null)
        {
            AwsErrorCodes.LabelAttempts(exception, request.Retries + 1);
        }
    }

    public static void AddTo(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.AddHandler(new SdkAttemptsLabel());
    }
}

/// <summary>AWSSDK.EC2's client with its failures labelled (<see cref="SdkFailureLabel"/>).</summary>
internal sealed class LabelledEc2Client : AmazonEC2Client
{
    public LabelledEc2Client(AmazonEC2Config config)
        : base(config)
    {
    }

    public LabelledEc2Client(AWSCredentials credentials, AmazonEC2Config config)
        : base(credentials, config)
    {
    }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        SdkFailureLabel.AddTo(pipeline);
    }
}

/// <summary>AWSSDK.SimpleSystemsManagement's client with its failures labelled (<see cref="SdkFailureLabel"/>).</summary>
internal sealed class LabelledSsmClient : AmazonSimpleSystemsManagementClient
{
    public LabelledSsmClient(AmazonSimpleSystemsManagementConfig config)
        : base(config)
    {
    }

    public LabelledSsmClient(AWSCredentials credentials, AmazonSimpleSystemsManagementConfig config)
        : base(credentials, config)
    {
    }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        SdkFailureLabel.AddTo(pipeline);
    }
}

/// <summary>AWSSDK.DynamoDBv2's client with its failures labelled (<see cref="SdkFailureLabel"/>).</summary>
internal sealed class LabelledDynamoDbClient : AmazonDynamoDBClient
{
    public LabelledDynamoDbClient(AmazonDynamoDBConfig config)
        : base(config)
    {
    }

    public LabelledDynamoDbClient(AWSCredentials credentials, AmazonDynamoDBConfig config)
        : base(credentials, config)
    {
    }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        SdkFailureLabel.AddTo(pipeline);
    }
}
