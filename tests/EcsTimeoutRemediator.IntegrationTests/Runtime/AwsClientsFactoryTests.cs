using Amazon;
using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;

namespace EcsTimeoutRemediator.IntegrationTests.Runtime;

public sealed class AwsClientsFactoryTests
{
    [Fact]
    public void Create_WhenRegionGiven_ShouldConfigureEveryClientForThatRegion()
    {
        using var clients = AwsClients.Create(new AwsClientsOptions
        {
            Region = "eu-west-1",
            Credentials = new BasicAWSCredentials("testing", "testing"),
        });

        Assert.All(
            [clients.Ecs.Config, clients.Sns.Config, clients.ElbV2.Config, clients.Ec2.Config],
            config => Assert.Equal("eu-west-1", config.AuthenticationRegion));
        Assert.Equal("ECS", clients.Ecs.Config.ServiceId);
        Assert.Equal("Elastic Load Balancing v2", clients.ElbV2.Config.ServiceId);
    }

    [Fact]
    public void Create_WhenClientRequestedTwice_ShouldReturnTheSameInstance()
    {
        using var clients = AwsClients.Create(new AwsClientsOptions
        {
            Region = "eu-west-1",
            Credentials = new BasicAWSCredentials("testing", "testing"),
        });

        Assert.Same(clients.Ecs, clients.Ecs);
        Assert.Same(clients.Sns, clients.Sns);
        Assert.Same(clients.ElbV2, clients.ElbV2);
        Assert.Same(clients.Ec2, clients.Ec2);
    }

    [Fact]
    public void Create_WhenDiagnosisClientRequestedTwice_ShouldReturnTheSameInstanceConfiguredLikeTheOthers()
    {
        using var clients = AwsClients.Create(new AwsClientsOptions
        {
            Region = "eu-west-1",
            Credentials = new BasicAWSCredentials("testing", "testing"),
        });

        Assert.Same(clients.Ssm, clients.Ssm);
        Assert.Same(clients.Ecr, clients.Ecr);
        Assert.Same(clients.Logs, clients.Logs);
        Assert.Same(clients.Efs, clients.Efs);
        Assert.Same(clients.Iam, clients.Iam);
        Assert.Same(clients.SecretsManager, clients.SecretsManager);
        Assert.Same(clients.Kms, clients.Kms);
        Assert.Same(clients.Blobs, clients.Blobs);
        Assert.All(
            [clients.Ssm.Config, clients.Ecr.Config, clients.Logs.Config, clients.Efs.Config, clients.SecretsManager.Config, clients.Kms.Config],
            config => Assert.Equal("eu-west-1", config.AuthenticationRegion));
    }

    [Fact]
    public void Create_WhenServiceUrlAndRetriesGiven_ShouldApplyThemToEveryClient()
    {
        using var clients = AwsClients.Create(new AwsClientsOptions
        {
            Credentials = new BasicAWSCredentials("testing", "testing"),
            ServiceUrl = "http://127.0.0.1:4566",
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 5,
            Timeout = TimeSpan.FromSeconds(7),
        });

        Assert.All(
            [clients.Ecs.Config, clients.Sns.Config, clients.ElbV2.Config, clients.Ec2.Config],
            config =>
            {
                Assert.Equal("http://127.0.0.1:4566/", config.ServiceURL);
                Assert.Equal("us-east-1", config.AuthenticationRegion);
                Assert.Equal(5, config.MaxErrorRetry);
                Assert.Equal(TimeSpan.FromSeconds(7), config.Timeout);
            });
    }

    [Fact]
    public void Create_WhenRegionGivenAsSystemName_ShouldSetRegionEndpoint()
    {
        using var clients = AwsClients.Create("ap-northeast-1");

        Assert.Equal(RegionEndpoint.APNortheast1, ((ClientConfig)clients.Ecs.Config).RegionEndpoint);
    }
}
