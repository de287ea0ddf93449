using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary><see cref="IClusterInspector"/> over the ECS client: a cluster or capacity provider that does not exist is a fact.</summary>
public sealed class EcsClusterAdapter(IEcsClient ecs) : IClusterInspector
{
    /// <summary>ECS's own limit of capacity providers per DescribeCapacityProviders call.</summary>
    public const int MaxCapacityProvidersPerCall = 100;

    /// <summary>The IAM actions this adapter's reads need (granted in template.yaml's ReadEcs statement).</summary>
    public static IReadOnlyList<string> Permissions { get; } = ["ecs:DescribeClusters", "ecs:DescribeCapacityProviders"];

    public async Task<ClusterFacts?> DescribeClusterAsync(string cluster, CancellationToken cancellationToken)
    {
        DescribeClustersResponse response;
        try
        {
            response = await Denials.Guard("ecs:DescribeClusters",
                () => ecs.DescribeClustersAsync(new DescribeClustersRequest { Clusters = [cluster] }, cancellationToken)).ConfigureAwait(false);
        }
        catch (AwsApiException ex) when (ex.Kind == AwsErrorKind.ClusterNotFound)
        {
            return null;
        }

        return response.Clusters.Count > 0 && response.Clusters[0] is { } c
            ? new ClusterFacts(c.ClusterArn ?? cluster, c.ClusterName ?? ArnParts(cluster), c.Status, c.RegisteredContainerInstancesCount)
            {
                CapacityProviders = c.CapacityProviders,
                DefaultStrategy = [.. c.DefaultCapacityProviderStrategy.Select(x => x.CapacityProvider).OfType<string>()],
            }
            : null;
    }

    public async Task<CapacityProviderLookup> DescribeCapacityProvidersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count > MaxCapacityProvidersPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(names), names.Count, $"DescribeCapacityProviders takes at most {MaxCapacityProvidersPerCall} names.");
        }

        var response = await Denials.Guard("ecs:DescribeCapacityProviders",
            () => ecs.DescribeCapacityProvidersAsync(new DescribeCapacityProvidersRequest { CapacityProviders = names }, cancellationToken)).ConfigureAwait(false);
        var found = response.CapacityProviders.Select(p => new CapacityProviderFacts(p.Name ?? ArnParts(p.CapacityProviderArn), p.CapacityProviderArn, p.Status)
        {
            AutoScalingGroupArn = p.AutoScalingGroupProvider?.AutoScalingGroupArn,
            ManagedScalingStatus = p.AutoScalingGroupProvider?.ManagedScaling?.Status,
            TargetCapacity = p.AutoScalingGroupProvider?.ManagedScaling?.TargetCapacity,
            ManagedTerminationProtection = p.AutoScalingGroupProvider?.ManagedTerminationProtection,
        }).ToList();

        // A failure names the provider by an ARN (capacity-provider/NAME, or capacity_provider/NAME as moto writes it).
        var missing = names.Where(n => found.All(f => f.Name != n && f.CapacityProviderArn != n)).ToList();
        return new CapacityProviderLookup(found, missing);
    }

    private static string ArnParts(string? arn) => Events.ArnParts.LastSegment(arn) ?? "";
}
