using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Sts;
using EcsTimeoutRemediator.Ports;
using Microsoft.Extensions.Time.Testing;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Sts;

/// <summary>Which role an event's account is read with, and how long its credentials and clients are kept.</summary>
public sealed class OrganizationAccountsTests : IDisposable
{
    private const string Central = "123456789012";
    private const string Member = "111111111111";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly FakeSts _sts;
    private static readonly AwsClientsOptions Nowhere = new() { Region = "us-east-1", ServiceUrl = "http://127.0.0.1:9", Credentials = Infrastructure.MotoServer.Credentials };
    private readonly AwsClients _centralClients = AwsClients.Create(Nowhere);
    private readonly AccountPorts _central;
    private readonly OrganizationAccounts _accounts;

    public OrganizationAccountsTests()
    {
        _central = AwsAccountPorts.From(_centralClients);
        _sts = new FakeSts(_clock);
        _accounts = Accounts(Central);
    }

    public void Dispose()
    {
        _accounts.Dispose();
        _centralClients.Dispose();
    }

    private OrganizationAccounts Accounts(string? central) => new(_central, _sts, new OrganizationAccountsOptions
    {
        MemberRoleName = "ecs-remediator-member",
        CentralRegion = "us-east-1",
        CentralAccount = central,
        MemberClients = new AwsClientsOptions { ServiceUrl = "http://127.0.0.1:9" },
    }, _clock);

    private async Task<AccountPorts> OpenedAsync(string account, string region = "us-east-1") =>
        Assert.IsType<AccountOpening.Opened>(await _accounts.OpenAsync(account, region, default)).Ports;

    [Fact]
    public async Task OpenAsync_WhenTheEventIsTheCentralAccountsOwn_ShouldUseTheFunctionsPortsWithoutSts()
    {
        Assert.Same(_central, await OpenedAsync(Central));
        Assert.Same(_central, await OpenedAsync(""));
        Assert.Empty(_sts.Assumed);
    }

    [Fact]
    public async Task OpenAsync_WhenTheCentralAccountsEventComesFromAnotherRegion_ShouldReadItThroughItsMemberRole()
    {
        var ports = await OpenedAsync(Central, "eu-west-1");

        Assert.NotSame(_central, ports);
        Assert.Equal(["arn:aws:iam::123456789012:role/ecs-remediator-member"], _sts.Assumed);
    }

    [Fact]
    public async Task OpenAsync_WhenAMemberIsOpenedAgainBeforeItsCredentialsRunOut_ShouldKeepThemAndItsClients()
    {
        var first = await OpenedAsync(Member);
        _clock.Advance(TimeSpan.FromMinutes(54));
        var second = await OpenedAsync(Member);

        Assert.Same(first, second);
        Assert.Equal(["arn:aws:iam::111111111111:role/ecs-remediator-member"], _sts.Assumed);
        Assert.Equal(1, _accounts.AssumeRoleCalls);
    }

    [Fact]
    public async Task OpenAsync_WhenTheCredentialsRunOutWithinFiveMinutes_ShouldRenewThemAndKeepTheSameClients()
    {
        var first = await OpenedAsync(Member);
        _clock.Advance(TimeSpan.FromMinutes(56));
        var second = await OpenedAsync(Member);

        Assert.Same(first, second);
        Assert.Equal(2, _sts.Assumed.Count);
    }

    [Fact]
    public async Task OpenAsync_WhenTheEventComesFromAnotherRegionOfAMember_ShouldBuildItsClientsOnceAndShareTheCredentials()
    {
        var east = await OpenedAsync(Member);
        var west = await OpenedAsync(Member, "eu-west-1");

        Assert.NotSame(east, west);
        Assert.Same(west, await OpenedAsync(Member, "eu-west-1"));
        Assert.Single(_sts.Assumed);
    }

