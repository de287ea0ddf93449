using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;
using Amazon.Util.Internal;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// Client configuration for the hand-written clients, on AWSSDK.Core's <see cref="ClientConfig"/>.
/// Setting <see cref="AwsServiceDescriptor.ServiceId"/> makes <see cref="ClientConfig.ServiceURL"/> honour
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c>, then <c>AWS_ENDPOINT_URL</c>, then the profile's
/// <c>services</c> section; the region comes from <see cref="ClientConfig.RegionEndpoint"/>, else
/// <c>AWS_REGION</c> and the profile. Retry mode is Standard (<c>AWS_MAX_ATTEMPTS</c> and
/// <c>AWS_RETRY_MODE</c> are honoured by the SDK).
/// </summary>
public abstract class AwsClientConfig : ClientConfig
{
    private static readonly string SdkUserAgent = InternalSDKUtils.BuildUserAgentString("4.1.0");

    protected AwsClientConfig(AwsServiceDescriptor service)
        : base(new DefaultConfigurationProvider(StandardDefaults.All))
    {
        ArgumentNullException.ThrowIfNull(service);
        Service = service;
        ServiceId = service.ServiceId;
        AuthenticationServiceName = service.SigningName;
    }

    /// <summary>The service this configuration talks to.</summary>
    public AwsServiceDescriptor Service { get; }

    public override string ServiceVersion => Service.ApiVersion;

    public override string UserAgent => SdkUserAgent;

    public override string RegionEndpointServiceName => Service.EndpointPrefix;

    /// <summary>
    /// The explicit or configured endpoint URL when there is one; otherwise the standard regional
    /// endpoint <c>https://{prefix}[-fips].{region}.{dnsSuffix}</c> of the region's partition.
    /// </summary>
    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var configured = ServiceURL;
        if (!string.IsNullOrEmpty(configured))
        {
            return new Endpoint(configured);
        }

        var region = (parameters.AlternateEndpoint ?? RegionEndpoint)?.SystemName;
        if (string.IsNullOrEmpty(region))
        {
            throw new AmazonClientException(
                $"No region for {Service.ServiceId}: set AWS_REGION, pass a region, or set a service URL.");
        }

        return new Endpoint(ResolveEndpointUrl(region));
    }

    /// <summary>The standard endpoint URL of this service in <paramref name="region"/>.</summary>
    public string ResolveEndpointUrl(string region)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        var partition = Fn.Partition(region);
        var suffix = UseDualstackEndpoint && !string.IsNullOrEmpty(partition.dualStackDnsSuffix)
            ? partition.dualStackDnsSuffix
            : partition.dnsSuffix;
        var scheme = UseHttp ? "http" : "https";
        var host = UseFIPSEndpoint ? Service.EndpointPrefix + "-fips" : Service.EndpointPrefix;
        return Service.IsGlobal
            ? $"{scheme}://{host}.{suffix}"
            : $"{scheme}://{host}.{region}.{suffix}";
    }

    /// <summary>One default configuration per mode, all with Standard retries.</summary>
    private static class StandardDefaults
    {
        public static IReadOnlyList<IDefaultConfiguration> All { get; } =
        [
            Create(DefaultConfigurationMode.Standard, 3100),
            Create(DefaultConfigurationMode.InRegion, 1100),
            Create(DefaultConfigurationMode.CrossRegion, 3100),
            Create(DefaultConfigurationMode.Mobile, 30000),
            Create(DefaultConfigurationMode.Auto, 1100),
        ];

        private static DefaultConfiguration Create(DefaultConfigurationMode mode, int connectMilliseconds) => new()
        {
            Name = mode,
            RetryMode = RequestRetryMode.Standard,
            S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
            ConnectTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
            TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
            TimeToFirstByteTimeout = null,
            HttpRequestTimeout = null,
        };
    }
}

/// <summary>Configuration of <see cref="Ecs.EcsClient"/> (ServiceId "ECS").</summary>
public sealed class EcsClientConfig() : AwsClientConfig(AwsServiceDescriptor.Ecs);

/// <summary>Configuration of <see cref="Sns.SnsClient"/> (ServiceId "SNS").</summary>
public sealed class SnsClientConfig() : AwsClientConfig(AwsServiceDescriptor.Sns);

/// <summary>Configuration of <see cref="ElbV2.ElbV2Client"/> (ServiceId "Elastic Load Balancing v2").</summary>
public sealed class ElbV2ClientConfig() : AwsClientConfig(AwsServiceDescriptor.ElbV2);

/// <summary>Configuration of <see cref="Ecr.EcrClient"/> (ServiceId "ECR").</summary>
public sealed class EcrClientConfig() : AwsClientConfig(AwsServiceDescriptor.Ecr);

/// <summary>Configuration of <see cref="Logs.LogsClient"/> (ServiceId "CloudWatch Logs").</summary>
public sealed class LogsClientConfig() : AwsClientConfig(AwsServiceDescriptor.Logs);

/// <summary>Configuration of <see cref="Efs.EfsClient"/> (ServiceId "EFS").</summary>
public sealed class EfsClientConfig() : AwsClientConfig(AwsServiceDescriptor.Efs);

/// <summary>Configuration of <see cref="SecretsManager.SecretsManagerClient"/> (ServiceId "Secrets Manager").</summary>
public sealed class SecretsManagerClientConfig() : AwsClientConfig(AwsServiceDescriptor.SecretsManager);

/// <summary>Configuration of <see cref="Kms.KmsClient"/> (ServiceId "KMS").</summary>
public sealed class KmsClientConfig() : AwsClientConfig(AwsServiceDescriptor.Kms);

/// <summary>Configuration of <see cref="Sts.StsClient"/> (ServiceId "STS", so <c>AWS_ENDPOINT_URL_STS</c> applies).</summary>
public sealed class StsClientConfig() : AwsClientConfig(AwsServiceDescriptor.Sts);

/// <summary>
/// Configuration of <see cref="Iam.IamClient"/> (ServiceId "IAM"): the global endpoint
/// (<c>https://iam.amazonaws.com</c> in the aws partition), signed for us-east-1 unless told otherwise.
/// </summary>
public sealed class IamClientConfig : AwsClientConfig
{
    public IamClientConfig()
        : base(AwsServiceDescriptor.Iam)
    {
        AuthenticationRegion = "us-east-1";
    }
}
