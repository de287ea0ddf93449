using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>The image references and, for ECR, the repository, the tag or digest and the platforms.</summary>
public static class RegistryChecks
{
    public static IEnumerable<Finding> Check(DiagnosisTarget target, string? category, TaskDefinitionFacts td, RegistryFacts? registry)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(td);
        var images = td.Containers.Select(c => (c.Name, c.Image))
            .Where(x => target.ContainerName is null || category is null || x.Name == target.ContainerName || x.Image == target.Image)
            .ToList();
        if (images.Count == 0)
        {
            images = [.. td.Containers.Select(c => (c.Name, c.Image))];
        }

        foreach (var (name, image) in images)
        {
            var reference = ImageReference.Parse(image);
            if (reference is null)
            {
                yield return Finding.Of("image-reference", FindingStatus.Wrong,
                    Sentence.Of($"Container {name} has no valid image reference (\"{image}\")."), [td.TaskDefinitionArn], FixId.FixImageReference)
                with { Headline = $"invalid image reference in {name}" };
                continue;
            }

            var r = reference.Value;
            var what = r.Digest is { } d ? Sentence.Of($"digest {d}") : Sentence.Of($"tag {r.Tag}");
            if (!r.IsEcr)
            {
                if (category is null or Category.ImagePullNotFound)
                {
                    yield return Finding.Of("image", FindingStatus.Unknown,
                        Sentence.Of($"Container {name} pulls {r.Repository} ({what}) from {r.Registry}: only ECR images are looked up."), [image!]);
                }

                continue;
            }

            var facts = registry?.Images.FirstOrDefault(f => f.RegistryId == r.RegistryId && f.Repository == r.Repository && f.Tag == r.Tag && f.Digest == r.Digest);
            if (facts is null)
            {
                continue;
            }

            if (!facts.RepositoryExists)
            {
                yield return Finding.Of("ecr-repository", FindingStatus.Missing,
                    Sentence.Of($"The ECR repository {Sentence.Id(r.Repository)} does not exist in registry {Sentence.Id(r.RegistryId)} (container {name} pulls {Sentence.Id(image)})."),
                    [image!], FixId.FixImageReference)
                with { Headline = $"repository {r.Repository} does not exist" };
            }
            else if (!facts.ImageExists)
            {
                yield return Finding.Of("ecr-image", FindingStatus.Missing,
                    Sentence.Of($"The ECR repository {Sentence.Id(r.Repository)} has no image with {what} (container {name} pulls {Sentence.Id(image)})."),
                    [image!], FixId.FixImageReference)
                with { Headline = $"{r.Repository}:{r.Tag ?? r.Digest} not in ECR" };
            }
            else
            {
                yield return Finding.Of("ecr-image", FindingStatus.Ok, Sentence.Of($"{Sentence.Id(image)} exists in ECR."), [image!]);
                // doctor (no category) compares the platforms only when it could read them.
                if (category == Category.ImagePullPlatform || (category is null && facts.Platforms is { Count: > 0 }))
                {
                    var platform = TaskPlatform(td);
                    if (facts.Platforms is { Count: > 0 } built)
                    {
                        yield return built.Any(p => p == platform || p.StartsWith(platform + "/", StringComparison.Ordinal))
                            ? Finding.Of("image-platform", FindingStatus.Ok, Sentence.Of($"{Sentence.Id(image)} was built for {string.Join(", ", built)}, which includes the task's {platform}."), [image!])
                            : Finding.Of("image-platform", FindingStatus.Wrong,
                                Sentence.Of($"{Sentence.Id(image)} was built for {string.Join(", ", built)} only; the task runs on {platform} (runtimePlatform of {Sentence.Id(td.TaskDefinitionArn)})."),
                                [image!, td.TaskDefinitionArn], FixId.MatchRuntimePlatform)
                            with { Headline = $"image has no {platform} variant" };
                    }
                    else
                    {
                        yield return Finding.Of("image-platform", FindingStatus.Unknown,
                            Sentence.Of($"{Sentence.Id(image)} is a {Sentence.Words(facts.IsMultiPlatform ? "multi-platform image whose platform list could not be read" : "single-platform image, whose architecture is only in its image configuration")}; the task runs on {platform}: compare with docker manifest inspect."),
                            [image!]);
                    }
                }
            }
        }
    }

    private static string Arch(string? cpu) => string.Equals(cpu, "ARM64", StringComparison.OrdinalIgnoreCase) ? "arm64" : "amd64";

    /// <summary>The task's platform as image manifests name it: <c>linux/amd64</c>, <c>windows/amd64</c>, …</summary>
    private static string TaskPlatform(TaskDefinitionFacts td) =>
        $"{(td.OperatingSystemFamily?.StartsWith("WINDOWS", StringComparison.OrdinalIgnoreCase) == true ? "windows" : "linux")}/{Arch(td.CpuArchitecture)}";
}

