using System.Text.Json;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.IntegrationTests.Diagnosis;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// The real <c>ecs-remediator</c> process in an organization on moto: <c>doctor --account</c> and <c>--role-arn</c>
/// through the member role, <c>handle</c> of a member's event, <c>clear-fix --account</c> on the central ledger.
/// STS answers through <see cref="StsTrustGate"/>; IAM's simulator through its stub (moto has none).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class OrganizationCliTests(MotoServer moto) : IAsyncLifetime
{
    private const string Member = "111111111111";
    private const string WithoutRole = "333333333333";
    private const string MemberRole = "arn:aws:iam::111111111111:role/ecs-remediator-member";

    private BrokenAccount _central = null!;
    private BrokenAccount _member = null!;
    private StsTrustGate _sts = null!;
    private IamStub _iam = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _central = await BrokenAccount.CreateAsync(moto);
        _member = await BrokenAccount.CreateAsync(moto, Member, await MotoOrganization.CredentialsAsync(moto, Member));
        await MotoOrganization.DeployMemberRoleAsync(moto, Member);
        var organization = new[] { MotoServer.AccountId, Member, WithoutRole }.ToDictionary(a => a, _ => MotoOrganization.Id);
        _sts = new StsTrustGate(moto, MotoOrganization.CentralRole, MotoOrganization.CentralAssumePolicy(), organization);
        _iam = IamStub.Start();
    }

    public Task DisposeAsync()
    {
        _sts.Dispose();
        _iam.Dispose();
        return Task.CompletedTask;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["AWS_REGION"] = MotoServer.Region,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_ENDPOINT_URL"] = moto.Url,
        ["AWS_ENDPOINT_URL_STS"] = _sts.Url,
        ["AWS_ENDPOINT_URL_IAM"] = _iam.Url,
        ["AWS_MAX_ATTEMPTS"] = "2",
        ["ADVISORY_TOPIC_ARN"] = _central.TopicArn,
        ["MEMBER_ROLE_NAME"] = "ecs-remediator-member",
        ["CENTRAL_ACCOUNT_ID"] = MotoServer.AccountId,
    };

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        PipelineEndToEndTests.RunCliAsync("", Environment(), args);

    [Fact]
    public async Task Doctor_WhenAskedForAMemberAccount_ShouldCheckItsServiceThroughTheMemberRole()
    {
        await _member.CreateServiceAsync("api", _member.PublicSubnet, assignPublicIp: false);

        var r = await RunAsync("doctor", "--cluster", BrokenAccount.Cluster, "--service", "api", "--account", Member);

        Assert.True(r.ExitCode == 3, r.Stdout + r.Stderr);
        Assert.Contains($"ecs-remediator doctor: service payments/api in account {Member} (us-east-1), through {MemberRole}", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("✗ public-ip", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"awsvpcConfiguration={{subnets=[{_member.PublicSubnet}],securityGroups=[{_member.TaskSecurityGroup}],assignPublicIp=ENABLED}}", r.Stdout, StringComparison.Ordinal);
        Assert.Equal([(MemberRole, true)], _sts.AssumeRoleCalls);
    }

    [Fact]
    public async Task Doctor_WhenGivenTheRoleArnAndJson_ShouldReportTheAccountAndRoleItRead()
    {
        await _member.CreateServiceAsync("api", _member.PublicSubnet, assignPublicIp: true);

        var r = await RunAsync("doctor", "--cluster", BrokenAccount.Cluster, "--service", "api", "--role-arn", MemberRole, "--format", "json");

        // The world's image has no ECR repository: read in the member's registry, that is the one problem.
        Assert.True(r.ExitCode == 3, r.Stdout + r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(Member, json.RootElement.GetProperty("account").GetString());
        Assert.Equal(MemberRole, json.RootElement.GetProperty("roleArn").GetString());
        Assert.Contains(json.RootElement.GetProperty("subnets").EnumerateArray(), s => s.GetString() == _member.PublicSubnet);
        var problem = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("status").GetString() is "Missing" or "Wrong");
        Assert.Equal("ecr-repository", problem.GetProperty("check").GetString());
        Assert.Contains($"does not exist in registry {Member}", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WhenTheAccountHasNoMemberRole_ShouldExitThreeWithTheFindingAndHowToDeployIt()
    {
        var r = await RunAsync("doctor", "--cluster", BrokenAccount.Cluster, "--service", "api", "--account", WithoutRole);

        Assert.True(r.ExitCode == 3, r.Stdout + r.Stderr);
        Assert.Contains($"✗ member-role  missing  cannot read account {WithoutRole}: role ecs-remediator-member is missing or does not trust this function", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 missing or wrong, 0 ok, 0 unknown (0 read calls)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("[deploy-member-role]", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("aws iam get-role --role-name ecs-remediator-member", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--account", Member, "--role-arn", MemberRole)]
    [InlineData("--account", "1111")]
    [InlineData("--role-arn", "arn:aws:iam::111111111111:user/someone")]
    public async Task Doctor_WhenTheAccountOptionsAreWrong_ShouldExitTwoWithOneLine(params string[] extra)
    {
        var r = await RunAsync(["doctor", "--cluster", BrokenAccount.Cluster, "--service", "api", .. extra]);

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(_sts.AssumeRoleCalls);
    }

    [Fact]
    public async Task Handle_WhenAMembersEventIsReplayed_ShouldReadTheMemberAccountAndPublishCentrally()
    {
        await _member.CreateServiceAsync("api", _member.PrivateSubnet);

        var r = await PipelineEndToEndTests.RunCliAsync(_member.Event("image-pull-network", "api", _member.PrivateSubnet), Environment(), ["handle", "-"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        using var result = JsonDocument.Parse(r.Stdout);
        Assert.Equal(Member, result.RootElement.GetProperty("decision").GetProperty("account").GetString());
        var (subject, message, _) = Assert.Single(await _central.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: image pull timed out (no route to ECR)", subject);
        Assert.Contains($"{_member.PrivateSubnet} has no route to the internet ({_member.PrivateRouteTable}", message, StringComparison.Ordinal);
        Assert.Equal([(MemberRole, true)], _sts.AssumeRoleCalls);
    }

    [Fact]
    public async Task ClearFix_WhenTheServiceIsInAMemberAccount_ShouldClearItsHistoryInTheCentralLedgerOnly()
    {
        var table = await LedgerTable.CreateAsync(moto);
        var ledger = new DynamoDbFixHistory(new DynamoDbLedgerTable(LedgerTable.Client(moto), table));
        var record = new FixRecord("raise-health-check-grace", "health/elb", DateTimeOffset.UtcNow, "0", "60", Ineffective: true);
        await ledger.RecordFixAsync($"{Member}:us-east-1:payments/api", record, default);
        await ledger.RecordFixAsync($"{MotoServer.AccountId}:us-east-1:payments/api", record, default);
        var env = Environment();
        env["LEDGER_TABLE_NAME"] = table;

        var r = await PipelineEndToEndTests.RunCliAsync("", env,
            ["clear-fix", "--cluster", "payments", "--service", "api", "--fix", "raise-health-check-grace", "--account", Member, "--region", "us-east-1"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("cleared raise-health-check-grace on payments/api: the function may apply it again\n", r.Stdout);
        Assert.Null(await ledger.GetFixAsync($"{Member}:us-east-1:payments/api", "raise-health-check-grace", default));
        Assert.NotNull(await ledger.GetFixAsync($"{MotoServer.AccountId}:us-east-1:payments/api", "raise-health-check-grace", default));
    }
}
