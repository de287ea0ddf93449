using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Gathering;

/// <summary>
/// Reads, through the ports, only what the category's checks need (<see cref="CategoryDefinition.Areas"/>): a benign
/// stop costs no call at all, a network failure reads the VPC around the task's subnets, a health failure its
/// target group. Every describe call is made at most once per invocation (a per-invocation cache) and at most
/// <see cref="MaxReadsPerEvent"/> calls are made for one event. A denied read becomes a <see cref="ReadGap"/>;
/// every other error propagates, except that <c>doctor</c> (<see cref="GatherAsync(DiagnosisTarget, DiagnosisScope, CancellationToken)"/>)
/// also records a read AWS did not answer after the SDK's retries (<see cref="ServiceFailureException"/>) as a gap of
/// that area and goes on.
/// </summary>
public sealed class ContextGatherer
{
    /// <summary>The read budget of one event.</summary>
    public const int MaxReadsPerEvent = 10;

    /// <summary>The read budget of one <c>doctor</c> run (every check).</summary>
    public const int MaxReadsPerDoctorRun = 40;

    /// <summary>
    /// Every IAM action a read of the gatherer needs: each read is named by its action (a denied one becomes a gap
    /// of that action), and the template's role must grant every one of them (checked by the template tests).
    /// </summary>
    public static IReadOnlyList<string> ReadActions => ReadAreas.Actions;

    private const int MaxImagesPerRun = 4;

    /// <summary>The reads the key lookups leave for the execution role's simulation.</summary>
    private const int ReservedForSimulation = 1;

    private readonly IEcsServices _ecs;
    private readonly INetworkInspector _network;
    private readonly ILoadBalancerInspector _loadBalancers;
    private readonly DiagnosisInspectors _inspectors;

    public ContextGatherer(IEcsServices ecs, INetworkInspector network, ILoadBalancerInspector loadBalancers)
        : this(ecs, network, loadBalancers, new DiagnosisInspectors())
    {
    }

    public ContextGatherer(IEcsServices ecs, INetworkInspector network, ILoadBalancerInspector loadBalancers, DiagnosisInspectors inspectors)
        : this(new AccountPorts(
            ecs ?? throw new ArgumentNullException(nameof(ecs)),
            network ?? throw new ArgumentNullException(nameof(network)),
            loadBalancers ?? throw new ArgumentNullException(nameof(loadBalancers)),
            inspectors ?? throw new ArgumentNullException(nameof(inspectors))))
    {
    }

    /// <summary>A gatherer that reads one account and Region through its ports.</summary>
    public ContextGatherer(AccountPorts ports)
    {
        Ports = ports ?? throw new ArgumentNullException(nameof(ports));
        _ecs = ports.Ecs;
        _network = ports.Network;
        _loadBalancers = ports.LoadBalancers;
        _inspectors = ports.Inspectors;
    }

    /// <summary>The ports this gatherer reads through.</summary>
    public AccountPorts Ports { get; }

