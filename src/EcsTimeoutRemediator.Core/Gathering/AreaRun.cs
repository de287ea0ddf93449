using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Gathering;

/// <summary>
/// One area of the account the gatherer reads: the statements of read actions it declares (a denied read becomes a
/// gap of that action, and the template's read statements are derived from these declarations), and its reads,
/// which add its facts to the context gathered so far. An area reads only when the run's scope asks for it and the
/// facts it needs were gathered before it.
/// </summary>
internal interface IGatheringArea
{
    IReadOnlyList<ReadArea> Declares { get; }

    Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context);
}

/// <summary>
/// One gathering: the account's ports, the areas asked for, the read meter (budget, typed cache, gaps), the subnets
/// and security groups described so far (shared by every area that needs them) and the cancellation.
/// </summary>
internal sealed class AreaRun(AccountPorts ports, DiagnosisScope scope, bool readsTaskDefinition, ReadMeter reads, CancellationToken cancellation)
{
    private readonly NetworkLookups _known = new();

    public AccountPorts Ports => ports;

    public DiagnosisScope Scope => scope;

    /// <summary>False when the event's category makes the task definition useless to read (an ENI failure).</summary>
    public bool ReadsTaskDefinition => readsTaskDefinition;

    public ReadMeter Reads => reads;

    public CancellationToken Cancellation => cancellation;

    public bool Asks(DiagnosisScope area) => (scope & area) != DiagnosisScope.None;

    /// <summary>The task definition of the target: the event's, else the service's.</summary>
    public static string? TaskDefinitionArnOf(InfrastructureContext context) =>
        context.Target?.TaskDefinitionArn ?? context.Service?.TaskDefinitionArn;

    /// <summary>Subnets by id: the ones not read yet in one call.</summary>
    public Task<IReadOnlyList<SubnetFacts>> SubnetsAsync(IReadOnlyList<string> ids) => ports.Network.SubnetsAsync(ids, _known, reads, cancellation);

    /// <summary>Security groups by id: the ones not read yet in one call.</summary>
    public Task<IReadOnlyList<SecurityGroupFacts>> GroupsAsync(IReadOnlyList<string> ids) => ports.Network.SecurityGroupsAsync(ids, _known, reads, cancellation);

    /// <summary>The network path around these subnets and security groups, through the network port.</summary>
    public Task<NetworkFacts?> PathOfAsync(IReadOnlyList<string> subnets, IReadOnlyList<string> groups) =>
        ports.Network.PathOfAsync(subnets, groups, _known, reads, cancellation);

    /// <summary>The DNS attributes of a VPC, through the network port.</summary>
    public Task<VpcDnsFacts> DnsOfAsync(string vpcId) => ports.Network.DnsOfAsync(vpcId, reads, cancellation);
}
