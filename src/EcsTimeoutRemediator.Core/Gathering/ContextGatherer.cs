using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Gathering.Areas;
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

    /// <summary>
    /// The areas, in the order they read: the service and the task definition first (every later area reads from
    /// them), the secrets' keys before the execution role's simulation (which also asks for decrypting them with those keys).
    /// </summary>
    internal static IReadOnlyList<IGatheringArea> Areas { get; } =
    [
        new ServiceArea(), new TaskDefinitionArea(), new NetworkPathArea(), new RegistryArea(), new SecretKeysArea(),
        new ExecutionRoleArea(), new LogGroupsArea(), new EfsArea(), new TaskRoleArea(), new LoadBalancerArea(),
        new ClusterCapacityArea(),
    ];

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
        var reads = new ReadMeter(budget, failuresAreGaps);
        var run = new AreaRun(Ports, scope, readTaskDefinition, reads, ct);
        var context = new InfrastructureContext { Scope = scope, Target = target };
        foreach (var area in Areas)
        {
            context = await area.ReadAsync(run, context).ConfigureAwait(false);
        }

        return context with { Gaps = reads.Gaps, ReadCalls = reads.Calls, ReadsAnswered = reads.Answered };
    }
}