/// <summary>The execution role (and the task role for EFS) against what the task definition needs.</summary>
public static class RoleChecks
{
    /// <summary>The execution role's missing permissions, or empty.</summary>
    public static IReadOnlyList<RequiredPermission> Missing(RolePermissionFacts? role) =>
        role is null || role.Decisions.Count == 0
            ? []
            : [.. role.Required.Where(p => RolePermissions.DecisionFor(p, role.Decisions) is not ({ IsAllowed: true } or { IsUndecided: true }))];

    /// <summary>The permissions whose statements hang on condition keys the simulator could not evaluate.</summary>
    public static IReadOnlyList<(RequiredPermission Permission, PermissionDecision Decision)> Undecided(RolePermissionFacts? role) =>
        role is null || role.Decisions.Count == 0
            ? []
            : [.. role.Required
                .Select(p => (Permission: p, Decision: RolePermissions.DecisionFor(p, role.Decisions)))
                .Where(x => x.Decision is { IsUndecided: true })
                .Select(x => (x.Permission, x.Decision!))];

    public static IEnumerable<Finding> CheckExecutionRole(TaskDefinitionFacts td, DiagnosisScope scope, RolePermissionFacts? role, string region, string account)
    {
        ArgumentNullException.ThrowIfNull(td);
        if (td.ExecutionRoleArn is null)
        {
            var required = RolePermissions.ForExecutionRole(td, region, account, scope);
            if (required.Count > 0)
            {
                yield return Finding.Of("execution-role", FindingStatus.Missing,
                    Sentence.Of($"Task definition {Sentence.Id(td.TaskDefinitionArn)} has no execution role, but it needs one to {string.Join(", ", required.Select(p => p.Why).Distinct())}."),
                    [td.TaskDefinitionArn], FixId.GrantExecutionRolePermissions)
                with { Headline = "no execution role" };
            }

            yield break;
        }

        foreach (var finding in CheckRole("execution-role", "execution role", role, FixId.GrantExecutionRolePermissions))
        {
            yield return finding;
        }
    }

