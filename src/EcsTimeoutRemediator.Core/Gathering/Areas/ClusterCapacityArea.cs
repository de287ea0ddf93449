using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// A service event's own facts: which task definition was checked, and for a placement failure the cluster
/// (DescribeClusters) and the Auto Scaling group providers the service places with (one DescribeCapacityProviders).
/// A service that runs only on Fargate reads neither.
/// </summary>
internal sealed class ClusterCapacityArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } =
        [new("cluster capacity", DiagnosisScope.ClusterCapacity, "ReadEcs", ["ecs:DescribeClusters", "ecs:DescribeCapacityProviders"])];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        if (!run.Asks(DiagnosisScope.ServiceEvents))
        {
            return context;
        }

        var target = context.Target!;
        var service = context.Service;
        var facts = new ServiceEventFacts
        {
            TaskDefinitionArn = run.Asks(DiagnosisScope.TaskDefinitionState) && run.ReadsTaskDefinition ? AreaRun.TaskDefinitionArnOf(context) : null,
        };
        if (!run.Asks(DiagnosisScope.ClusterCapacity))
        {
            return context with { ServiceEvent = facts };
        }

        var (names, from) = target.EventCapacityProviders.Count > 0 ? (target.EventCapacityProviders, "event")
            : service?.CapacityProviders.Count > 0 ? (service.CapacityProviders, "service")
            : ((IReadOnlyList<string>)[], (string?)null);
        if (!ServiceEventChecks.UsesEc2(service, names) || run.Ports.Inspectors.Clusters is not { } clusters || target.Cluster is not { Length: > 0 } cluster)
        {
            return context with { ServiceEvent = facts with { CapacityProviderNames = names, CapacityProvidersFrom = from } };
        }

        var described = await run.Reads.TryFinding("ecs:DescribeClusters", cluster, () => clusters.DescribeClusterAsync(cluster, run.Cancellation)).ConfigureAwait(false);
        var clusterFacts = described?.Value;
        if (names.Count == 0 && service is { LaunchType: null } && clusterFacts is { DefaultStrategy.Count: > 0 })
        {
            // A service with neither a launch type nor a strategy of its own places with the cluster's default.
            (names, from) = (clusterFacts.DefaultStrategy, "cluster default");
        }

        IReadOnlyList<string> groups = [.. names.Where(n => !CapacityProviderFacts.IsFargate(n)).Distinct(StringComparer.Ordinal)];
        CapacityProviderLookup? lookup = null;
        if (groups.Count > 0)
        {
            lookup = await run.Reads.Try("ecs:DescribeCapacityProviders", string.Join(",", groups),
                () => clusters.DescribeCapacityProvidersAsync(groups, run.Cancellation)).ConfigureAwait(false);
        }

        return context with
        {
            ServiceEvent = facts with { Cluster = clusterFacts, CapacityProviderNames = names, CapacityProvidersFrom = from, CapacityProviders = lookup },
        };
    }
}
