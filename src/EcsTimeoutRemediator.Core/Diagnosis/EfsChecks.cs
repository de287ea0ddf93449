using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>Mount targets in the task's Availability Zones, port 2049, platform version, access points and IAM.</summary>
public static class EfsChecks
{
    public const int NfsPort = 2049;

    public static IEnumerable<Finding> Check(DiagnosisTarget target, TaskDefinitionFacts td, EfsFacts? efs, NetworkFacts? network)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(td);
        if (td.EfsVolumes.Count == 0)
        {
            yield break;
        }

        var fargate = string.Equals(target.LaunchType, "FARGATE", StringComparison.OrdinalIgnoreCase);
        if (fargate && target.PlatformVersion is { } pv && !string.Equals(pv, "LATEST", StringComparison.OrdinalIgnoreCase)
            && Version.TryParse(pv, out var version) && version < new Version(1, 4, 0))
        {
            yield return Finding.Of("efs-platform-version", FindingStatus.Wrong,
                Sentence.Of($"The task runs on Fargate platform version {pv}; EFS volumes need 1.4.0 or later."), [target.ServiceName ?? td.TaskDefinitionArn], FixId.UpgradePlatformVersion)
            with { Headline = $"Fargate platform {pv} cannot mount EFS" };
        }

        foreach (var volume in td.EfsVolumes)
        {
            if (volume.AccessPointId is not null && !volume.TransitEncryption)
            {
                yield return Finding.Of("efs-access-point", FindingStatus.Wrong,
                    Sentence.Of($"Volume {volume.Name} uses access point {Sentence.Id(volume.AccessPointId)} without transit encryption; ECS requires transitEncryption ENABLED with an access point."),
                    [volume.FileSystemId, volume.AccessPointId], FixId.GrantTaskRolePermissions)
                with { Headline = "EFS access point without transit encryption" };
            }

            if (volume.IamAuthorization && !volume.TransitEncryption)
            {
                yield return Finding.Of("efs-iam", FindingStatus.Wrong,
                    Sentence.Of($"Volume {volume.Name} uses IAM authorization without transit encryption; ECS requires transitEncryption ENABLED for it."),
                    [volume.FileSystemId], FixId.GrantTaskRolePermissions)
                with { Headline = "EFS IAM authorization without transit encryption" };
            }
        }

        if (efs is null)
        {
            yield break;
        }