    public static IEnumerable<Finding> CheckTaskRoleForEfs(TaskDefinitionFacts td, RolePermissionFacts? role)
    {
        ArgumentNullException.ThrowIfNull(td);
        var iamVolumes = td.EfsVolumes.Where(v => v.IamAuthorization).ToList();
        if (iamVolumes.Count == 0)
        {
            yield break;
        }

        if (td.TaskRoleArn is null)
        {
            yield return Finding.Of("efs-iam", FindingStatus.Missing,
                Sentence.Of($"The EFS volumes {string.Join(", ", iamVolumes.Select(v => v.Name))} use IAM authorization, but the task definition has no task role to authorize the mount with."),
                [td.TaskDefinitionArn], FixId.GrantTaskRolePermissions)
            with { Headline = "EFS IAM authorization without a task role" };
            yield break;
        }

        foreach (var finding in CheckRole("efs-iam", "task role", role, FixId.GrantTaskRolePermissions))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> CheckRole(string check, string what, RolePermissionFacts? role, string fix)
    {
        if (role is null || role.Required.Count == 0)
        {
            yield break;
        }

        if (role.Decisions.Count == 0)
        {
            yield return Finding.Of(check, FindingStatus.Wrong,
                Sentence.Of($"The {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} does not exist (the policy simulator knows no such role)."), [role.RoleArn], fix)
            with { Headline = $"{what} does not exist" };
            yield break;
        }

        var missing = Missing(role);
        foreach (var (permission, decision) in Undecided(role))
        {
            yield return Finding.Of(check, FindingStatus.Unknown,
                Sentence.Of($"unknown (the {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} may {permission.Action} on {Sentence.Id(permission.Resource)} only under conditions on {string.Join(", ", decision.MissingContext)}, which the policy simulator cannot evaluate; needed to {permission.Why})"),
                [role.RoleArn, permission.Resource]);
        }

        if (missing.Count == 0)
        {
            var granted = role.Required.Where(p => RolePermissions.DecisionFor(p, role.Decisions) is { IsAllowed: true }).Select(p => p.Action).Distinct().ToList();
            if (granted.Count > 0)
            {
                yield return Finding.Of(check, FindingStatus.Ok,
                    Sentence.Of($"The {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} is allowed {string.Join(", ", granted)} on the task's resources."), [role.RoleArn]);
            }

            yield break;
        }

        var denied = missing.Select(p => (Permission: p, Decision: RolePermissions.DecisionFor(p, role.Decisions)?.Decision ?? "implicitDeny")).ToList();
        var explicitDeny = denied.Any(d => string.Equals(d.Decision, "explicitDeny", StringComparison.OrdinalIgnoreCase));
        var policy = RolePermissions.PolicyJson(missing);
        var refused = Sentence.Join("; ", denied.Select(d => Sentence.Of($"{d.Permission.Action} on {Sentence.Id(d.Permission.Resource)} ({d.Decision}, needed to {d.Permission.Why})")));
        var removeDeny = explicitDeny ? Sentence.Words(" An explicit Deny statement must be removed first.") : Sentence.Empty;
        yield return Finding.Of(check, FindingStatus.Missing,
            Sentence.Of($"The {Sentence.Words(what)} {Sentence.Id(role.RoleArn)} may not {refused}.{removeDeny} Missing policy: {policy}"),
            [role.RoleArn, .. missing.Select(p => p.Resource).Distinct()], fix)
        with
        {
            Headline = $"{what} lacks {missing[0].Action}",
            Detail = policy,
        };
    }
}

/// <summary>The customer managed KMS keys of the task's secrets and parameters exist and are enabled.</summary>
public static class SecretKeyChecks
{
    public static IEnumerable<Finding> Check(IReadOnlyList<SecretKeyFacts> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var byKey in keys.GroupBy(k => k.KeyArn ?? k.KeyId, StringComparer.Ordinal))
        {
            var first = byKey.First();
            var what = Sentence.Ids(byKey.Select(k => k.Resource).Distinct(StringComparer.Ordinal));
            if (first.AliasMissing)
            {
                yield return Finding.Of("secret-key", FindingStatus.Unknown,
                    Sentence.Of($"unknown (KMS alias {Sentence.Id(first.KeyId)}, named by {what}, no longer exists: values stored under it still decrypt with their own key, which cannot be named, so kms:Decrypt is not checked)"),
                    [first.KeyId, .. byKey.Select(k => k.Resource)]);
            }
            else if (!first.KeyExists)
            {
                yield return Finding.Of("secret-key", FindingStatus.Missing,
                    Sentence.Of($"KMS key {Sentence.Id(first.KeyId)}, which encrypts {what}, does not exist: the value can no longer be decrypted and must be stored again under an existing key."),
                    [byKey.Key, .. byKey.Select(k => k.Resource)], FixId.FixSecretReference)
                with { Headline = "the KMS key of a secret does not exist" };
            }
            else if (first.Key is { IsUsable: false } key)
            {
                yield return Finding.Of("secret-key", FindingStatus.Wrong,
                    Sentence.Of($"KMS key {Sentence.Id(key.KeyArn)}, which encrypts {what}, is {key.KeyState}: nothing can decrypt with it until it is enabled."),
                    [key.KeyArn, .. byKey.Select(k => k.Resource)], FixId.EnableKmsKey)
                with { Headline = $"the KMS key of a secret is {key.KeyState}" };
            }
            else if (first.Key is { } usable)
            {
                yield return Finding.Of("secret-key", FindingStatus.Ok,
                    Sentence.Of($"{what} is encrypted with customer managed KMS key {Sentence.Id(usable.KeyArn)} ({usable.KeyState}); the execution role needs kms:Decrypt on it, and the key policy must allow the role."),
                    [usable.KeyArn]);
            }
        }
    }
}

