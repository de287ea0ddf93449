using System.Text.Json.Serialization;
using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>Test-only ECS operations for arranging resources, on the same JSON 1.1 base as <see cref="EcsClient"/>.</summary>
public sealed class EcsSetupClient(AWSCredentials credentials, EcsClientConfig config) : AwsJsonClient(credentials, config)
{
    public async Task<string> CreateClusterAsync(string name)
    {
        var response = await InvokeJsonAsync(
            "CreateCluster", new CreateClusterInput(name), SetupJsonContext.Default.CreateClusterInput,
            SetupJsonContext.Default.CreateClusterOutput, default);
        return response.Cluster!.ClusterArn;
    }

    /// <summary>A cluster with capacity providers and a default strategy (the providers must exist).</summary>
    public async Task<string> CreateClusterAsync(string name, IReadOnlyList<string> capacityProviders, IReadOnlyList<string> defaultStrategy)
    {
        var response = await InvokeJsonAsync(
            "CreateCluster",
            new CreateClusterWithProvidersInput(name, capacityProviders, [.. defaultStrategy.Select(p => new EcsCapacityProviderStrategyItem { CapacityProvider = p, Weight = 1 })]),
            SetupJsonContext.Default.CreateClusterWithProvidersInput, SetupJsonContext.Default.CreateClusterOutput, default);
        return response.Cluster!.ClusterArn;
    }

    /// <summary>A capacity provider over an Auto Scaling group (moto does not check that the group exists).</summary>
    public async Task<string> CreateCapacityProviderAsync(string name, string autoScalingGroupArn, bool managedScaling)
    {
        var response = await InvokeJsonAsync(
            "CreateCapacityProvider",
            new CreateCapacityProviderInput(name, new EcsAutoScalingGroupProvider
            {
                AutoScalingGroupArn = autoScalingGroupArn,
                ManagedScaling = new EcsManagedScaling { Status = managedScaling ? "ENABLED" : "DISABLED", TargetCapacity = 100 },
                ManagedTerminationProtection = "DISABLED",
            }),
            SetupJsonContext.Default.CreateCapacityProviderInput, SetupJsonContext.Default.CreateCapacityProviderOutput, default);
        return response.CapacityProvider!.CapacityProviderArn!;
    }

    /// <summary>UpdateService with the fields CreateService in moto does not keep (deployment configuration, capacity provider strategy).</summary>
    public async Task<EcsService> UpdateServiceAsync(UpdateServiceInput input)
    {
        var response = await InvokeJsonAsync(
            "UpdateService", input, SetupJsonContext.Default.UpdateServiceInput,
            SetupJsonContext.Default.ServiceOutput, default);
        return response.Service!;
    }

    public Task DeregisterTaskDefinitionAsync(string taskDefinition) => InvokeJsonAsync(
        "DeregisterTaskDefinition", new DeregisterTaskDefinitionInput(taskDefinition), SetupJsonContext.Default.DeregisterTaskDefinitionInput,
        SetupJsonContext.Default.EmptyOutput, default);

    public async Task<string> RegisterTaskDefinitionAsync(RegisterTaskDefinitionInput input)
    {
        var response = await InvokeJsonAsync(
            "RegisterTaskDefinition", input, SetupJsonContext.Default.RegisterTaskDefinitionInput,
            SetupJsonContext.Default.RegisterTaskDefinitionOutput, default);
        return response.TaskDefinition!.TaskDefinitionArn!;
    }

    public async Task<EcsService> CreateServiceAsync(CreateServiceInput input)
    {
        var response = await InvokeJsonAsync(
            "CreateService", input, SetupJsonContext.Default.CreateServiceInput,
            SetupJsonContext.Default.ServiceOutput, default);
        return response.Service!;
    }

    public async Task<string> RunTaskAsync(string cluster, string taskDefinition, string? group = null)
    {
        var response = await InvokeJsonAsync(
            "RunTask", new RunTaskInput(cluster, taskDefinition, "FARGATE", group), SetupJsonContext.Default.RunTaskInput,
            SetupJsonContext.Default.RunTaskOutput, default);
        return response.Tasks[0].TaskArn!;
    }

    public Task StopTaskAsync(string cluster, string task, string reason) => InvokeJsonAsync(
        "StopTask", new StopTaskInput(cluster, task, reason), SetupJsonContext.Default.StopTaskInput,
        SetupJsonContext.Default.EmptyOutput, default);