        var taskGroupIds = target.SecurityGroups.ToHashSet(StringComparer.Ordinal);
        var taskCidrs = efs.TaskSubnets.Select(s => Cidr.TryParse(s.CidrBlock, out var c) ? c : (Cidr?)null).OfType<Cidr>().ToList();
        foreach (var fileSystemId in td.EfsVolumes.Select(v => v.FileSystemId).Distinct(StringComparer.Ordinal))
        {
            if (!efs.MountTargets.TryGetValue(fileSystemId, out var mountTargets))
            {
                continue;
            }

            foreach (var subnet in efs.TaskSubnets)
            {
                var inZone = mountTargets.FirstOrDefault(m => m.AvailabilityZone == subnet.AvailabilityZone
                    && !string.Equals(m.LifeCycleState, "deleted", StringComparison.OrdinalIgnoreCase) && !string.Equals(m.LifeCycleState, "deleting", StringComparison.OrdinalIgnoreCase));
                if (inZone is null)
                {
                    var elsewhere = mountTargets.Count == 0
                        ? Sentence.Words(" (it has none at all)")
                        : Sentence.Of($" (it has them in {string.Join(", ", mountTargets.Select(m => m.AvailabilityZone).Distinct())})");
                    yield return Finding.Of("efs-mount-target", FindingStatus.Missing,
                        Sentence.Of($"File system {Sentence.Id(fileSystemId)} has no mount target in {subnet.AvailabilityZone}, the Availability Zone of the task's subnet {Sentence.Id(subnet.SubnetId)}{elsewhere}."),
                        [fileSystemId, subnet.SubnetId], FixId.AddEfsMountTarget)
                    with { Headline = $"no EFS mount target in {subnet.AvailabilityZone}" };
                    continue;
                }

                var groups = efs.SecurityGroups.Where(g => inZone.SecurityGroups.Contains(g.GroupId)).ToList();
                if (groups.Count == 0)
                {
                    yield return Finding.Of("efs-mount-target", FindingStatus.Ok,
                        Sentence.Of($"File system {Sentence.Id(fileSystemId)} has mount target {Sentence.Id(inZone.MountTargetId)} in {subnet.AvailabilityZone}."), [fileSystemId, inZone.MountTargetId]);
                    continue;
                }

                var open = groups.Any(g => g.Inbound.Any(r => r.CoversPort(NfsPort)
                    && (r.SourceGroupIds.Any(taskGroupIds.Contains) || (taskCidrs.Count > 0 && taskCidrs.Any(t => r.Ipv4Ranges.Any(x => Cidr.TryParse(x, out var c) && c.Contains(t)))))));
                yield return open
                    ? Finding.Of("efs-mount-target", FindingStatus.Ok,
                        Sentence.Of($"File system {Sentence.Id(fileSystemId)} has mount target {Sentence.Id(inZone.MountTargetId)} in {subnet.AvailabilityZone}, open to the task on 2049."), [fileSystemId, inZone.MountTargetId])
                    : Finding.Of("efs-mount-target-sg", FindingStatus.Wrong,
                        Sentence.Of($"The security groups {Sentence.Ids(inZone.SecurityGroups)} of mount target {Sentence.Id(inZone.MountTargetId)} ({subnet.AvailabilityZone}) do not allow inbound TCP 2049 from the task's security groups {Sentence.Ids(taskGroupIds)}."),
                        [.. inZone.SecurityGroups, inZone.MountTargetId], FixId.OpenSecurityGroup)
                    with { Headline = "EFS mount target closed on 2049" };
            }
        }

        var taskGroups = efs.SecurityGroups.Where(g => taskGroupIds.Contains(g.GroupId)).ToList();
        if (taskGroups.Count > 0 && !taskGroups.Any(g => g.Outbound.Any(r => r.CoversPort(NfsPort))))
        {
            yield return Finding.Of("efs-task-egress", FindingStatus.Wrong,
                Sentence.Of($"No security group of the task ({Sentence.Ids(taskGroupIds)}) allows outbound TCP 2049 to the mount targets."),
                [.. taskGroupIds], FixId.OpenSecurityGroup)
            with { Headline = "outbound 2049 blocked" };
        }

        if (network is { } n && efs.TaskSubnets is [var firstSubnet, ..] && firstSubnet.VpcId is { } vpcId && (n.DnsSupport == false || n.DnsHostnames == false))
        {
            yield return Finding.Of("vpc-dns", FindingStatus.Wrong,
                Sentence.Of($"{Sentence.Id(vpcId)} has {Sentence.Words(n.DnsSupport == false ? "DNS resolution" : "DNS hostnames")} off: the file system's DNS name ({Sentence.Id($"{td.EfsVolumes[0].FileSystemId}.efs.{target.Region}.amazonaws.com")}) does not resolve."),
                [vpcId], FixId.EnableVpcDns)
            with { Headline = "EFS DNS name does not resolve" };
        }
    }
}

/// <summary>The EFS area: mount targets, port 2049, platform version and access points.</summary>
public sealed class EfsCheck : IAreaCheck
{
    private static readonly IReadOnlyDictionary<string, string> Unread =
        UnreadNames.All("efs-mount-target", "elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DescribeMountTargetSecurityGroups");

    public DiagnosisScope Checks => DiagnosisScope.Efs;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && input.TaskDefinition is { } td
            ? EfsChecks.Check(input.Target, td, input.Context.Efs, input.Context.Network)
            : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => UnreadNames.Of(gap, Unread);
}