    [Fact]
    public async Task OpenAsync_WhenStsRefusesTheRole_ShouldAnswerRefusedWithTheRoleAndWhatStsSaid()
    {
        _sts.Refuse.Add("arn:aws:iam::111111111111:role/ecs-remediator-member");

        var refused = Assert.IsType<AccountOpening.Refused>(await _accounts.OpenAsync(Member, "us-east-1", default)).Refusal;

        Assert.Equal((Member, "arn:aws:iam::111111111111:role/ecs-remediator-member", "ecs-remediator-member"), (refused.Account, refused.RoleArn, refused.RoleName));
        Assert.Contains("is not authorized to perform: sts:AssumeRole", refused.Reason, StringComparison.Ordinal);
        _sts.Refuse.Clear();
        Assert.IsType<AccountOpening.Opened>(await _accounts.OpenAsync(Member, "us-east-1", default));
    }

    [Fact]
    public async Task OpenAsync_WhenAKnownRoleIsRefusedAtRenewal_ShouldRefuseAndForgetItsCredentials()
    {
        await OpenedAsync(Member);
        _clock.Advance(TimeSpan.FromMinutes(58));
        _sts.Refuse.Add("arn:aws:iam::111111111111:role/ecs-remediator-member");

        Assert.IsType<AccountOpening.Refused>(await _accounts.OpenAsync(Member, "us-east-1", default));
        _sts.Refuse.Clear();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<AccountOpening.Opened>(await _accounts.OpenAsync(Member, "us-east-1", default));
        Assert.Equal(3, _sts.Assumed.Count);
    }

    [Fact]
    public async Task OpenAsync_WhenStsIsThrottled_ShouldLetTheErrorPropagateSoTheInvocationIsRetried()
    {
        _sts.Throttle = true;

        await AwsAssert.ThrowsAsync(AwsErrorKind.Throttling, () => _accounts.OpenAsync(Member, "us-east-1", default));
    }

    [Fact]
    public async Task OpenAsync_WhenTheCentralAccountIsNotConfigured_ShouldAskStsOnceWhoTheFunctionIs()
    {
        using var accounts = Accounts(central: null);

        Assert.IsType<AccountOpening.Opened>(await accounts.OpenAsync(Central, "us-east-1", default));
        Assert.IsType<AccountOpening.Opened>(await accounts.OpenAsync(Central, "us-east-1", default));

        Assert.Equal(1, _sts.CallerIdentityCalls);
        Assert.Empty(_sts.Assumed);
    }

    [Theory]
    [InlineData("us-east-1", "arn:aws:iam::111111111111:role/ecs-remediator-member")]
    [InlineData("cn-north-1", "arn:aws-cn:iam::111111111111:role/ecs-remediator-member")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:iam::111111111111:role/ecs-remediator-member")]
    public void MemberRoleArn_WhenTheRegionIsInAPartition_ShouldNameThatPartition(string region, string expected) =>
        Assert.Equal(expected, OrganizationAccounts.MemberRoleArn(Member, region, "ecs-remediator-member"));

    /// <summary>STS that grants hour-long sessions on the fake clock, refuses the listed roles, or throttles.</summary>
    private sealed class FakeSts(TimeProvider clock) : IStsClient
    {
        public List<string> Assumed { get; } = [];

        public HashSet<string> Refuse { get; } = [];

        public bool Throttle { get; set; }

        public int CallerIdentityCalls { get; private set; }

        public Task<AssumeRoleResponse> AssumeRoleAsync(AssumeRoleRequest request, CancellationToken cancellationToken = default)
        {
            if (Throttle)
            {
                throw new AwsApiException(new AwsErrorInfo("STS", "AssumeRole", "Throttling", 400, "r", "Rate exceeded"), AwsErrorKind.Throttling, null);
            }

            Assumed.Add(request.RoleArn);
            if (Refuse.Contains(request.RoleArn))
            {
                throw new AwsApiException(new AwsErrorInfo("STS", "AssumeRole", "AccessDenied", 403, "r",
                    $"User: arn:aws:sts::123456789012:assumed-role/central/fn is not authorized to perform: sts:AssumeRole on resource: {request.RoleArn}"), AwsErrorKind.AccessDenied, null);
            }

            var n = Assumed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult(new AssumeRoleResponse(new StsCredentials("ASIA" + n, "secret" + n, "token" + n, clock.GetUtcNow().AddHours(1)), null));
        }

        public Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
        {
            CallerIdentityCalls++;
            return Task.FromResult(new CallerIdentity(Central, "arn:aws:sts::123456789012:assumed-role/central/fn", null));
        }
    }
}
