using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Ports;

/// <summary>The ports through which the gatherer reads, and the remediator changes, one account and Region.</summary>
public sealed record AccountPorts(
    IEcsServices Ecs,
    INetworkInspector Network,
    ILoadBalancerInspector LoadBalancers,
    DiagnosisInspectors Inspectors);

/// <summary>The answer to opening an account: its ports, or why it cannot be read.</summary>
public abstract record AccountOpening
{
    private AccountOpening()
    {
    }

    public sealed record Opened(AccountPorts Ports) : AccountOpening;

    public sealed record Refused(AccountRefusal Refusal) : AccountOpening;
}

/// <summary>
/// Where the event's <c>account</c> and <c>region</c> are read and acted in: the function's own account through its
/// own role, another account of the organization through that account's member role. A throttled or failing STS
/// call propagates (the invocation fails and is retried); only a refused role is an answer.
/// </summary>
public interface IAccountAccess
{
    Task<AccountOpening> OpenAsync(string account, string region, CancellationToken cancellationToken);
}

/// <summary>One set of ports for every event: the function's own account (a deployment that serves one account).</summary>
public sealed class SingleAccount(AccountPorts ports) : IAccountAccess
{
    private readonly AccountOpening _opened = new AccountOpening.Opened(ports ?? throw new ArgumentNullException(nameof(ports)));

    public Task<AccountOpening> OpenAsync(string account, string region, CancellationToken cancellationToken) => Task.FromResult(_opened);
}

/// <summary>
/// A call into an account whose member role was refused. Raised only where a refusal cannot be reported as a finding
/// (replaying a fix an earlier attempt recorded): the invocation fails and its retry asks again.
/// </summary>
public sealed class AccountUnreachableException : Exception
{
    public AccountUnreachableException()
        : this("the account cannot be read")
    {
    }

    public AccountUnreachableException(string message)
        : base(message)
    {
    }

    public AccountUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AccountUnreachableException(AccountRefusal refusal)
        : base($"cannot read account {refusal?.Account}: role {refusal?.RoleName} is missing or does not trust this function ({refusal?.Reason})")
    {
        Refusal = refusal;
    }

    public AccountRefusal? Refusal { get; }
}
