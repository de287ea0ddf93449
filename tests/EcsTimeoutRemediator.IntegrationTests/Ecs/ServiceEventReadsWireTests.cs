using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Ecs;

/// <summary>
/// The reads of service-event checks against moto's wire: DescribeClusters and DescribeCapacityProviders through
/// <see cref="EcsClusterAdapter"/> (as <see cref="AwsClients.Inspectors"/> wires it), a task definition's state
/// and a service's circuit breaker through <see cref="EcsServicesAdapter"/>.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ServiceEventReadsWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string Cluster = "payments";
    private const string AsgArn = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:5f1c2a9e-7b3d-4e5f-a1c2-9d8e7f6a5b4c:autoScalingGroupName/payments-asg";
    private readonly EcsClient _ecs = moto.CreateEcsClient();
    private readonly EcsSetupClient _setup = new(MotoServer.Credentials, moto.Configure(new EcsClientConfig()));
    private AwsClients _diagnosis = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _diagnosis = AwsClients.Create(new AwsClientsOptions { Credentials = MotoServer.Credentials, ServiceUrl = moto.Url, AuthenticationRegion = MotoServer.Region });
    }

    public Task DisposeAsync()
    {
        _ecs.Dispose();
        _setup.Dispose();
        _diagnosis.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DescribeClusterAsync_WhenTheClusterHasAProviderAndNoInstance_ShouldReportZeroInstancesAndItsDefaultStrategy()
    {
        await _setup.CreateCapacityProviderAsync("payments-asg", AsgArn, managedScaling: false);
        var arn = await _setup.CreateClusterAsync(Cluster, ["payments-asg"], ["payments-asg"]);

        var cluster = await _diagnosis.Inspectors().Clusters!.DescribeClusterAsync(arn, CancellationToken.None);

        Assert.NotNull(cluster);
        Assert.Equal(arn, cluster.ClusterArn);
        Assert.Equal(Cluster, cluster.ClusterName);
        Assert.Equal("ACTIVE", cluster.Status);
        Assert.Equal(0, cluster.RegisteredContainerInstancesCount);
        Assert.Equal(["payments-asg"], cluster.CapacityProviders);
        Assert.Equal(["payments-asg"], cluster.DefaultStrategy);
    }

    [Fact]
    public async Task DescribeClusterAsync_WhenTheClusterDoesNotExist_ShouldBeNull()
    {
        var cluster = await new EcsClusterAdapter(_ecs).DescribeClusterAsync("ghost", CancellationToken.None);

        Assert.Null(cluster);
    }

    [Fact]
    public async Task DescribeCapacityProvidersAsync_WhenOneExistsAndOneDoesNot_ShouldReadItsGroupAndScalingAndNameTheOther()
    {
        await _setup.CreateCapacityProviderAsync("payments-asg", AsgArn, managedScaling: false);

        var lookup = await _diagnosis.Inspectors().Clusters!.DescribeCapacityProvidersAsync(["payments-asg", "retired-asg"], CancellationToken.None);

        var provider = Assert.Single(lookup.Found);
        Assert.Equal("payments-asg", provider.Name);
        Assert.Equal($"arn:aws:ecs:us-east-1:{MotoServer.AccountId}:capacity-provider/payments-asg", provider.CapacityProviderArn);
        Assert.Equal("ACTIVE", provider.Status);
        Assert.Equal(AsgArn, provider.AutoScalingGroupArn);
        Assert.Equal("payments-asg", provider.AutoScalingGroupName);
        Assert.Equal("DISABLED", provider.ManagedScalingStatus);
        Assert.False(provider.ManagedScalingEnabled);
        Assert.Equal(100, provider.TargetCapacity);
        Assert.Equal(["retired-asg"], lookup.Missing);
    }

    [Fact]
    public async Task DescribeTaskDefinitionAsync_WhenTheRevisionIsDeregistered_ShouldReportItInactive()
    {
        var arn = await RegisterAsync();
        await _setup.DeregisterTaskDefinitionAsync(arn);

        var td = await new EcsServicesAdapter(_ecs).DescribeTaskDefinitionAsync(arn, CancellationToken.None);

        Assert.NotNull(td);
        Assert.Equal("INACTIVE", td.Status);
    }

    [Fact]
    public async Task DescribeTaskDefinitionAsync_WhenTheRevisionDoesNotExist_ShouldBeNullNotAnError()
    {
        var td = await new EcsServicesAdapter(_ecs).DescribeTaskDefinitionAsync("ghost:7", CancellationToken.None);

        Assert.Null(td);
    }

    [Fact]
    public async Task DescribeServiceAsync_WhenTheCircuitBreakerIsConfigured_ShouldReadItWithTheDeploymentsRollout()
    {
        await _setup.CreateClusterAsync(Cluster);
        using var ec2 = moto.CreateEc2Client();
        var network = await TestNetwork.CreateAsync(ec2);
        var arn = await RegisterAsync();
        await _setup.CreateServiceAsync(new CreateServiceInput
        {
            Cluster = Cluster,
            ServiceName = "api",
            TaskDefinition = arn,
            DesiredCount = 6,
            NetworkConfiguration = new EcsNetworkConfiguration { AwsVpcConfiguration = new EcsAwsVpcConfiguration { Subnets = network.SubnetIds, SecurityGroups = [network.SecurityGroupId] } },
        });
        await _setup.UpdateServiceAsync(new UpdateServiceInput
        {
            Cluster = Cluster,
            Service = "api",
            DeploymentConfiguration = new EcsDeploymentConfiguration
            {
                DeploymentCircuitBreaker = new EcsDeploymentCircuitBreaker { Enable = true, Rollback = true },
                MaximumPercent = 200,
                MinimumHealthyPercent = 50,
            },
        });

        var service = await new EcsServicesAdapter(_ecs).DescribeServiceAsync(Cluster, "api", CancellationToken.None);

        Assert.NotNull(service);
        Assert.Equal(new Context.CircuitBreakerFacts(true, true), service.CircuitBreaker);
        Assert.Equal((200, 50), (service.MaximumPercent, service.MinimumHealthyPercent));
        var deployment = Assert.Single(service.Deployments);
        Assert.StartsWith("ecs-svc/", deployment.Id, StringComparison.Ordinal);
        Assert.Equal(arn, deployment.TaskDefinitionArn);
        // moto never fails a deployment: its rollout is IN_PROGRESS until the (simulated) tasks run.
        Assert.Equal("IN_PROGRESS", deployment.RolloutState);
        Assert.Equal($"ECS deployment {deployment.Id} in progress.", deployment.RolloutStateReason);
    }

    private Task<string> RegisterAsync() => _setup.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionInput
    {
        Family = "api",
        NetworkMode = "awsvpc",
        RequiresCompatibilities = ["FARGATE"],
        Cpu = "256",
        Memory = "512",
        ContainerDefinitions = [new EcsContainerDefinition { Name = "api", Image = "nginx", Essential = true, Memory = 512 }],
    });
}
