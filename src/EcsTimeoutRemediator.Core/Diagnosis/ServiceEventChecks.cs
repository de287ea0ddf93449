using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>
/// What a service or deployment event lets the function prove. A service action's reason picks the checks: an
/// ENI or IP address shortage reads the service's subnets, a missing or inactive task definition reads it, a
/// placement failure reads the cluster and the capacity providers the service places with; a failed deployment
/// is read back from the service (its failed tasks against the circuit breaker's threshold, and the rollback).
/// </summary>
public static class ServiceEventChecks
{
    /// <summary>The circuit breaker fails a deployment after half the desired count of its tasks failed, at least this many.</summary>
    public const int MinimumThreshold = 3;

    /// <summary>… and at most this many.</summary>
    public const int MaximumThreshold = 200;

    private static readonly System.Buffers.SearchValues<char> ArnEnd = System.Buffers.SearchValues.Create(" \t\r\n'\"(),;[]{}");

    private static readonly string[] AddressMarkers =
        ["resource:eni", "freeaddresses", "free address", "free ip", "ip address", "insufficient address"];

    private static readonly string[] TaskDefinitionNames = ["task definition", "taskdefinition", "task-definition"];

    private static readonly string[] TaskDefinitionProblems =
        ["inactive", "not exist", "not found", "unable to describe", "invalid", "deregister", "delete_in_progress", "deleted", "missing"];

    private static readonly string[] CapacityMarkers =
    [
        "empty capacity provider", "no container instance", "capacity provider", "resource:cpu", "resource:memory",
        "resource:gpu", "resource:ports", "resource:eni", "insufficient memory", "insufficient cpu", "container-instance",
        "unable to place",
    ];

    /// <summary>
    /// The checks of an event: a stopped task's come from its category; a service action's from its reason (falling back
    /// to the category when the reason names nothing these checks can prove); a failed deployment's read the deployment.
    /// </summary>
    public static DiagnosisScope ScopeFor(TaskStoppedEvent e, ClassificationResult c)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        switch (e.Kind)
        {
            case EventKind.TaskStopped:
                return CategoryTable.Of(c.Category).Areas;
            case EventKind.DeploymentFailed:
                return DiagnosisScope.Deployment;
        }

        var reason = e.Task.Reason;
        var scope = DiagnosisScope.None;
        if (NamesAddresses(reason))
        {
            scope |= DiagnosisScope.SubnetAddresses;
        }

        if (NamesTaskDefinitionProblem(reason))
        {
            scope |= DiagnosisScope.TaskDefinitionState;
        }

        if (e.EventName == ServiceEvents.PlacementFailure || Has(reason, CapacityMarkers))
        {
            scope |= DiagnosisScope.ClusterCapacity;
        }