    public async Task<InfrastructureContext> GatherAsync(TaskStoppedEvent e, ClassificationResult c, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        if (!c.Actionable)
        {
            return InfrastructureContext.Empty;
        }

        var scope = ServiceEventChecks.ScopeFor(e, c);
        var target = DiagnosisTarget.From(e, c);
        bool readTaskDefinition;
        if (e.Kind == EventKind.TaskStopped)
        {
            readTaskDefinition = Category.FamilyOf(c.Category) is not "eni";
        }
        else
        {
            // A service event reads the task definition only to check it, or for checks its category chose.
            var fromCategory = scope != DiagnosisScope.None && (scope & DiagnosisScope.ServiceEvents) == DiagnosisScope.None;
            readTaskDefinition = scope.HasFlag(DiagnosisScope.TaskDefinitionState) || (fromCategory && Category.FamilyOf(c.Category) is not "eni");
            if (scope.HasFlag(DiagnosisScope.TaskDefinitionState) && ServiceEventChecks.TaskDefinitionIn(e.Task.Reason) is { } named)
            {
                target = target with { TaskDefinitionArn = named };
            }
        }

        return await GatherAsync(target, scope, readTaskDefinition, MaxReadsPerEvent, failuresAreGaps: false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Gathers for <c>doctor</c>: every area of <paramref name="scope"/> that applies to the configuration. A read
    /// that fails after the SDK's retries leaves its area unknown (a gap with its <see cref="ReadGap.Failure"/>);
    /// the other areas are still read.
    /// </summary>
    public Task<InfrastructureContext> GatherAsync(DiagnosisTarget target, DiagnosisScope scope, CancellationToken ct) =>
        GatherAsync(target, scope, readTaskDefinition: true, MaxReadsPerDoctorRun, failuresAreGaps: true, ct);

    private async Task<InfrastructureContext> GatherAsync(DiagnosisTarget target, DiagnosisScope scope, bool readTaskDefinition, int budget, bool failuresAreGaps, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        var run = new Run(this, budget, failuresAreGaps, ct);

        ServiceFacts? service = null;
        if (target.ServiceName is { } serviceName && target.Cluster is { Length: > 0 } cluster)
        {
            service = await run.Reads.Try("ecs:DescribeServices", $"{cluster}/{serviceName}",
                () => _ecs.DescribeServiceAsync(cluster, serviceName, ct)).ConfigureAwait(false);
        }

        TaskDefinitionFacts? taskDefinition = null;
        var taskDefinitionArn = target.TaskDefinitionArn ?? service?.TaskDefinitionArn;
        if (taskDefinitionArn is not null && readTaskDefinition)
        {
            taskDefinition = await run.Reads.Try("ecs:DescribeTaskDefinition", taskDefinitionArn,
                () => _ecs.DescribeTaskDefinitionAsync(taskDefinitionArn, ct)).ConfigureAwait(false);
        }

        var subnetIds = service?.Network?.Subnets is { Count: > 0 } s ? s : target.Subnets;
        var groupIds = service?.Network?.SecurityGroups is { Count: > 0 } g ? g : target.SecurityGroups;
        var account = target.AccountOr(taskDefinitionArn);
        var resolved = target with
        {
            Account = account,
            Subnets = subnetIds,
            SecurityGroups = groupIds,
            AssignPublicIp = service?.Network?.AssignPublicIp ?? target.AssignPublicIp,
            LaunchType = service?.IsFargate == true ? "FARGATE" : service?.LaunchType ?? target.LaunchType,
            PlatformVersion = service?.PlatformVersion ?? target.PlatformVersion,
        };

        NetworkFacts? network = null;
        if (scope.HasFlag(DiagnosisScope.NetworkPath))
        {
            network = await run.NetworkAsync(resolved).ConfigureAwait(false);
        }

        if (scope.HasFlag(DiagnosisScope.SubnetAddresses) && network is null && resolved.Subnets.Count > 0)
        {
            // The free addresses only: one DescribeSubnets for all of the service's subnets.
            network = new NetworkFacts(await run.SubnetsAsync(resolved.Subnets).ConfigureAwait(false), [], [], [], []);
        }

        var context = new InfrastructureContext
        {
            Service = service,
            TaskDefinition = taskDefinition,
            Network = network,
            Scope = scope,
            Target = resolved,
        };

        if (taskDefinition is not null)
        {
            if (scope.HasFlag(DiagnosisScope.Registry) && _inspectors.Registry is not null)
            {
                context = context with { Registry = await run.RegistryAsync(resolved, taskDefinition, scope.HasFlag(DiagnosisScope.ImagePlatform)).ConfigureAwait(false) };
            }

            var roleScope = scope & (DiagnosisScope.ExecutionRole | DiagnosisScope.LogGroup);
            if (roleScope != DiagnosisScope.None && taskDefinition.ExecutionRoleArn is { } roleArn && _inspectors.Iam is not null)
            {
                var required = RolePermissions.ForExecutionRole(taskDefinition, resolved.Region, account, roleScope);
                if (roleScope.HasFlag(DiagnosisScope.SecretsPermissions) && _inspectors.SecretKeys is not null
                    && RolePermissions.SecretResources(required) is { Count: > 0 } secrets)
                {
                    var keys = await run.SecretKeysAsync(secrets, resolved, account).ConfigureAwait(false);
                    context = context with { SecretKeys = keys };
                    required = RolePermissions.WithKeyDecrypt(required, keys);
                }

                context = context with { ExecutionRole = await run.SimulateAsync(roleArn, required).ConfigureAwait(false) };
            }

            if (scope.HasFlag(DiagnosisScope.LogGroup) && _inspectors.Logs is not null)
            {
                context = context with { LogGroups = await run.LogGroupsAsync(resolved, taskDefinition).ConfigureAwait(false) };
            }

            if (scope.HasFlag(DiagnosisScope.Efs) && taskDefinition.EfsVolumes.Count > 0)
            {
                context = context with { Efs = await run.EfsAsync(resolved, taskDefinition).ConfigureAwait(false) };
                if (network is null && context.Efs.TaskSubnets is [var firstSubnet, ..] && firstSubnet.VpcId is { } vpcId)
                {
                    context = context with { Network = await run.DnsOnlyAsync(context.Efs.TaskSubnets, vpcId).ConfigureAwait(false) };
                }
            }

            if (scope.HasFlag(DiagnosisScope.EfsPermissions) && taskDefinition.TaskRoleArn is { } taskRole && _inspectors.Iam is not null)
            {
                var required = RolePermissions.ForTaskRole(taskDefinition, resolved.Region, account);
                context = context with { TaskRole = await run.SimulateAsync(taskRole, required).ConfigureAwait(false) };
            }
        }

        if (scope.HasFlag(DiagnosisScope.LoadBalancer))
        {
            var targetGroupArn = (resolved.TargetGroupArns.Count > 0 ? resolved.TargetGroupArns[0] : null)
                ?? service?.LoadBalancers.Select(l => l.TargetGroupArn).FirstOrDefault(a => a is not null);
            if (targetGroupArn is not null)
            {
                context = context with { LoadBalancer = await run.LoadBalancerAsync(targetGroupArn, resolved).ConfigureAwait(false) };
            }
        }

        if ((scope & DiagnosisScope.ServiceEvents) != DiagnosisScope.None)
        {
            context = context with
            {
                ServiceEvent = await run.ServiceEventAsync(resolved, scope, service, readTaskDefinition ? taskDefinitionArn : null).ConfigureAwait(false),
            };
        }

        return context with { Gaps = run.Reads.Gaps, ReadCalls = run.Reads.Calls, ReadsAnswered = run.Reads.Answered };
    }

    /// <summary>One gathering: its reads, its cache and its cancellation.</summary>
    private sealed class Run(ContextGatherer owner, int budget, bool failuresAreGaps, CancellationToken ct)
    {
        /// <summary>The subnets and security groups this run has described, shared by every area that needs them.</summary>
        private readonly NetworkLookups _known = new();

        public Reads Reads { get; } = new(budget, failuresAreGaps);

        private INetworkInspector Network => owner._network;

        /// <summary>Subnets by id: the ones not read yet in one call.</summary>
        public Task<IReadOnlyList<SubnetFacts>> SubnetsAsync(IReadOnlyList<string> ids) => Network.SubnetsAsync(ids, _known, Reads, ct);

        /// <summary>Security groups by id: the ones not read yet in one call.</summary>
        public Task<IReadOnlyList<SecurityGroupFacts>> GroupsAsync(IReadOnlyList<string> ids) => Network.SecurityGroupsAsync(ids, _known, Reads, ct);

        /// <summary>The network path around the task's subnets, through the network port.</summary>
        public Task<NetworkFacts?> NetworkAsync(DiagnosisTarget target) => Network.PathOfAsync(target.Subnets, target.SecurityGroups, _known, Reads, ct);

        /// <summary>
        /// A service event's own reads: which task definition was checked, and for a placement failure the cluster
        /// (DescribeClusters) and the Auto Scaling group providers the service places with (one DescribeCapacityProviders).
        /// A service that runs only on Fargate reads neither.
        /// </summary>
        public async Task<ServiceEventFacts> ServiceEventAsync(DiagnosisTarget target, DiagnosisScope scope, ServiceFacts? service, string? taskDefinitionArn)
        {
            var facts = new ServiceEventFacts { TaskDefinitionArn = scope.HasFlag(DiagnosisScope.TaskDefinitionState) ? taskDefinitionArn : null };
            if (!scope.HasFlag(DiagnosisScope.ClusterCapacity))
            {
                return facts;
            }

            var (names, from) = target.EventCapacityProviders.Count > 0 ? (target.EventCapacityProviders, "event")
                : service?.CapacityProviders.Count > 0 ? (service.CapacityProviders, "service")
                : ((IReadOnlyList<string>)[], (string?)null);
            if (!ServiceEventChecks.UsesEc2(service, names) || owner._inspectors.Clusters is not { } clusters || target.Cluster is not { Length: > 0 } cluster)
            {
                return facts with { CapacityProviderNames = names, CapacityProvidersFrom = from };
            }

            var described = await Reads.Try("ecs:DescribeClusters", cluster,
                async () => new Found<ClusterFacts>(await clusters.DescribeClusterAsync(cluster, ct).ConfigureAwait(false))).ConfigureAwait(false);
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
                lookup = await Reads.Try("ecs:DescribeCapacityProviders", string.Join(",", groups),
                    () => clusters.DescribeCapacityProvidersAsync(groups, ct)).ConfigureAwait(false);
            }

            return facts with { Cluster = clusterFacts, CapacityProviderNames = names, CapacityProvidersFrom = from, CapacityProviders = lookup };
        }

        public async Task<NetworkFacts> DnsOnlyAsync(IReadOnlyList<SubnetFacts> subnets, string vpcId)
        {
            var dns = await Network.DnsOfAsync(vpcId, Reads, ct).ConfigureAwait(false);
            return new NetworkFacts(subnets, [], [], [], []) { DnsSupport = dns.Support, DnsHostnames = dns.Hostnames };
        }

        public async Task<RegistryFacts> RegistryAsync(DiagnosisTarget target, TaskDefinitionFacts td, bool singlePlatform)
        {
            var registry = owner._inspectors.Registry!;

            // The image the stop message named first, then the other containers' images.
            var images = td.Containers
                .OrderBy(c => c.Name == target.ContainerName || c.Image == target.Image ? 0 : 1)
                .Select(c => c.Image)
                .Prepend(target.Image)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Select(ImageReference.Parse)
                .OfType<ImageReference>()
                .Where(i => i.IsEcr)
                .Take(MaxImagesPerRun)
                .ToList();
            var facts = new List<EcrImageFacts>();
            foreach (var image in images)
            {
                var read = await Reads.Try($"ecr:DescribeImages", $"{image.Registry}/{image.Repository}:{image.Tag ?? image.Digest}",
                    () => registry.DescribeImageAsync(image.RegistryId!, image.Repository, image.Tag, image.Digest, ct)).ConfigureAwait(false);
                // The decisive image only: which platforms was it built for? A multi-platform image always says;
                // a single-platform one only in its configuration blob, read when the category checks the platform.
                if (read is { ImageExists: true } && facts.Count == 0 && (read.IsMultiPlatform || singlePlatform))
                {
                    read = read with { Platforms = await registry.PlatformsOfAsync(image, read, Reads, ct).ConfigureAwait(false) };
                }

                if (read is not null)
                {
                    facts.Add(read);
                }
            }

            return new RegistryFacts(facts);
        }

        /// <summary>
        /// The customer managed keys of the secrets and parameters the task reads, through the secret key port (which
        /// keeps the last read for the execution role's simulation). Only this run's account and region are read;
        /// every secret, parameter or key left unread is reported as a gap.
        /// </summary>
        public async Task<IReadOnlyList<SecretKeyFacts>> SecretKeysAsync(IReadOnlyList<string> resources, DiagnosisTarget target, string account)
        {
            var inspector = owner._inspectors.SecretKeys!;
            var reachable = new List<string>();
            foreach (var arn in resources)
            {
                var parts = ArnParts.Parse(arn);
                var action = parts.Service == "secretsmanager" ? "secretsmanager:DescribeSecret" : "ssm:DescribeParameters";
                if (parts.Region != target.Region || parts.Account != account)
                {
                    Reads.Skip(action, arn, $"it is in {parts.Account}/{parts.Region}, outside this function's account and region; its KMS key is not checked");
                }
                else
                {
                    reachable.Add(arn);
                }
            }

            IReadOnlyList<string> secrets = [.. reachable.Where(r => ArnParts.Parse(r).Service == "secretsmanager")];
            IReadOnlyList<string> parameters = [.. reachable.Where(r => ArnParts.Parse(r).Service == "ssm")];
            var references = await inspector.KeysOfAsync(secrets, parameters, Reads.Keeping(ReservedForSimulation), ct).ConfigureAwait(false);
            var facts = references.Select(r => r switch
            {
                // Not described (denied or over budget): the reference alone names the key, unless it is an alias.
                { KeyDescribed: false } => new SecretKeyFacts(r.Resource, r.KeyId, RolePermissions.KeyArnOf(r.KeyId, r.Resource), null),
                // An alias that is gone says nothing of the key: values stored under it still decrypt.
                { Key: null } when RolePermissions.KeyArnOf(r.KeyId, r.Resource) is null => new SecretKeyFacts(r.Resource, r.KeyId, null, null) { AliasMissing = true },
                { Key: null } => new SecretKeyFacts(r.Resource, r.KeyId, RolePermissions.KeyArnOf(r.KeyId, r.Resource), null, KeyExists: false),
                { Key: { } key } => new SecretKeyFacts(r.Resource, r.KeyId, key.KeyArn, key),
            });

            // A key that turned out to be AWS managed needs no grant and is never disabled by a customer.
            return [.. facts.Where(f => f.Key is not { CustomerManaged: false })];
        }

        public async Task<RolePermissionFacts?> SimulateAsync(string roleArn, IReadOnlyList<RequiredPermission> required)
        {
            if (required.Count == 0)
            {
                return new RolePermissionFacts(roleArn, [], []);
            }

            IReadOnlyList<string> actions = [.. required.Select(r => r.Action).Distinct(StringComparer.Ordinal)];
            IReadOnlyList<string> resources = [.. required.Select(r => r.Resource).Distinct(StringComparer.Ordinal)];
            var decisions = await Reads.Try("iam:SimulatePrincipalPolicy", roleArn,
                () => owner._inspectors.Iam!.SimulateAsync(roleArn, actions, resources, ct)).ConfigureAwait(false);
            return decisions is null ? null : new RolePermissionFacts(roleArn, required, decisions);
        }

        public async Task<IReadOnlyDictionary<string, LogGroupFacts?>> LogGroupsAsync(DiagnosisTarget target, TaskDefinitionFacts td)
        {
            var result = new Dictionary<string, LogGroupFacts?>(StringComparer.Ordinal);
            foreach (var settings in td.Containers.Select(c => RolePermissions.LogGroupOf(c, target.Region)).OfType<AwsLogsSettings>())
            {
                // A log group in another region than the one this run reads is left unknown.
                if (result.ContainsKey(settings.Name) || !string.Equals(settings.Region, target.Region, StringComparison.Ordinal))
                {
                    continue;
                }

                var name = settings.Name;
                var found = await Reads.Try("logs:DescribeLogGroups", name, async () => new Found<LogGroupFacts>(
                    await owner._inspectors.Logs!.FindLogGroupAsync(name, ct).ConfigureAwait(false))).ConfigureAwait(false);
                if (found is not null)
                {
                    result[name] = found.Value;
                }
            }

            return result;
        }

        public async Task<EfsFacts> EfsAsync(DiagnosisTarget target, TaskDefinitionFacts td)
        {
            var subnets = await SubnetsAsync(target.Subnets).ConfigureAwait(false);
            var zones = subnets.Select(x => x.AvailabilityZone).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var mountTargets = new Dictionary<string, IReadOnlyList<MountTargetFacts>>(StringComparer.Ordinal);
            var efs = owner._inspectors.Efs;
            if (efs is not null)
            {
                foreach (var fileSystemId in td.EfsVolumes.Select(v => v.FileSystemId).Distinct(StringComparer.Ordinal))
                {
                    var targets = await Reads.Try("elasticfilesystem:DescribeMountTargets", fileSystemId,
                        () => efs.DescribeMountTargetsAsync(fileSystemId, ct)).ConfigureAwait(false);
                    if (targets is null)
                    {
                        continue;
                    }

                    var withGroups = new List<MountTargetFacts>();
                    foreach (var mountTarget in targets)
                    {
                        if (mountTarget.AvailabilityZone is { } zone && zones.Contains(zone))
                        {
                            var groups = await Reads.Try("elasticfilesystem:DescribeMountTargetSecurityGroups", mountTarget.MountTargetId,
                                () => efs.DescribeMountTargetSecurityGroupsAsync(mountTarget.MountTargetId, ct)).ConfigureAwait(false);
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
            var groupsRead = await GroupsAsync([.. target.SecurityGroups, .. mountTargetGroups]).ConfigureAwait(false);
            return new EfsFacts(mountTargets, subnets, groupsRead);
        }

        public async Task<LoadBalancerFacts?> LoadBalancerAsync(string targetGroupArn, DiagnosisTarget target)
        {
            var elb = owner._loadBalancers;
            var tg = await Reads.Try("elasticloadbalancing:DescribeTargetGroups", targetGroupArn,
                () => elb.DescribeTargetGroupAsync(targetGroupArn, ct)).ConfigureAwait(false);
            if (tg is null)
            {
                return new LoadBalancerFacts(null, []);
            }

            var health = await Reads.Try("elasticloadbalancing:DescribeTargetHealth", targetGroupArn,
                () => elb.DescribeTargetHealthAsync(targetGroupArn, ct)).ConfigureAwait(false);
            IReadOnlyList<LoadBalancerSummary> loadBalancers = [];
            if (tg.LoadBalancerArns.Count > 0)
            {
                loadBalancers = await Reads.Try("elasticloadbalancing:DescribeLoadBalancers", string.Join(",", tg.LoadBalancerArns),
                    () => elb.DescribeLoadBalancersAsync(tg.LoadBalancerArns, ct)).ConfigureAwait(false) ?? [];
            }

            var taskGroups = target.SecurityGroups.Count > 0 ? await GroupsAsync(target.SecurityGroups).ConfigureAwait(false) : [];
            return new LoadBalancerFacts(tg, health ?? []) { LoadBalancers = loadBalancers, TaskSecurityGroups = taskGroups };
        }
    }

    /// <summary>Distinguishes "read, and found nothing" (a null value) from "not read" (a null box).</summary>
    private sealed record Found<T>(T? Value)
        where T : class;

    /// <summary>
    /// Counts reads, keeps each answer for the rest of the run, enforces the budget, turns a denied read into a gap
    /// (and, when <paramref name="failuresAreGaps"/>, a read AWS did not answer after the SDK's retries).
    /// </summary>
    private sealed class Reads(int budget, bool failuresAreGaps) : IReadMeter
    {
        private readonly List<ReadGap> _gaps = [];
        /// <summary>One cache per answer type, keyed by action and resource: an answer is only ever read back as its own type.</summary>
        private readonly Dictionary<Type, object> _caches = [];

        public IReadOnlyList<ReadGap> Gaps => _gaps;

        public int Calls { get; private set; }

        /// <summary>The reads that returned an answer.</summary>
        public int Answered { get; private set; }

        /// <summary>The reads left in the budget.</summary>
        public int Remaining => budget - Calls;

        /// <summary>Records a read this run chose not to make, and why.</summary>
        public void Skip(string action, string resource, string why) =>
            _gaps.Add(new ReadGap(action, resource, "not read: " + why) { NotAttempted = true });

        /// <summary>
        /// <see cref="Try{T}"/>, unless only <paramref name="reserve"/> reads are left: those are kept for a later,
        /// more telling read, and this one is recorded as not made (<paramref name="whatIsLost"/>).
        /// </summary>
        public async Task<T?> TryKeeping<T>(int reserve, string action, string resource, string whatIsLost, Func<Task<T>> read)
        {
            if (Remaining <= reserve)
            {
                Skip(action, resource, $"the read budget keeps {reserve} read(s) for the execution role; {whatIsLost}");
                return default;
            }

            return await Try(action, resource, read).ConfigureAwait(false);
        }

        /// <summary>These reads for a port, each call made with <see cref="Try{T}"/>.</summary>
        Task<T?> IReadMeter.ReadAsync<T>(string action, string resource, string whatIsLost, Func<Task<T>> read)
            where T : default => Try(action, resource, read);

        /// <summary>These reads for a port whose calls leave <paramref name="reserve"/> reads for a later, more telling one (<see cref="TryKeeping{T}"/>).</summary>
        public KeepingMeter Keeping(int reserve) => new(this, reserve);

        private Dictionary<(string Action, string Resource), T?> CacheOf<T>()
        {
            if (!_caches.TryGetValue(typeof(T), out var cache))
            {
                cache = new Dictionary<(string Action, string Resource), T?>();
                _caches[typeof(T)] = cache;
            }

            return (Dictionary<(string Action, string Resource), T?>)cache;
        }

        /// <returns>The read's result, or the default (null) when the read was denied or over budget.</returns>
        public async Task<T?> Try<T>(string action, string resource, Func<Task<T>> read)
        {
            var cache = CacheOf<T>();
            var key = (action, resource);
            if (cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            if (Calls >= budget)
            {
                _gaps.Add(new ReadGap(action, resource, $"not read: the budget of {budget} read calls is spent") { NotAttempted = true });
                cache[key] = default;
                return default;
            }

            Calls++;
            try
            {
                var value = await read().ConfigureAwait(false);
                Answered++;
                cache[key] = value;
                return value;
            }
            catch (PermissionDeniedException ex)
            {
                _gaps.Add(new ReadGap(string.IsNullOrEmpty(ex.Action) ? action : ex.Action, resource, ex.Message));
                cache[key] = default;
                return default;
            }
            catch (ServiceFailureException ex) when (failuresAreGaps)
            {
                _gaps.Add(new ReadGap(string.IsNullOrEmpty(ex.Action) ? action : ex.Action, resource, ex.Failure.Describe()) { Failure = ex.Failure });
                cache[key] = default;
                return default;
            }
        }
    }

    /// <summary>The reads of a run through which a port's calls keep the last reads in reserve.</summary>
    private sealed class KeepingMeter(Reads reads, int reserve) : IReadMeter
    {
        public Task<T?> ReadAsync<T>(string action, string resource, string whatIsLost, Func<Task<T>> read) =>
            reads.TryKeeping(reserve, action, resource, whatIsLost, read);

        public void Skip(string action, string resource, string why) => reads.Skip(action, resource, why);
    }
}
