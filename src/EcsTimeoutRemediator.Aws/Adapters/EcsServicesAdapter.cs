using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary><see cref="IEcsServices"/> over the ECS client.</summary>
public sealed class EcsServicesAdapter(IEcsClient ecs) : IEcsServices
{
    public async Task<ServiceFacts?> DescribeServiceAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        DescribeServicesResponse response;
        try
        {
            response = await Denials.Guard("ecs:DescribeServices",
                () => ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = [service] }, cancellationToken)).ConfigureAwait(false);
        }
        catch (AwsApiException ex) when (ex.Kind == AwsErrorKind.ClusterNotFound)
        {
            return null;
        }

        var s = response.Services.FirstOrDefault(x => !string.Equals(x.Status, "INACTIVE", StringComparison.OrdinalIgnoreCase));
        return s is null ? null : ToFacts(s);
    }

    public async Task<TaskDefinitionFacts?> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken)
    {
        DescribeTaskDefinitionResponse response;
        try
        {
            response = await Denials.Guard("ecs:DescribeTaskDefinition",
                () => ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = taskDefinition }, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsApiException { Kind: AwsErrorKind.InvalidParameter } or AwsApiException { IsNotFound: true } || IsUnknownTaskDefinition(ex))
        {
            // ECS answers an unknown (or deleted) task definition with ClientException "Unable to describe task definition.";
            // a deregistered one is still described, with status INACTIVE.
            return null;
        }

        return response.TaskDefinition is { } td ? ToFacts(td) : null;
    }

    private static bool IsUnknownTaskDefinition(Exception ex) =>
        ex is AwsApiException { ErrorCode: "ClientException" } api && api.Error.Message.Contains("task definition", StringComparison.OrdinalIgnoreCase);

    public async Task<ServiceFacts> UpdateServiceAsync(ServiceUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var request = new UpdateServiceRequest
        {
            Cluster = update.Cluster,
            Service = update.Service,
            HealthCheckGracePeriodSeconds = update.HealthCheckGracePeriodSeconds,
            NetworkConfiguration = update.Network is { } n
                ? new EcsNetworkConfiguration
                {
                    AwsVpcConfiguration = new EcsAwsVpcConfiguration
                    {
                        Subnets = n.Subnets,
                        SecurityGroups = n.SecurityGroups,
                        AssignPublicIp = n.AssignPublicIp ? "ENABLED" : "DISABLED",
                    },
                }
                : null,
        };
        var updated = await Denials.Guard("ecs:UpdateService", () => ecs.UpdateServiceAsync(request, cancellationToken)).ConfigureAwait(false);
        return ToFacts(updated);
    }

    public static ServiceFacts ToFacts(EcsService s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var vpc = s.NetworkConfiguration?.AwsVpcConfiguration;
        return new ServiceFacts
        {
            ServiceArn = s.ServiceArn ?? "",
            ServiceName = s.ServiceName ?? "",
            ClusterArn = s.ClusterArn ?? "",
            Status = s.Status,
            DesiredCount = s.DesiredCount,
            RunningCount = s.RunningCount,
            LaunchType = s.LaunchType,
            CapacityProviders = [.. s.CapacityProviderStrategy.Select(c => c.CapacityProvider).OfType<string>()],
            PlatformVersion = s.PlatformVersion,
            TaskDefinitionArn = s.TaskDefinition,
            HealthCheckGracePeriodSeconds = s.HealthCheckGracePeriodSeconds,
            LoadBalancers = [.. s.LoadBalancers.Select(l => new ServiceLoadBalancer(l.TargetGroupArn, l.LoadBalancerName, l.ContainerName, l.ContainerPort))],
            Network = vpc is null ? null : new AwsVpcFacts(vpc.Subnets, vpc.SecurityGroups, string.Equals(vpc.AssignPublicIp, "ENABLED", StringComparison.OrdinalIgnoreCase)),
            Tags = s.Tags.Where(t => t.Value is not null).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value!),
            Deployments = [.. s.Deployments.Select(d => new DeploymentFacts(d.Id ?? "", d.Status, d.RolloutState, d.DesiredCount, d.RunningCount, d.FailedTasks)
            {
                RolloutStateReason = d.RolloutStateReason,
                TaskDefinitionArn = d.TaskDefinition,
            })],
            CircuitBreaker = s.DeploymentConfiguration?.DeploymentCircuitBreaker is { } breaker ? new CircuitBreakerFacts(breaker.Enable, breaker.Rollback) : null,
            MaximumPercent = s.DeploymentConfiguration?.MaximumPercent,
            MinimumHealthyPercent = s.DeploymentConfiguration?.MinimumHealthyPercent,
        };
    }

    public static TaskDefinitionFacts ToFacts(EcsTaskDefinition td)
    {
        ArgumentNullException.ThrowIfNull(td);
        return new TaskDefinitionFacts
        {
            TaskDefinitionArn = td.TaskDefinitionArn ?? "",
            Family = td.Family,
            Status = td.Status,
            ExecutionRoleArn = td.ExecutionRoleArn,
            TaskRoleArn = td.TaskRoleArn,
            NetworkMode = td.NetworkMode,
            RequiresCompatibilities = td.RequiresCompatibilities,
            CpuArchitecture = td.RuntimePlatform?.CpuArchitecture,
            OperatingSystemFamily = td.RuntimePlatform?.OperatingSystemFamily,
            Containers = [.. td.ContainerDefinitions.Select(c => new ContainerDefinitionFacts
            {
                Name = c.Name ?? "",
                Image = c.Image,
                Essential = c.Essential ?? true,
                Memory = c.Memory,
                MemoryReservation = c.MemoryReservation,
                ContainerPorts = [.. c.PortMappings.Select(p => p.ContainerPort).OfType<int>()],
                LogDriver = c.LogConfiguration?.LogDriver,
                LogOptions = c.LogConfiguration?.Options ?? new Dictionary<string, string>(),
                SecretValueFrom = [.. c.Secrets.Select(x => x.ValueFrom)],
                RepositoryCredentialsArn = c.RepositoryCredentials?.CredentialsParameter,
                HealthCheckCommand = c.HealthCheck?.Command ?? [],
                HealthCheckStartPeriod = c.HealthCheck?.StartPeriod,
                HealthCheckInterval = c.HealthCheck?.Interval,
                HealthCheckRetries = c.HealthCheck?.Retries,
            })],
            EfsVolumes = [.. td.Volumes.Where(v => v.EfsVolumeConfiguration?.FileSystemId is not null).Select(v => new EfsVolumeFacts(
                v.Name ?? "",
                v.EfsVolumeConfiguration!.FileSystemId!,
                v.EfsVolumeConfiguration.AuthorizationConfig?.AccessPointId,
                string.Equals(v.EfsVolumeConfiguration.AuthorizationConfig?.Iam, "ENABLED", StringComparison.OrdinalIgnoreCase),
                string.Equals(v.EfsVolumeConfiguration.TransitEncryption, "ENABLED", StringComparison.OrdinalIgnoreCase)))],
        };
    }
}
