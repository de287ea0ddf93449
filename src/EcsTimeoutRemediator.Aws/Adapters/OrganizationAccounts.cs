using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Sts;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>The ports of one account and Region over its clients.</summary>
public static class AwsAccountPorts
{
    public static AccountPorts From(AwsClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return new AccountPorts(
            new EcsServicesAdapter(clients.Ecs),
            new Ec2NetworkAdapter(clients.Ec2),
            new LoadBalancerAdapter(clients.ElbV2),
            clients.Inspectors());
    }
}

/// <summary>How <see cref="OrganizationAccounts"/> reaches the member accounts.</summary>
public sealed record OrganizationAccountsOptions
{
    /// <summary>The role every member account deploys for the central function (<c>ecs-remediator-member</c>).</summary>
    public required string MemberRoleName { get; init; }

    /// <summary>The Region the function runs in: the central account's events of this Region use the function's role.</summary>
    public required string CentralRegion { get; init; }

    /// <summary>The account the function runs in; null to ask STS once (GetCallerIdentity).</summary>
    public string? CentralAccount { get; init; }

    /// <summary>Shown in CloudTrail of the member account as the session of every call the function makes there.</summary>
    public string RoleSessionName { get; init; } = "ecs-timeout-remediator";

    /// <summary>Assumed credentials are renewed when less than this is left (an invocation never outlives it).</summary>
    public TimeSpan RenewBefore { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Endpoint, timeout and retry options of the member accounts' clients (their Region and credentials are set per account).</summary>
    public AwsClientsOptions MemberClients { get; init; } = new();
}

/// <summary>
/// <see cref="IAccountAccess"/> for an organization: the central account's own events (in the function's Region) use
/// the function's role and its clients; every other account and Region is read through
/// <c>sts:AssumeRole</c> into that account's member role. Credentials are kept per account until
/// <see cref="OrganizationAccountsOptions.RenewBefore"/> before they expire, and the clients of an account and Region
/// are built once and reused over them. A role STS refuses (missing, or not trusting this function) is answered as
/// <see cref="AccountOpening.Refused"/>; any other STS error propagates, so the invocation fails and is retried.
/// </summary>
public sealed class OrganizationAccounts : IAccountAccess, IDisposable
{
    private readonly AccountPorts _central;
    private readonly IStsClient _sts;
    private readonly OrganizationAccountsOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, AssumedRoleCredentials> _credentials = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, string Region), Opened> _opened = [];
    private string? _centralAccount;

    public OrganizationAccounts(AccountPorts central, IStsClient sts, OrganizationAccountsOptions options, TimeProvider time)
    {
        _central = central ?? throw new ArgumentNullException(nameof(central));
        _sts = sts ?? throw new ArgumentNullException(nameof(sts));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _centralAccount = options.CentralAccount;
    }

    /// <summary>How many AssumeRole calls were made (each account's first, and each renewal).</summary>
    public int AssumeRoleCalls { get; private set; }

    /// <summary>The member role of <paramref name="account"/> in the partition of <paramref name="region"/>.</summary>
    public static string MemberRoleArn(string account, string? region, string roleName) =>
        $"arn:{PartitionOf(region)}:iam::{account}:role/{roleName}";

    public static string PartitionOf(string? region) =>
        region is null ? "aws"
        : region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary>
    /// One AssumeRole: the credentials, or what STS said when it refused the role (AccessDenied: STS answers it both
    /// for a role that does not exist and for one whose trust policy leaves the caller out). Other errors propagate.
    /// </summary>
    public static async Task<(StsCredentials? Credentials, string? Refusal)> AssumeAsync(IStsClient sts, string roleArn, string sessionName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sts);
        try
        {
            var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = sessionName }, cancellationToken).ConfigureAwait(false);
            return (assumed.Credentials, null);
        }
        catch (AwsApiException ex) when (ex.Kind == AwsErrorKind.AccessDenied)
        {
            return (null, ex.Message);
        }
    }

    public async Task<AccountOpening> OpenAsync(string account, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(region);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _centralAccount ??= (await _sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false)).Account;
            var where = region.Length > 0 ? region : _options.CentralRegion;
            if (account.Length == 0 || (account == _centralAccount && where == _options.CentralRegion))
            {
                return new AccountOpening.Opened(_central);
            }

            var roleArn = MemberRoleArn(account, where, _options.MemberRoleName);
            var (credentials, refusal) = await CredentialsAsync(account, roleArn, cancellationToken).ConfigureAwait(false);
            if (credentials is null)
            {
                return new AccountOpening.Refused(new AccountRefusal(account, roleArn, refusal ?? "AccessDenied"));
            }

            if (!_opened.TryGetValue((account, where), out var opened))
            {
                var clientOptions = _options.MemberClients with { Region = where, Credentials = credentials };
                var clients = AwsClients.Create(clientOptions);
                opened = new Opened(AwsAccountPorts.From(clients), clients);
                _opened[(account, where)] = opened;
            }

            return new AccountOpening.Opened(opened.Ports);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The account's credentials, renewed when they run out soon; or, when STS refused the role, what it said.</summary>
    private async Task<(AssumedRoleCredentials? Credentials, string? Refusal)> CredentialsAsync(string account, string roleArn, CancellationToken cancellationToken)
    {
        if (_credentials.TryGetValue(account, out var known) && known.ExpiresAt - _time.GetUtcNow() > _options.RenewBefore)
        {
            return (known, null);
        }

        AssumeRoleCalls++;
        var (assumed, refusal) = await AssumeAsync(_sts, roleArn, _options.RoleSessionName, cancellationToken).ConfigureAwait(false);
        if (assumed is null)
        {
            _credentials.Remove(account);
            foreach (var key in _opened.Keys.Where(k => k.Account == account).ToList())
            {
                _opened[key].Dispose();
                _opened.Remove(key);
            }

            return (null, refusal);
        }

        if (known is null)
        {
            known = new AssumedRoleCredentials(assumed);
            _credentials[account] = known;
        }
        else
        {
            // The clients built over these credentials stay; they sign with the renewed keys from now on.
            known.Renew(assumed);
        }

        return (known, null);
    }

    public void Dispose()
    {
        foreach (var opened in _opened.Values)
        {
            opened.Dispose();
        }

        _opened.Clear();
        _gate.Dispose();
    }

    private sealed record Opened(AccountPorts Ports, AwsClients Clients) : IDisposable
    {
        public void Dispose() => Clients.Dispose();
    }
}