        return scope == DiagnosisScope.None ? CategoryTable.Of(c.Category).Areas : scope;
    }

    public static bool NamesAddresses(string? reason) => Has(reason, AddressMarkers);

    public static bool NamesTaskDefinitionProblem(string? reason) => Has(reason, TaskDefinitionNames) && Has(reason, TaskDefinitionProblems);

    /// <summary>The first task definition ARN in a reason (<c>arn:…:task-definition/family:revision</c>), without trailing punctuation.</summary>
    public static string? TaskDefinitionIn(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return null;
        }

        var at = 0;
        while ((at = reason.IndexOf("arn:", at, StringComparison.Ordinal)) >= 0)
        {
            var end = reason.AsSpan(at).IndexOfAny(ArnEnd);
            var candidate = (end < 0 ? reason[at..] : reason.Substring(at, end)).TrimEnd('.', ':');
            if (candidate.Contains(":task-definition/", StringComparison.Ordinal) && candidate.LastIndexOf(':') > candidate.IndexOf(":task-definition/", StringComparison.Ordinal))
            {
                return candidate;
            }

            at += 4;
        }

        return null;
    }

    /// <summary>The circuit breaker's failure threshold for a desired count: half of it, rounded up, between 3 and 200.</summary>
    public static int Threshold(int desiredCount) =>
        Math.Clamp((int)Math.Ceiling(Math.Max(desiredCount, 0) / 2.0), MinimumThreshold, MaximumThreshold);

    /// <summary>
    /// The headline of a service or deployment event's advisory when its category's would mislead: a failed
    /// deployment names what failed it, an unknown reason names the event; null otherwise (and for a stopped task).
    /// </summary>
    public static string? HeadlineOf(string? eventName, ClassificationResult c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var unknown = c.Category == Category.Unknown;
        return eventName switch
        {
            ServiceEvents.DeploymentFailed => c.Rule == nameof(DeploymentCircuitBreakerRule) ? "deployment circuit breaker tripped" : "deployment failed",
            ServiceEvents.ConfigurationFailure when unknown => "tasks could not be configured",
            ServiceEvents.PlacementFailure when unknown => "tasks could not be placed",
            ServiceEvents.StartImpaired when unknown => "tasks keep failing to start",
            _ => null,
        };
    }

    /// <summary>
    /// Each subnet of the service: gone, out of addresses, or with fewer free addresses than the service's desired
    /// count; and, for RESOURCE:ENI on the EC2 launch type, the ENI trunking hint.
    /// </summary>
    public static IEnumerable<Finding> SubnetAddresses(DiagnosisTarget target, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var service = context.Service;
        var subnetIds = service?.Network?.Subnets is { Count: > 0 } s ? s : target.Subnets;
        if (subnetIds.Count == 0)
        {
            if (service is not null)
            {
                yield return Finding.Of("subnet-addresses", FindingStatus.Unknown,
                    Sentence.Of($"The service {service.ServiceName} has no awsvpc network configuration, so its tasks take no address of a subnet."), [service.ServiceArn]);
            }

            yield break;
        }

        if (WasNotRead(context, "ec2:DescribeSubnets"))
        {
            yield break;
        }

        var found = context.Network?.Subnets ?? [];
        var desired = service?.DesiredCount ?? 0;
        var gone = subnetIds.Where(id => found.All(x => x.SubnetId != id)).ToList();
        if (gone.Count > 0)
        {
            yield return Finding.Of("subnet-addresses", FindingStatus.Missing,
                Sentence.Of($"{Sentence.IdList(gone)} {Sentence.Words(gone.Count == 1 ? "does" : "do")} not exist, so ECS cannot create the tasks' network interfaces in {Sentence.Words(gone.Count == 1 ? "it" : "them")}."),
                gone, FixId.FreeSubnetAddresses)
            with { Headline = $"subnet {gone[0]} does not exist" };
        }

        var exhausted = found.Where(x => x.AvailableIpAddressCount <= 0).ToList();
        if (exhausted.Count > 0)
        {
            yield return Finding.Of("subnet-addresses", FindingStatus.Missing,
                Sentence.Of($"{Sentence.IdList(exhausted.Select(x => x.SubnetId))} {Sentence.Words(exhausted.Count == 1 ? "has" : "have")} no free IP address left, so no network interface can be created for a task there."),
                [.. exhausted.Select(x => x.SubnetId)], FixId.FreeSubnetAddresses)
            with
            {
                Headline = exhausted.Count == 1
                    ? $"no free IP in {exhausted[0].SubnetId}"
                    : string.Create(CultureInfo.InvariantCulture, $"no free IP in {exhausted[0].SubnetId} and {exhausted.Count - 1} more"),
            };
        }

        foreach (var low in found.Where(x => x.AvailableIpAddressCount > 0 && x.AvailableIpAddressCount < desired))
        {
            yield return Finding.Of("subnet-addresses", FindingStatus.Wrong,
                Sentence.Of($"{Sentence.Id(low.SubnetId)} has only {low.AvailableIpAddressCount} free IP address{Sentence.Words(low.AvailableIpAddressCount == 1 ? "" : "es")}, fewer than the service's desired count of {desired}: tasks ECS places there run out of addresses (a deployment needs room for old and new tasks at once)."),
                [low.SubnetId], FixId.FreeSubnetAddresses)
            with { Headline = string.Create(CultureInfo.InvariantCulture, $"only {low.AvailableIpAddressCount} free IPs in {low.SubnetId}") };
        }

        foreach (var ok in found.Where(x => x.AvailableIpAddressCount >= Math.Max(desired, 1) && subnetIds.Contains(x.SubnetId)))
        {
            yield return Finding.Of("subnet-addresses", FindingStatus.Ok,
                Sentence.Of($"{Sentence.Id(ok.SubnetId)} has {ok.AvailableIpAddressCount} free IP addresses."), [ok.SubnetId]);
        }

        if (target.EventReason?.Contains("RESOURCE:ENI", StringComparison.OrdinalIgnoreCase) == true && service is not null && RunsOnEc2(service))
        {
            // Proven: the reason is an ENI shortage, the service runs awsvpc tasks on EC2. Whether trunking is on is not read.
            yield return Finding.Of("eni-trunking", FindingStatus.Unknown,
                Sentence.Of($"RESOURCE:ENI on the EC2 launch type: every awsvpc task of {service.ServiceName} takes one of its container instance's network interfaces, and an instance has only a few. ENI trunking (the awsvpcTrunking account setting, on instance types that support it) lets an instance hold many more; whether it is on was not read."),
                [service.ServiceArn]);
        }
    }

    /// <summary>The task definition the service (or the reason) names: gone, being deleted, INACTIVE, or fine.</summary>
    public static IEnumerable<Finding> TaskDefinitionState(InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arn = context.ServiceEvent?.TaskDefinitionArn;
        if (arn is null)
        {
            if (context.Service is { } service)
            {
                yield return Finding.Of("task-definition", FindingStatus.Unknown, Sentence.Of($"The service {service.ServiceName} names no task definition."), [service.ServiceArn]);
            }

            yield break;
        }

        if (WasNotRead(context, "ecs:DescribeTaskDefinition"))
        {
            yield break;
        }

        var name = ShortTaskDefinition(arn);
        var td = context.TaskDefinition;
        if (td is null)
        {
            yield return Finding.Of("task-definition", FindingStatus.Missing,
                Sentence.Of($"The task definition {Sentence.Id(arn)} does not exist (deregistered and deleted, or never registered), so ECS has nothing to start."),
                [arn], FixId.UseActiveTaskDefinition)
            with { Headline = $"task definition {name} does not exist" };
            yield break;
        }

        switch (td.Status?.ToUpperInvariant())
        {
            case "INACTIVE":
                yield return Finding.Of("task-definition", FindingStatus.Wrong,
                    Sentence.Of($"The task definition {Sentence.Id(td.TaskDefinitionArn)} is INACTIVE (deregistered): a new deployment or service cannot use it. Point the service at an ACTIVE revision, or register a new one."),
                    [td.TaskDefinitionArn], FixId.UseActiveTaskDefinition)
                with { Headline = $"task definition {name} is INACTIVE" };
                break;
            case "DELETE_IN_PROGRESS":
                yield return Finding.Of("task-definition", FindingStatus.Missing,
                    Sentence.Of($"The task definition {Sentence.Id(td.TaskDefinitionArn)} is being deleted (DELETE_IN_PROGRESS): no task can start from it."),
                    [td.TaskDefinitionArn], FixId.UseActiveTaskDefinition)
                with { Headline = $"task definition {name} is being deleted" };
                break;
            default:
                yield return Finding.Of("task-definition", FindingStatus.Ok,
                    Sentence.Of($"The task definition {Sentence.Id(td.TaskDefinitionArn)} exists and is {(td.Status is { } status ? Sentence.Of($"{status}") : Sentence.Words("ACTIVE"))}."), [td.TaskDefinitionArn]);
                break;
        }
    }

    /// <summary>
    /// Where the service's tasks are placed: Fargate (nothing of the account's to check), or EC2 capacity: the
    /// cluster's registered container instances and, for each capacity provider with an Auto Scaling group, whether
    /// it exists, is ACTIVE and has managed scaling on.
    /// </summary>
    public static IEnumerable<Finding> ClusterCapacity(DiagnosisTarget target, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var facts = context.ServiceEvent;
        var service = context.Service;
        var names = facts?.CapacityProviderNames ?? [];
        if (!UsesEc2(service, names))
        {
            yield return Finding.Of("capacity-provider", FindingStatus.Ok,
                Sentence.Of($"The service runs on AWS Fargate ({(names.Count > 0 ? Sentence.Ids(names) : Sentence.Words("launch type FARGATE"))}): no container instance or Auto Scaling group of this account places its tasks. A Fargate shortage (RESOURCE:FARGATE, capacity unavailable) passes; subnets in more Availability Zones give ECS more room."),
                service is null ? [] : [service.ServiceArn]);
            yield break;
        }

        var groups = facts?.CapacityProviders?.Found.Where(p => p.AutoScalingGroupName is not null).ToList() ?? [];
        if (facts?.Cluster is { } cluster)
        {
            if (cluster.RegisteredContainerInstancesCount <= 0)
            {
                var behind = groups.Count > 0
                    ? Sentence.Of($" (no instance of the Auto Scaling group{Sentence.Words(groups.Count == 1 ? "" : "s")} {Sentence.Ids(groups.Select(g => g.AutoScalingGroupName))} is running and registered)")
                    : Sentence.Empty;
                yield return Finding.Of("cluster-instances", FindingStatus.Missing,
                    Sentence.Of($"Cluster {cluster.ClusterName} has no registered container instance{behind}: there is no EC2 capacity to place the service's tasks on."),
                    [cluster.ClusterArn, .. groups.Select(g => g.AutoScalingGroupArn!)], FixId.AddClusterCapacity)
                with { Headline = $"no container instance in {cluster.ClusterName}" };
            }
            else
            {
                var reason = target.EventReason is { Length: > 0 } r ? Sentence.Of($" ({r})") : Sentence.Empty;
                yield return Finding.Of("cluster-instances", FindingStatus.Ok,
                    Sentence.Of($"Cluster {cluster.ClusterName} has {cluster.RegisteredContainerInstancesCount} registered container instance{Sentence.Words(cluster.RegisteredContainerInstancesCount == 1 ? "" : "s")}: the placement failure is about what they have free{reason}."),
                    [cluster.ClusterArn]);
            }
        }

        if (facts?.CapacityProviders is not { } lookup)
        {
            yield break;
        }

        foreach (var missing in lookup.Missing)
        {
            yield return Finding.Of("capacity-provider", FindingStatus.Missing,
                Sentence.Of($"Capacity provider {Sentence.Id(missing)}, which the {(facts.CapacityProvidersFrom is { } from ? Sentence.Of($"{from}") : Sentence.Words("service"))} names, does not exist."),
                [missing], FixId.AddClusterCapacity)
            with { Headline = $"capacity provider {missing} does not exist" };
        }

        foreach (var provider in lookup.Found)
        {
            var group = provider.AutoScalingGroupName is { } g ? Sentence.Of($" (Auto Scaling group {Sentence.Id(g)})") : Sentence.Empty;
            if (!string.Equals(provider.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase) && provider.Status is not null)
            {
                yield return Finding.Of("capacity-provider", FindingStatus.Missing,
                    Sentence.Of($"Capacity provider {Sentence.Id(provider.Name)}{group} is {provider.Status}: ECS places no task with it."),
                    [provider.CapacityProviderArn ?? provider.Name], FixId.AddClusterCapacity)
                with { Headline = $"capacity provider {provider.Name} is {provider.Status}" };
            }
            else if (provider.AutoScalingGroupArn is not null && !provider.ManagedScalingEnabled)
            {
                yield return Finding.Of("managed-scaling", FindingStatus.Wrong,
                    Sentence.Of($"Capacity provider {Sentence.Id(provider.Name)}{group} has managed scaling {(provider.ManagedScalingStatus is { } scaling ? Sentence.Of($"{scaling}") : Sentence.Words("off"))}: ECS does not grow the group for the tasks it cannot place, so the group keeps whatever capacity it has."),
                    [provider.CapacityProviderArn ?? provider.Name, provider.AutoScalingGroupArn], FixId.EnableManagedScaling)
                with { Headline = $"managed scaling off on {provider.Name}" };
            }
            else if (provider.AutoScalingGroupArn is not null)
            {
                yield return Finding.Of("managed-scaling", FindingStatus.Ok,
                    Sentence.Of($"Capacity provider {Sentence.Id(provider.Name)}{group} has managed scaling ENABLED (target capacity {(provider.TargetCapacity is { } capacity ? Sentence.Of($"{capacity}") : Sentence.Words("?"))} %): ECS grows the group for tasks it cannot place, up to the group's maximum size."),
                    [provider.CapacityProviderArn ?? provider.Name]);
            }
        }
    }

    /// <summary>
    /// The failed deployment as the service reports it now: its failed tasks against the threshold the circuit
    /// breaker applies (half the desired count, at least 3, at most 200), its rollout state and reason, and whether
    /// ECS rolled the service back.
    /// </summary>
    public static IEnumerable<Finding> Deployment(DiagnosisTarget target, InfrastructureContext context)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Service is not { } service)
        {
            yield break;
        }

        var id = target.DeploymentId;
        var deployment = id is null ? null : service.Deployments.FirstOrDefault(d => d.Id == id);
        var primary = service.Deployments.FirstOrDefault(d => string.Equals(d.Status, "PRIMARY", StringComparison.OrdinalIgnoreCase));
        var rolledBackTo = primary is not null && primary.Id != id ? primary : null;
        var desired = service.DesiredCount > 0 ? service.DesiredCount : deployment?.DesiredCount ?? 0;
        var threshold = Threshold(desired);
        var breaker = service.CircuitBreaker;
        var rollback = RollbackState(breaker, rolledBackTo);

        Sentence settings;
        if (breaker is not { Enable: true })
        {
            settings = Sentence.Words("The deployment circuit breaker is off on this service, so the deployment failed on its CloudWatch alarms (or was stopped).");
        }
        else if (!breaker.Rollback)
        {
            settings = Sentence.Words("Rollback is off: the service stays on the failed deployment and keeps trying to start its tasks until it is rolled back by hand.");
        }
        else if (rolledBackTo is not null)
        {
            settings = Sentence.Of($"Rollback is on: ECS rolled the service back to deployment {Sentence.Id(rolledBackTo.Id)}{Revision(rolledBackTo.TaskDefinitionArn)}.");
        }
        else
        {
            settings = Sentence.Words("Rollback is on: ECS rolls the service back to its last completed deployment.");
        }

        var rule = Sentence.Of(
            $"the circuit breaker fails a deployment once half the service's desired count ({desired}) of its tasks failed, at least {Sentence.Words(string.Create(CultureInfo.InvariantCulture, $"{MinimumThreshold} and at most {MaximumThreshold}"))}");
        if (deployment is null)
        {
            yield return Finding.Of("deployment", FindingStatus.Wrong,
                Sentence.Of($"Deployment {(id is null ? Sentence.Words("(unnamed)") : Sentence.Resource(id))} failed and is no longer among the service's deployments (ECS lists the PRIMARY and ACTIVE ones only); its threshold was {threshold} failed tasks ({rule}). {settings}"),
                [service.ServiceArn, .. id is null ? Array.Empty<string>() : [id]], FixId.RollBackDeployment)
            with { Headline = string.Create(CultureInfo.InvariantCulture, $"threshold {threshold} failed tasks, {rollback}") };
            yield break;
        }

        var because = deployment.RolloutStateReason is { Length: > 0 } why ? Sentence.Of($" ({why})") : Sentence.Empty;
        var state = deployment.RolloutState is { } s ? Sentence.Of($"; rollout state {s}{because}") : Sentence.Empty;
        yield return Finding.Of("deployment", FindingStatus.Wrong,
            Sentence.Of($"Deployment {Sentence.Id(deployment.Id)}{Revision(deployment.TaskDefinitionArn)} failed: {deployment.FailedTasks} of threshold {threshold} tasks failed to start ({rule}){state}. {settings}"),
            [service.ServiceArn, deployment.Id, .. deployment.TaskDefinitionArn is { } td ? [td] : Array.Empty<string>()], FixId.RollBackDeployment)
        with { Headline = string.Create(CultureInfo.InvariantCulture, $"{deployment.FailedTasks} of threshold {threshold} tasks failed, {rollback}") };
    }

    /// <summary>"rolled back" (another deployment is PRIMARY), "rolling back" (rollback on, none listed yet) or "no rollback".</summary>
    public static string RollbackState(CircuitBreakerFacts? breaker, DeploymentFacts? rolledBackTo) =>
        breaker is { Enable: true, Rollback: true } ? rolledBackTo is not null ? "rolled back" : "rolling back" : "no rollback";

    /// <summary>Whether the service places (some of) its tasks on EC2 capacity of the account.</summary>
    public static bool UsesEc2(ServiceFacts? service, IReadOnlyList<string> providers)
    {
        if (providers.Count > 0)
        {
            return providers.Any(p => !CapacityProviderFacts.IsFargate(p));
        }

        return service is null || !string.Equals(service.LaunchType, "FARGATE", StringComparison.OrdinalIgnoreCase);
    }

    private static bool RunsOnEc2(ServiceFacts service) =>
        service.CapacityProviders.Count > 0
            ? service.CapacityProviders.Any(p => !CapacityProviderFacts.IsFargate(p))
            : string.Equals(service.LaunchType, "EC2", StringComparison.OrdinalIgnoreCase);

    private static Sentence Revision(string? taskDefinitionArn) =>
        taskDefinitionArn is null ? Sentence.Empty : Sentence.Of($" (task definition {Sentence.Id(ShortTaskDefinition(taskDefinitionArn))})");

    /// <summary><c>arn:…:task-definition/api:7</c> → <c>api:7</c>.</summary>
    public static string ShortTaskDefinition(string taskDefinitionArn)
    {
        ArgumentNullException.ThrowIfNull(taskDefinitionArn);
        var slash = taskDefinitionArn.LastIndexOf('/');
        return slash >= 0 ? taskDefinitionArn[(slash + 1)..] : taskDefinitionArn;
    }

    private static bool WasNotRead(InfrastructureContext context, string action) => context.Gaps.Any(g => g.Action == action);

    private static bool Has(string? text, string[] markers) =>
        text is { Length: > 0 } && markers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Service events: the free addresses of the service's subnets (their reads are the network path area's).</summary>
