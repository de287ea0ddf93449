using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Ecs;

[Collection(MotoCollection.Name)]
public sealed class EcsClientWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string Cluster = "prod";
    private readonly EcsClient _ecs = moto.CreateEcsClient();
    private readonly EcsSetupClient _setup = new(MotoServer.Credentials, moto.Configure(new EcsClientConfig()));

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await _setup.CreateClusterAsync(Cluster);
    }

    public Task DisposeAsync()
    {
        _ecs.Dispose();
        _setup.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DescribeServices_WhenServiceExists_ShouldReturnNetworkLoadBalancersTagsAndDeployment()
    {
        var network = await CreateNetworkAsync();
        var taskDefinition = await RegisterWebTaskDefinitionAsync();
        const string targetGroup = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
        await _setup.CreateServiceAsync(new CreateServiceInput
        {
            Cluster = Cluster,
            ServiceName = "web",
            TaskDefinition = "web",
            DesiredCount = 2,
            NetworkConfiguration = AwsVpc(network, "DISABLED"),
            LoadBalancers = [new EcsLoadBalancer { TargetGroupArn = targetGroup, ContainerName = "app", ContainerPort = 8080 }],
            Tags = [new EcsTag("ecs-remediator:mode", "auto"), new EcsTag("team", "payments")],
        });
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        var response = await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = Cluster, Services = ["web"] });

        Assert.Empty(response.Failures);
        var service = Assert.Single(response.Services);
        Assert.Equal($"arn:aws:ecs:us-east-1:{MotoServer.AccountId}:service/{Cluster}/web", service.ServiceArn);
        Assert.Equal("web", service.ServiceName);
        Assert.Equal("ACTIVE", service.Status);
        Assert.Equal(2, service.DesiredCount);
        Assert.Equal("FARGATE", service.LaunchType);
        Assert.Equal(taskDefinition, service.TaskDefinition);
        Assert.Equal(0, service.HealthCheckGracePeriodSeconds);
        var awsVpc = service.NetworkConfiguration?.AwsVpcConfiguration;
        Assert.NotNull(awsVpc);
        Assert.Equal(network.SubnetIds, awsVpc.Subnets);
        Assert.Equal([network.SecurityGroupId], awsVpc.SecurityGroups);
        Assert.Equal("DISABLED", awsVpc.AssignPublicIp);
        var loadBalancer = Assert.Single(service.LoadBalancers);
        Assert.Equal(targetGroup, loadBalancer.TargetGroupArn);
        Assert.Equal("app", loadBalancer.ContainerName);
        Assert.Equal(8080, loadBalancer.ContainerPort);
        Assert.Equal("auto", service.GetTag("ecs-remediator:mode"));
        Assert.Equal("payments", service.GetTag("team"));
        var deployment = Assert.Single(service.Deployments);
        Assert.Equal("PRIMARY", deployment.Status);
        Assert.Equal("IN_PROGRESS", deployment.RolloutState);
        Assert.Equal(2, deployment.DesiredCount);
        Assert.Equal(0, deployment.FailedTasks);
        Assert.NotNull(deployment.CreatedAt);
        Assert.InRange(deployment.CreatedAt.Value, before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.NotNull(deployment.UpdatedAt);
    }

    [Fact]
    public async Task DescribeServices_WhenServiceIsMissing_ShouldReturnMissingFailure()
    {
        var response = await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = Cluster, Services = ["ghost"] });

        Assert.Empty(response.Services);
        var failure = Assert.Single(response.Failures);
        Assert.Equal("MISSING", failure.Reason);
        Assert.EndsWith("/ghost", failure.Arn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeServices_WhenMoreThanTenServices_ShouldMergeEveryBatch()
    {
        await RegisterBatchTaskDefinitionAsync();
        var names = Enumerable.Range(1, 12).Select(i => $"svc-{i:D2}").ToArray();
        foreach (var name in names)
        {
            await _setup.CreateServiceAsync(new CreateServiceInput
            {
                Cluster = Cluster, ServiceName = name, TaskDefinition = "batch", LaunchType = "EC2",
            });
        }

        var response = await _ecs.DescribeServicesAsync(
            new DescribeServicesRequest { Cluster = Cluster, Services = [.. names, "ghost"] });

        Assert.Equal(names, response.Services.Select(s => s.ServiceName));
        Assert.Equal("MISSING", Assert.Single(response.Failures).Reason);
    }

    [Fact]
    public async Task DescribeServices_WhenClusterIsMissing_ShouldThrowClusterNotFoundException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.ClusterNotFound, () =>
            _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "nope", Services = ["web"] }));

        Assert.Equal("ClusterNotFoundException", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("ECS", error.Service);
        Assert.Equal("DescribeServices", error.Operation);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.False(error.IsRetryable);
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task UpdateService_WhenGracePeriodAndNetworkGiven_ShouldApplyThemAndReturnService()
    {
        var network = await CreateNetworkAsync();
        await RegisterWebTaskDefinitionAsync();
        await _setup.CreateServiceAsync(new CreateServiceInput
        {
            Cluster = Cluster, ServiceName = "web", TaskDefinition = "web", NetworkConfiguration = AwsVpc(network, "DISABLED"),
        });

        var updated = await _ecs.UpdateServiceAsync(new UpdateServiceRequest
        {
            Cluster = Cluster,
            Service = "web",
            HealthCheckGracePeriodSeconds = 120,
            NetworkConfiguration = AwsVpc(network, "ENABLED"),
            ForceNewDeployment = true,
        });

        Assert.Equal("web", updated.ServiceName);
        Assert.Equal(120, updated.HealthCheckGracePeriodSeconds);
        Assert.Equal("ENABLED", updated.NetworkConfiguration?.AwsVpcConfiguration?.AssignPublicIp);
        var described = Assert.Single(
            (await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = Cluster, Services = ["web"] })).Services);
        Assert.Equal(120, described.HealthCheckGracePeriodSeconds);
        Assert.Equal("ENABLED", described.NetworkConfiguration?.AwsVpcConfiguration?.AssignPublicIp);
        Assert.Equal(network.SubnetIds, described.NetworkConfiguration?.AwsVpcConfiguration?.Subnets);
    }

    [Fact]
    public async Task UpdateService_WhenServiceIsMissing_ShouldThrowServiceNotFoundException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.ServiceNotFound, () => _ecs.UpdateServiceAsync(
            new UpdateServiceRequest { Cluster = Cluster, Service = "ghost", HealthCheckGracePeriodSeconds = 60 }));

        Assert.Equal("ServiceNotFoundException", error.ErrorCode);
        Assert.Equal("UpdateService", error.Operation);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task DescribeTaskDefinition_WhenRegistered_ShouldReturnContainersSecretsHealthCheckAndEfsVolume()
    {
        var arn = await RegisterWebTaskDefinitionAsync();

        var response = await _ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = "web:1" });

        var definition = response.TaskDefinition;
        Assert.NotNull(definition);
        Assert.Equal(arn, definition.TaskDefinitionArn);
        Assert.Equal("web", definition.Family);
        Assert.Equal(1, definition.Revision);
        Assert.Equal("awsvpc", definition.NetworkMode);
        Assert.Equal(["FARGATE"], definition.RequiresCompatibilities);
        Assert.Equal("256", definition.Cpu);
        Assert.Equal("512", definition.Memory);
        Assert.Equal("arn:aws:iam::123456789012:role/web-execution", definition.ExecutionRoleArn);
        Assert.Equal("arn:aws:iam::123456789012:role/web-task", definition.TaskRoleArn);
        Assert.Equal("ARM64", definition.RuntimePlatform?.CpuArchitecture);
        Assert.Equal("LINUX", definition.RuntimePlatform?.OperatingSystemFamily);

        var container = Assert.Single(definition.ContainerDefinitions);
        Assert.Equal("app", container.Name);
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3", container.Image);
        Assert.True(container.Essential);
        Assert.Equal(512, container.Memory);
        Assert.Equal(256, container.MemoryReservation);
        var port = Assert.Single(container.PortMappings);
        Assert.Equal(8080, port.ContainerPort);
        Assert.Equal("tcp", port.Protocol);
        Assert.Equal("awslogs", container.LogConfiguration?.LogDriver);
        Assert.Equal("/ecs/web", container.LogConfiguration?.Options["awslogs-group"]);
        var secret = Assert.Single(container.Secrets);
        Assert.Equal(new EcsSecret("DB_PASSWORD", "arn:aws:ssm:us-east-1:123456789012:parameter/web/db"), secret);
        Assert.Equal("arn:aws:secretsmanager:us-east-1:123456789012:secret:registry", container.RepositoryCredentials?.CredentialsParameter);
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], container.HealthCheck?.Command);
        Assert.Equal(30, container.HealthCheck?.Interval);
        Assert.Equal(5, container.HealthCheck?.Timeout);
        Assert.Equal(3, container.HealthCheck?.Retries);
        Assert.Equal(60, container.HealthCheck?.StartPeriod);

        var volume = Assert.Single(definition.Volumes);
        Assert.Equal("shared", volume.Name);
        Assert.Equal("fs-12345678", volume.EfsVolumeConfiguration?.FileSystemId);
        Assert.Equal("/data", volume.EfsVolumeConfiguration?.RootDirectory);
        Assert.Equal("ENABLED", volume.EfsVolumeConfiguration?.TransitEncryption);
        Assert.Equal("fsap-12345678", volume.EfsVolumeConfiguration?.AuthorizationConfig?.AccessPointId);
        Assert.Equal("ENABLED", volume.EfsVolumeConfiguration?.AuthorizationConfig?.Iam);
    }

    [Fact]
    public async Task DescribeTaskDefinition_WhenMissing_ShouldThrowNonRetryableClientException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.Other, () =>
            _ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = "ghost:7" }));

        Assert.Equal("ClientException", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task DescribeTasks_WhenTaskStopped_ShouldReturnStoppedReasonGroupAndContainers()
    {
        var taskDefinition = await RegisterBatchTaskDefinitionAsync();
        var taskArn = await _setup.RunTaskAsync(Cluster, "batch", group: "service:web");
        await _setup.StopTaskAsync(Cluster, taskArn, "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1)");

        var response = await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = Cluster, Tasks = [taskArn] });

        Assert.Empty(response.Failures);
        var task = Assert.Single(response.Tasks);
        Assert.Equal(taskArn, task.TaskArn);
        Assert.Equal(taskDefinition, task.TaskDefinitionArn);
        Assert.Equal("STOPPED", task.DesiredStatus);
        Assert.StartsWith("Task failed ELB health checks", task.StoppedReason, StringComparison.Ordinal);
        Assert.Equal("service:web", task.Group);
        Assert.Equal("FARGATE", task.LaunchType);
        var container = Assert.Single(task.Containers);
        Assert.Equal("worker", container.Name);
        Assert.Equal("busybox:1.36", container.Image);
    }

    [Fact]
    public async Task DescribeTasks_WhenClusterIsMissing_ShouldThrowClusterNotFoundException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.ClusterNotFound, () => _ecs.DescribeTasksAsync(
            new DescribeTasksRequest { Cluster = "nope", Tasks = ["arn:aws:ecs:us-east-1:123456789012:task/nope/1"] }));

        Assert.Equal("DescribeTasks", error.Operation);
    }

    [Fact]
    public async Task ListTagsForResource_WhenServiceTagged_ShouldReturnEveryTag()
    {
        await RegisterBatchTaskDefinitionAsync();
        var service = await _setup.CreateServiceAsync(new CreateServiceInput
        {
            Cluster = Cluster, ServiceName = "worker", TaskDefinition = "batch", LaunchType = "EC2",
            Tags = [new EcsTag("team", "payments")],
        });
        await _setup.TagResourceAsync(service.ServiceArn!, new EcsTag("ecs-remediator:mode", "advise"));

        var response = await _ecs.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = service.ServiceArn! });

        Assert.Equal(
            [new EcsTag("ecs-remediator:mode", "advise"), new EcsTag("team", "payments")],
            response.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    private async Task<TestNetwork> CreateNetworkAsync()
    {
        using var ec2 = moto.CreateEc2Client();
        return await TestNetwork.CreateAsync(ec2);
    }

    private static EcsNetworkConfiguration AwsVpc(TestNetwork network, string assignPublicIp) => new()
    {
        AwsVpcConfiguration = new EcsAwsVpcConfiguration
        {
            Subnets = network.SubnetIds,
            SecurityGroups = [network.SecurityGroupId],
            AssignPublicIp = assignPublicIp,
        },
    };

    private Task<string> RegisterWebTaskDefinitionAsync() => _setup.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionInput
    {
        Family = "web",
        NetworkMode = "awsvpc",
        RequiresCompatibilities = ["FARGATE"],
        Cpu = "256",
        Memory = "512",
        ExecutionRoleArn = "arn:aws:iam::123456789012:role/web-execution",
        TaskRoleArn = "arn:aws:iam::123456789012:role/web-task",
        RuntimePlatform = new EcsRuntimePlatform { CpuArchitecture = "ARM64", OperatingSystemFamily = "LINUX" },
        ContainerDefinitions =
        [
            new EcsContainerDefinition
            {
                Name = "app",
                Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3",
                Essential = true,
                Memory = 512,
                MemoryReservation = 256,
                PortMappings = [new EcsPortMapping { ContainerPort = 8080, Protocol = "tcp" }],
                LogConfiguration = new EcsLogConfiguration
                {
                    LogDriver = "awslogs",
                    Options = new Dictionary<string, string> { ["awslogs-group"] = "/ecs/web", ["awslogs-region"] = "us-east-1" },
                },
                Secrets = [new EcsSecret("DB_PASSWORD", "arn:aws:ssm:us-east-1:123456789012:parameter/web/db")],
                RepositoryCredentials = new EcsRepositoryCredentials
                {
                    CredentialsParameter = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry",
                },
                HealthCheck = new EcsHealthCheck
                {
                    Command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                    Interval = 30,
                    Timeout = 5,
                    Retries = 3,
                    StartPeriod = 60,
                },
            },
        ],
        Volumes =
        [
            new EcsVolume
            {
                Name = "shared",
                EfsVolumeConfiguration = new EcsEfsVolumeConfiguration
                {
                    FileSystemId = "fs-12345678",
                    RootDirectory = "/data",
                    TransitEncryption = "ENABLED",
                    AuthorizationConfig = new EcsEfsAuthorizationConfig { AccessPointId = "fsap-12345678", Iam = "ENABLED" },
                },
            },
        ],
    });

    // moto cannot run awsvpc tasks (its ENI lacks private_dns_name), so task tests use bridge mode.
    private Task<string> RegisterBatchTaskDefinitionAsync() => _setup.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionInput
    {
        Family = "batch",
        NetworkMode = "bridge",
        ContainerDefinitions = [new EcsContainerDefinition { Name = "worker", Image = "busybox:1.36", Essential = true, Memory = 128 }],
    });
}