    public Task TagResourceAsync(string resourceArn, params EcsTag[] tags) => InvokeJsonAsync(
        "TagResource", new TagResourceInput(resourceArn, tags), SetupJsonContext.Default.TagResourceInput,
        SetupJsonContext.Default.EmptyOutput, default);
}

public sealed record CreateClusterInput(string ClusterName);

public sealed record CreateClusterWithProvidersInput(string ClusterName, IReadOnlyList<string> CapacityProviders, IReadOnlyList<EcsCapacityProviderStrategyItem> DefaultCapacityProviderStrategy);

public sealed record CreateCapacityProviderInput(string Name, EcsAutoScalingGroupProvider AutoScalingGroupProvider);

public sealed record CreateCapacityProviderOutput(EcsCapacityProvider? CapacityProvider);

public sealed record UpdateServiceInput
{
    public required string Cluster { get; init; }

    public required string Service { get; init; }

    public EcsDeploymentConfiguration? DeploymentConfiguration { get; init; }

    public IReadOnlyList<EcsCapacityProviderStrategyItem>? CapacityProviderStrategy { get; init; }
}

public sealed record DeregisterTaskDefinitionInput(string TaskDefinition);

public sealed record ClusterArnHolder(string ClusterArn);

public sealed record CreateClusterOutput(ClusterArnHolder? Cluster);

public sealed record RegisterTaskDefinitionInput
{
    public required string Family { get; init; }

    public required IReadOnlyList<EcsContainerDefinition> ContainerDefinitions { get; init; }

    public string? NetworkMode { get; init; }

    public IReadOnlyList<string>? RequiresCompatibilities { get; init; }

    public string? Cpu { get; init; }

    public string? Memory { get; init; }

    public string? ExecutionRoleArn { get; init; }

    public string? TaskRoleArn { get; init; }

    public EcsRuntimePlatform? RuntimePlatform { get; init; }

    public IReadOnlyList<EcsVolume>? Volumes { get; init; }
}

public sealed record RegisterTaskDefinitionOutput(EcsTaskDefinition? TaskDefinition);

public sealed record CreateServiceInput
{
    public required string Cluster { get; init; }

    public required string ServiceName { get; init; }

    public required string TaskDefinition { get; init; }

    public int DesiredCount { get; init; } = 1;

    public string? LaunchType { get; init; } = "FARGATE";

    public EcsNetworkConfiguration? NetworkConfiguration { get; init; }

    public IReadOnlyList<EcsLoadBalancer>? LoadBalancers { get; init; }

    public IReadOnlyList<EcsTag>? Tags { get; init; }

    public int? HealthCheckGracePeriodSeconds { get; init; }
}

public sealed record ServiceOutput(EcsService? Service);

public sealed record RunTaskInput(string Cluster, string TaskDefinition, string LaunchType, string? Group);

public sealed record RunTaskOutput(IReadOnlyList<EcsTask> Tasks);

public sealed record StopTaskInput(string Cluster, string Task, string Reason);

public sealed record TagResourceInput(string ResourceArn, IReadOnlyList<EcsTag> Tags);

public sealed record EmptyOutput;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreateClusterInput))]
[JsonSerializable(typeof(CreateClusterWithProvidersInput))]
[JsonSerializable(typeof(CreateCapacityProviderInput))]
[JsonSerializable(typeof(CreateCapacityProviderOutput))]
[JsonSerializable(typeof(UpdateServiceInput))]
[JsonSerializable(typeof(DeregisterTaskDefinitionInput))]
[JsonSerializable(typeof(CreateClusterOutput))]
[JsonSerializable(typeof(RegisterTaskDefinitionInput))]
[JsonSerializable(typeof(RegisterTaskDefinitionOutput))]
[JsonSerializable(typeof(CreateServiceInput))]
[JsonSerializable(typeof(ServiceOutput))]
[JsonSerializable(typeof(RunTaskInput))]
[JsonSerializable(typeof(RunTaskOutput))]
[JsonSerializable(typeof(StopTaskInput))]
[JsonSerializable(typeof(TagResourceInput))]
[JsonSerializable(typeof(EmptyOutput))]
internal sealed partial class SetupJsonContext : JsonSerializerContext;