public sealed class SubnetAddressesCheck : IAreaCheck
{
    public DiagnosisScope Checks => DiagnosisScope.SubnetAddresses;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) ? ServiceEventChecks.SubnetAddresses(input.Target, input.Context) : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => null;
}

/// <summary>Service events: the service's task definition exists and is ACTIVE.</summary>
public sealed class TaskDefinitionStateCheck : IAreaCheck
{
    public DiagnosisScope Checks => DiagnosisScope.TaskDefinitionState;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) ? ServiceEventChecks.TaskDefinitionState(input.Context) : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) =>
        gap.Action == "ecs:DescribeTaskDefinition" ? "task-definition" : null;
}

/// <summary>Service events: the cluster's container instances and capacity providers.</summary>
public sealed class ClusterCapacityCheck : IAreaCheck
{
    private static readonly IReadOnlyDictionary<string, string> Unread =
        UnreadNames.All("cluster-capacity", "ecs:DescribeClusters", "ecs:DescribeCapacityProviders");

    public DiagnosisScope Checks => DiagnosisScope.ClusterCapacity;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) ? ServiceEventChecks.ClusterCapacity(input.Target, input.Context) : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => UnreadNames.Of(gap, Unread);
}

/// <summary>Deployment events: the failed deployment against its circuit breaker; the service read is this area's.</summary>
public sealed class DeploymentCheck : IAreaCheck
{
    public DiagnosisScope Checks => DiagnosisScope.Deployment;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) ? ServiceEventChecks.Deployment(input.Target, input.Context) : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) =>
        gap.Action == "ecs:DescribeServices" ? "service" : null;
}
