using Amazon.EC2.Model;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.ElbV2;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Runtime;

/// <summary>
/// The AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt; path, end to end against moto. These tests
/// set process environment variables, so they live in the moto collection (which runs alone) and restore
/// every variable they touch.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class EndpointEnvironmentTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AwsClients_WhenAwsEndpointUrlIsSet_ShouldSendEveryClientToThatEndpoint()
    {
        using var environment = new EnvironmentScope(("AWS_ENDPOINT_URL", moto.Url));
        using var clients = AwsClients.Create(new AwsClientsOptions { Region = MotoServer.Region, Credentials = MotoServer.Credentials });

        Assert.Equal(moto.Url + "/", clients.Ecs.Config.ServiceURL);
        await AwsAssert.ThrowsAsync(AwsErrorKind.ClusterNotFound, () =>
            clients.Ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "absent", Services = ["web"] }));
        await AwsAssert.ThrowsAsync(AwsErrorKind.NotFound, () => clients.Sns.PublishAsync(new PublishRequest
        {
            TopicArn = $"arn:aws:sns:us-east-1:{MotoServer.AccountId}:absent", Message = "m",
        }));
        await AwsAssert.ThrowsAsync(AwsErrorKind.NotFound, () => clients.ElbV2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest
        {
            TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/absent/0123456789abcdef",
        }));
        var vpcs = await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        Assert.Contains(vpcs.Vpcs, v => v.IsDefault == true);
    }

    [Fact]
    public async Task EcsClient_WhenServiceSpecificVariableIsSet_ShouldPreferItOverTheGlobalOne()
    {
        using var environment = new EnvironmentScope(
            ("AWS_ENDPOINT_URL_ECS", moto.Url),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
        using var setup = new EcsSetupClient(MotoServer.Credentials, moto.Configure(new EcsClientConfig()));
        await setup.CreateClusterAsync("prod");
        var config = new EcsClientConfig { AuthenticationRegion = MotoServer.Region, MaxErrorRetry = 0 };
        using var ecs = new EcsClient(MotoServer.Credentials, config);

        var response = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] });

        Assert.Equal(moto.Url + "/", config.ServiceURL);
        Assert.Equal("MISSING", Assert.Single(response.Failures).Reason);
    }

    [Fact]
    public void ElbV2ClientConfig_WhenItsServiceSpecificVariableIsSet_ShouldResolveItFromTheSpacedServiceId()
    {
        using var environment = new EnvironmentScope(("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", moto.Url));

        Assert.Equal(moto.Url + "/", new ElbV2ClientConfig().ServiceURL);
        Assert.Null(new ElbV2ClientConfig { IgnoreConfiguredEndpointUrls = true }.ServiceURL);
    }

    [Fact]
    public void SnsClientConfig_WhenOtherServicesVariableIsSet_ShouldNotUseIt()
    {
        using var environment = new EnvironmentScope(("AWS_ENDPOINT_URL_ECS", moto.Url), ("AWS_ENDPOINT_URL", null));

        Assert.Null(new SnsClientConfig { RegionEndpoint = Amazon.RegionEndpoint.EUWest1 }.ServiceURL);
    }

    /// <summary>Sets variables for one test and puts the old values back.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly List<(string Name, string? Value)> _previous = [];

        public EnvironmentScope(params (string Name, string? Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous.Add((name, Environment.GetEnvironmentVariable(name)));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