/// <summary>The awslogs log groups exist, or the driver creates them with the permission for it.</summary>
public static class LogsChecks
{
    public static IEnumerable<Finding> Check(DiagnosisTarget target, TaskDefinitionFacts td, IReadOnlyDictionary<string, LogGroupFacts?>? groups, RolePermissionFacts? role)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(td);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in td.Containers)
        {
            if (RolePermissions.LogGroupOf(container, target.Region) is not { } settings || !seen.Add(settings.Name))
            {
                continue;
            }

            if (groups is null || !groups.TryGetValue(settings.Name, out var group))
            {
                if (!string.Equals(settings.Region, target.Region, StringComparison.Ordinal))
                {
                    yield return Finding.Of("log-group", FindingStatus.Unknown,
                        Sentence.Of($"Log group {Sentence.Id(settings.Name)} is in {settings.Region}; only {target.Region} was read."), [settings.Name]);
                }

                continue;
            }

            if (group is not null)
            {
                yield return Finding.Of("log-group", FindingStatus.Ok, Sentence.Of($"Log group {Sentence.Id(settings.Name)} exists."), [group.Arn ?? settings.Name]);
            }
            else if (settings.CreateGroup)
            {
                var create = role?.Required.FirstOrDefault(p => p.Action == RolePermissions.CreateLogGroup);
                var allowed = create is null || role is null || role.Decisions.Count == 0 ? (bool?)null : RolePermissions.DecisionFor(create, role.Decisions)?.IsAllowed ?? false;
                if (allowed == false)
                {
                    var policy = RolePermissions.PolicyJson([create!]);
                    yield return Finding.Of("log-group", FindingStatus.Missing,
                        Sentence.Of($"Log group {Sentence.Id(settings.Name)} does not exist; awslogs-create-group is set but the execution role {Sentence.Id(role!.RoleArn)} may not logs:CreateLogGroup. Missing policy: {policy}"),
                        [settings.Name, role.RoleArn], FixId.GrantExecutionRolePermissions)
                    with { Headline = $"execution role cannot create log group {settings.Name}", Detail = policy };
                }
                else
                {
                    yield return Finding.Of("log-group", allowed == true ? FindingStatus.Ok : FindingStatus.Unknown,
                        Sentence.Of($"Log group {Sentence.Id(settings.Name)} does not exist yet; awslogs-create-group is set{Sentence.Words(allowed == true ? " and the execution role may create it" : ", but whether the execution role may create it is unknown")}."),
                        [settings.Name]);
                }
            }
            else
            {
                yield return Finding.Of("log-group", FindingStatus.Missing,
                    Sentence.Of($"Log group {Sentence.Id(settings.Name)} (container {container.Name}) does not exist and awslogs-create-group is not set."),
                    [settings.Name], FixId.CreateLogGroup)
                with { Headline = $"log group {settings.Name} missing" };
            }
        }
    }
}

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

/// <summary>The containers' own health checks: a command Docker understands and a start period that covers boot.</summary>
public static class ContainerHealthChecks
{
    public static IEnumerable<Finding> Check(DiagnosisTarget target, string? category, TaskDefinitionFacts td)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(td);
        var lived = target.StartedAt is { } started && target.StoppingAt is { } stopping ? (stopping - started).TotalSeconds : (double?)null;
        foreach (var container in td.Containers.Where(c => c.HealthCheckCommand.Count > 0))
        {
            var kind = container.HealthCheckCommand[0];
            if (kind is not ("CMD" or "CMD-SHELL") || container.HealthCheckCommand.Count < 2)
            {
                yield return Finding.Of("container-health-check", FindingStatus.Wrong,
                    Sentence.Of($"The health check of container {container.Name} is [{string.Join(", ", container.HealthCheckCommand.Select(x => $"\"{x}\""))}]: it must start with \"CMD\" or \"CMD-SHELL\" followed by the command."),
                    [td.TaskDefinitionArn], FixId.FixHealthCheck)
                with { Headline = $"malformed health check in {container.Name}" };
                continue;
            }

            var start = container.HealthCheckStartPeriod ?? 0;
            var interval = container.HealthCheckInterval ?? 30;
            var retries = container.HealthCheckRetries ?? 3;
            var window = start + (interval * retries);
            if (category == Category.HealthContainer && lived is { } l && l <= window + 30)
            {
                yield return Finding.Of("container-health-start-period", FindingStatus.Wrong,
                    Sentence.Of($"Container {container.Name} was killed {l:0} s after start: its health check ({string.Join(' ', container.HealthCheckCommand.Skip(1))}) allows {start} s start period + {retries} × {interval} s, less than the application needs to boot."),
                    [td.TaskDefinitionArn], FixId.RaiseContainerHealthStartPeriod)
                with { Headline = $"killed during start-up (start period {start} s)" };
            }
            else
            {
                yield return Finding.Of("container-health-check", FindingStatus.Ok,
                    Sentence.Of($"Container {container.Name} checks {string.Join(' ', container.HealthCheckCommand.Skip(1))} every {interval} s, {retries} retries, start period {start} s."),
                    [td.TaskDefinitionArn]);
            }
        }
    }
}
