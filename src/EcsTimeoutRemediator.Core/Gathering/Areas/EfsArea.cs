using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The task's EFS file systems: their mount targets, the security groups of the ones in the task's Availability
/// Zones, the task's subnets and groups, and (when the network path was not read) the VPC's DNS attributes the
/// file system's name resolves with.
/// </summary>
internal sealed class EfsArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } =
        [new("file systems", DiagnosisScope.Efs, "ReadFileSystems", ["elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DescribeMountTargetSecurityGroups"])];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        if (context.TaskDefinition is not { EfsVolumes.Count: > 0 } td || !run.Asks(DiagnosisScope.Efs))
        {
            return context;
        }

        var target = context.Target!;
        var subnets = await run.SubnetsAsync(target.Subnets).ConfigureAwait(false);
        var zones = subnets.Select(x => x.AvailabilityZone).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var mountTargets = new Dictionary<string, IReadOnlyList<MountTargetFacts>>(StringComparer.Ordinal);
        if (run.Ports.Inspectors.Efs is { } efs)
        {
            foreach (var fileSystemId in td.EfsVolumes.Select(v => v.FileSystemId).Distinct(StringComparer.Ordinal))
            {
                var targets = await run.Reads.Try("elasticfilesystem:DescribeMountTargets", fileSystemId,
                    () => efs.DescribeMountTargetsAsync(fileSystemId, run.Cancellation)).ConfigureAwait(false);
                if (targets is null)
                {
                    continue;
                }

                var withGroups = new List<MountTargetFacts>();
                foreach (var mountTarget in targets)
                {
                    if (mountTarget.AvailabilityZone is { } zone && zones.Contains(zone))
                    {
                        var groups = await run.Reads.Try("elasticfilesystem:DescribeMountTargetSecurityGroups", mountTarget.MountTargetId,
                            () => efs.DescribeMountTargetSecurityGroupsAsync(mountTarget.MountTargetId, run.Cancellation)).ConfigureAwait(false);
                        withGroups.Add(groups is null ? mountTarget : mountTarget with { SecurityGroups = groups });
                    }
                    else
                    {
                        withGroups.Add(mountTarget);
                    }
                }

                mountTargets[fileSystemId] = withGroups;
            }
        }

        var mountTargetGroups = mountTargets.Values.SelectMany(x => x).SelectMany(m => m.SecurityGroups).Distinct().ToList();
        var groupsRead = await run.GroupsAsync([.. target.SecurityGroups, .. mountTargetGroups]).ConfigureAwait(false);
        context = context with { Efs = new EfsFacts(mountTargets, subnets, groupsRead) };
        if (context.Network is null && subnets is [var first, ..] && first.VpcId is { } vpcId)
        {
            var dns = await run.DnsOfAsync(vpcId).ConfigureAwait(false);
            context = context with { Network = new NetworkFacts(subnets, [], [], [], []) { DnsSupport = dns.Support, DnsHostnames = dns.Hostnames } };
        }

        return context;
    }
}
