using Amazon;
using Amazon.Runtime.Endpoints;
using EcsTimeoutRemediator.Aws.Clients;

namespace EcsTimeoutRemediator.IntegrationTests.Runtime;

/// <summary>Endpoint and signing settings of the client configurations, without the process environment.</summary>
public sealed class EndpointResolutionTests
{
    [Theory]
    [InlineData("ecs", "eu-west-1", "https://ecs.eu-west-1.amazonaws.com")]
    [InlineData("sns", "ap-southeast-2", "https://sns.ap-southeast-2.amazonaws.com")]
    [InlineData("elbv2", "us-east-2", "https://elasticloadbalancing.us-east-2.amazonaws.com")]
    [InlineData("ecs", "cn-north-1", "https://ecs.cn-north-1.amazonaws.com.cn")]
    [InlineData("elbv2", "us-gov-west-1", "https://elasticloadbalancing.us-gov-west-1.amazonaws.com")]
    public void DetermineServiceOperationEndpoint_WhenOnlyRegionIsSet_ShouldUseThePartitionsRegionalEndpoint(
        string service, string region, string expected)
    {
        var config = Create(service);
        config.IgnoreConfiguredEndpointUrls = true;
        config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);

        var endpoint = config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(null));

        Assert.Equal(expected, endpoint.URL);
    }

    [Fact]
    public void DetermineServiceOperationEndpoint_WhenFipsIsRequested_ShouldUseTheFipsHost()
    {
        var config = new EcsClientConfig
        {
            IgnoreConfiguredEndpointUrls = true,
            RegionEndpoint = RegionEndpoint.GetBySystemName("us-gov-west-1"),
            UseFIPSEndpoint = true,
        };

        var endpoint = config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(null));

        Assert.Equal("https://ecs-fips.us-gov-west-1.amazonaws.com", endpoint.URL);
    }

    [Fact]
    public void DetermineServiceOperationEndpoint_WhenServiceUrlIsSet_ShouldUseIt()
    {
        var config = new ElbV2ClientConfig { ServiceURL = "http://localhost:4566", AuthenticationRegion = "eu-central-1" };

        var endpoint = config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(null));

        Assert.Equal("http://localhost:4566/", endpoint.URL);
        Assert.Equal("eu-central-1", config.AuthenticationRegion);
    }

    [Theory]
    [InlineData("ecs", "ECS", "ecs", "2014-11-13")]
    [InlineData("sns", "SNS", "sns", "2010-03-31")]
    [InlineData("elbv2", "Elastic Load Balancing v2", "elasticloadbalancing", "2015-12-01")]
    public void Config_WhenCreated_ShouldCarryServiceIdSigningNameVersionAndStandardRetries(
        string service, string serviceId, string signingName, string version)
    {
        var config = Create(service);

        Assert.Equal(serviceId, config.ServiceId);
        Assert.Equal(signingName, config.AuthenticationServiceName);
        Assert.Equal(version, config.ServiceVersion);
        Assert.Equal(Amazon.Runtime.RequestRetryMode.Standard, config.RetryMode);
    }

    private static AwsClientConfig Create(string service) => service switch
    {
        "ecs" => new EcsClientConfig(),
        "sns" => new SnsClientConfig(),
        "elbv2" => new ElbV2ClientConfig(),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };
}
