using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;
using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// One central deployment, an organization of accounts on moto: the central account and two members, each with its
/// own broken service, the member roles created from template-member.yaml; a third account without the role and a
/// fourth whose role trusts another function. STS answers through <see cref="StsTrustGate"/>, which refuses an
/// AssumeRole IAM would refuse (moto grants every one). Events go through the Lambda's composition root.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class OrganizationEndToEndTests(MotoServer moto) : IAsyncLifetime
{
    private const string MemberA = "111111111111";
    private const string MemberB = "222222222222";
    private const string WithoutRole = "333333333333";
    private const string TrustsAnother = "444444444444";
    private static readonly EcsTag[] OptIn = [new(EcsTimeoutRemediator.Policy.OptIn.AutoFixTag, "all")];

    private BrokenAccount _central = null!;
    private BrokenAccount _a = null!;
    private BrokenAccount _b = null!;
    private string _table = "";
    private StsTrustGate _sts = null!;
    private Dictionary<string, string?> _saved = [];

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _central = await BrokenAccount.CreateAsync(moto);
        _a = await BrokenAccount.CreateAsync(moto, MemberA, await MotoOrganization.CredentialsAsync(moto, MemberA));
        _b = await BrokenAccount.CreateAsync(moto, MemberB, await MotoOrganization.CredentialsAsync(moto, MemberB));
        await MotoOrganization.DeployMemberRoleAsync(moto, MemberA);
        await MotoOrganization.DeployMemberRoleAsync(moto, MemberB);
        await MotoOrganization.DeployMemberRoleAsync(moto, TrustsAnother, centralRoleArn: "arn:aws:iam::123456789012:role/another-stack-RemediatorRole-9Z8Y7X");
        _table = await LedgerTable.CreateAsync(moto);
        var organization = new[] { MotoServer.AccountId, MemberA, MemberB, WithoutRole, TrustsAnother }.ToDictionary(a => a, _ => MotoOrganization.Id);
        _sts = new StsTrustGate(moto, MotoOrganization.CentralRole, MotoOrganization.CentralAssumePolicy(), organization);

        // The function's environment: every service on moto, STS through the gate.
        var env = new Dictionary<string, string>
        {
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_ENDPOINT_URL"] = moto.Url,
            ["AWS_ENDPOINT_URL_STS"] = _sts.Url,
        };
        _saved = env.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (k, v) in env)
        {
            Environment.SetEnvironmentVariable(k, v);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var (k, v) in _saved)
        {
            Environment.SetEnvironmentVariable(k, v);
        }

        _sts.Dispose();
        return Task.CompletedTask;
    }

    private CompositionRoot Root(AutoFixMode mode = AutoFixMode.Off) => CompositionRoot.ForCli(
        new Settings
        {
            Region = MotoServer.Region,
            AdvisoryTopicArn = _central.TopicArn,
            LedgerTableName = _table,
            MemberRoleName = AccountChecks.DefaultMemberRole,
            CentralAccountId = MotoServer.AccountId,
            Policy = new PolicySettings { Mode = mode },
        },
        TextWriter.Null,
        clients => new EcsTimeoutRemediator.Aws.Adapters.SnsAdvisoryPublisher(clients.Sns, _central.TopicArn));

    private static Task<DecisionRecord> HandleAsync(CompositionRoot root, string eventJson) =>
        root.Pipeline.HandleAsync(Encoding.UTF8.GetBytes(eventJson), CancellationToken.None);

    /// <summary>A health-check failure of a task that lived 80 s and stopped just now, in <paramref name="account"/>.</summary>
    private static string ElbFailure(BrokenAccount account)
    {
        var node = JsonNode.Parse(account.Event("health-elb", "api", account.PrivateSubnet))!;
        var now = DateTimeOffset.UtcNow;
        node["detail"]!["createdAt"] = (now - TimeSpan.FromSeconds(100)).ToString("o");
        node["detail"]!["startedAt"] = (now - TimeSpan.FromSeconds(80)).ToString("o");
        node["detail"]!["stoppingAt"] = now.ToString("o");
        node["detail"]!["stoppedAt"] = now.ToString("o");
        return node.ToJsonString();
    }

    /// <summary>A sample event moved into an account that has no world of its own (only its id matters).</summary>
    private string EventOf(string account) => _central.Event("image-pull-network", "api", _central.PrivateSubnet)
        .Replace(MotoServer.AccountId, account, StringComparison.Ordinal);

    [Fact]
    public async Task Handle_WhenEachAccountHasItsOwnBrokenService_ShouldReadEachAccountAndNameItsOwnMissingPiece()
    {
        await _central.CreateServiceAsync("api", _central.PrivateSubnet);
        await _a.CreateServiceAsync("api", _a.PublicSubnet, assignPublicIp: false);
        await _b.CreateServiceAsync("api", _b.PrivateSubnet, withTargetGroup: true);
        using var root = Root();

        var central = await HandleAsync(root, _central.Event("image-pull-network", "api", _central.PrivateSubnet));
        var a = await HandleAsync(root, _a.Event("image-pull-network", "api", _a.PublicSubnet));
        var b = await HandleAsync(root, ElbFailure(_b));
        var again = await HandleAsync(root, _a.Event("exit-essential", "api", _a.PublicSubnet));

        Assert.All(new[] { central, a, b, again }, r => Assert.Equal(DecisionRecord.Advised, r.Outcome));
        Assert.Equal([MotoServer.AccountId, MemberA, MemberB, MemberA], new[] { central, a, b, again }.Select(r => r.Account));
        var advisories = (await _central.ReadAdvisoriesAsync()).ToDictionary(x => Attribute(x.Envelope, "account") + " " + Attribute(x.Envelope, "category"));
        Assert.Equal(4, advisories.Count);

        var fromCentral = advisories[$"{MotoServer.AccountId} image-pull/network"];
        Assert.Equal("[ECS] payments/api: image pull timed out (no route to ECR)", fromCentral.Subject);
        Assert.Contains($"{_central.PrivateSubnet} has no route to the internet ({_central.PrivateRouteTable}", fromCentral.Message, StringComparison.Ordinal);

        var fromA = advisories[$"{MemberA} image-pull/network"];
        Assert.Equal("[ECS] payments/api: image pull timed out (public subnet without public IP)", fromA.Subject);
        Assert.Contains($"awsvpcConfiguration={{subnets=[{_a.PublicSubnet}],securityGroups=[{_a.TaskSecurityGroup}],assignPublicIp=ENABLED}}", fromA.Message, StringComparison.Ordinal);
        Assert.Contains($"*Console (account {MemberA}):*", fromA.Message, StringComparison.Ordinal);

        var fromB = advisories[$"{MemberB} health/elb"];
        Assert.StartsWith("[ECS] payments/api: failed load balancer health checks", fromB.Subject, StringComparison.Ordinal);
        Assert.Contains(_b.TargetGroupArn, fromB.Message, StringComparison.Ordinal);
        Assert.Contains("grace period is 0 s", fromB.Message, StringComparison.Ordinal);

        // Each advisory names only its own account's resources.
        foreach (var (owner, others) in new[] { (fromCentral, new[] { _a, _b }), (fromA, new[] { _central, _b }), (fromB, new[] { _central, _a }) })
        {
            Assert.All(others, other => Assert.DoesNotContain(other.PrivateSubnet, owner.Message, StringComparison.Ordinal));
            Assert.All(others, other => Assert.DoesNotContain(other.PublicSubnet, owner.Message, StringComparison.Ordinal));
        }

        // The central account's own events use the function's role; each member is assumed once and its credentials kept.
        Assert.Equal(
            [($"arn:aws:iam::{MemberA}:role/ecs-remediator-member", true), ($"arn:aws:iam::{MemberB}:role/ecs-remediator-member", true)],
            _sts.AssumeRoleCalls);
        Assert.Equal($"{MotoServer.AccountId}:us-east-1:payments:api:image-pull/network", central.IncidentKey);
        Assert.Equal($"{MemberA}:us-east-1:payments:api:image-pull/network", a.IncidentKey);
    }

    [Fact]
    public async Task Handle_WhenATeamSubscribesWithAFilterOnItsAccount_ShouldReceiveOnlyItsAccountsAdvisories()
    {
        await _central.CreateServiceAsync("api", _central.PrivateSubnet);
        await _a.CreateServiceAsync("api", _a.PublicSubnet, assignPublicIp: false);
        using var sqs = moto.CreateSqsClient();
        var teamQueue = (await sqs.CreateQueueAsync("team-a")).QueueUrl;
        var teamArn = (await sqs.GetQueueAttributesAsync(teamQueue, ["QueueArn"])).QueueARN;
        var sns = new SnsSetupClient(MotoServer.Credentials, moto.Configure(new SnsClientConfig()));
        await sns.SubscribeWithFilterAsync(_central.TopicArn, "sqs", teamArn, $$"""{"account":["{{MemberA}}"]}""");
        using var root = Root();

        await HandleAsync(root, _central.Event("image-pull-network", "api", _central.PrivateSubnet));
        await HandleAsync(root, _a.Event("image-pull-network", "api", _a.PublicSubnet));

        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = teamQueue, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
        var message = Assert.Single(received.Messages);
        using var envelope = JsonDocument.Parse(message.Body);
        Assert.Equal(MemberA, Attribute(envelope.RootElement, "account"));
        Assert.Equal(2, (await _central.ReadAdvisoriesAsync()).Count);
    }

    [Theory]
    [InlineData(WithoutRole)]
    [InlineData(TrustsAnother)]
    public async Task Handle_WhenTheMemberRoleIsMissingOrDoesNotTrustTheFunction_ShouldAdviseTheClearFindingAndNotFail(string account)
    {
        using var root = Root();

        var record = await HandleAsync(root, EventOf(account));

        Assert.Equal(DecisionRecord.Advised, record.Outcome);
        Assert.Equal(0, record.ReadCalls);
        var finding = Assert.Single(record.Findings!);
        Assert.Equal(FindingStatus.Missing, finding.Status);
        Assert.Equal($"cannot read account {account}: role ecs-remediator-member is missing or does not trust this function", finding.Message);
        Assert.Contains("AccessDenied", finding.Detail, StringComparison.Ordinal);
        var (subject, message, envelope) = Assert.Single(await _central.ReadAdvisoriesAsync());
        Assert.Equal($"[ECS] payments/api: image pull timed out (cannot read account {account})", subject);
        Assert.Equal(account, Attribute(envelope, "account"));
        Assert.Contains("aws iam get-role --role-name ecs-remediator-member", message, StringComparison.Ordinal);
        Assert.Equal([($"arn:aws:iam::{account}:role/ecs-remediator-member", false)], _sts.AssumeRoleCalls);
    }

    [Fact]
    public async Task Handle_WhenTheMissingRoleIsDeployedAfterARefusal_ShouldReadTheAccountOnTheNextEvent()
    {
        using var root = Root();
        var refused = await HandleAsync(root, EventOf(WithoutRole));
        var world = await BrokenAccount.CreateAsync(moto, WithoutRole, await MotoOrganization.CredentialsAsync(moto, WithoutRole));
        await world.CreateServiceAsync("api", world.PublicSubnet, assignPublicIp: false);
        await MotoOrganization.DeployMemberRoleAsync(moto, WithoutRole);

        var read = await HandleAsync(root, world.Event("exit-essential", "api", world.PublicSubnet));

        Assert.Equal(AccountChecks.Check, Assert.Single(refused.Findings!).Check);
        Assert.Equal(DecisionRecord.Advised, read.Outcome);
        Assert.True(read.ReadCalls > 0);
        Assert.DoesNotContain(read.Findings!, f => f.Check == AccountChecks.Check);
        Assert.Equal([false, true], _sts.AssumeRoleCalls.Select(c => c.Allowed));
    }

    [Fact]
    public async Task Fix_WhenOnlyAMembersServiceIsTagged_ShouldRaiseTheGraceThereAndNowhereElse()
    {
        await _central.CreateServiceAsync("api", _central.PrivateSubnet, withTargetGroup: true);
        await _a.CreateServiceAsync("api", _a.PrivateSubnet, withTargetGroup: true, tags: OptIn);
        await _b.CreateServiceAsync("api", _b.PrivateSubnet, withTargetGroup: true);
        using var root = Root(AutoFixMode.Enforce);

        var records = new List<DecisionRecord>();
        foreach (var account in new[] { _central, _a, _b, _central, _a, _b })
        {
            records.Add(await HandleAsync(root, ElbFailure(account)));
        }

        Assert.Equal(60, await GraceAsync(_a));
        Assert.Equal(0, await GraceAsync(_central));
        Assert.Equal(0, await GraceAsync(_b));
        var applied = Assert.Single(records, r => r.Fixes?.Any(f => f.Result == FixResult.Applied) == true);
        Assert.Equal(MemberA, applied.Account);
        Assert.Contains(records.Where(r => r.Account != MemberA).SelectMany(r => r.Fixes ?? []), f => f.Message.Contains("has not opted in", StringComparison.Ordinal));
        Assert.Contains((await _central.ReadAdvisoriesAsync()).Select(x => x.Subject), s => s!.StartsWith("[ECS] payments/api: fixed failed load balancer health checks", StringComparison.Ordinal));
    }

    private async Task<int> GraceAsync(BrokenAccount account)
    {
        using var ecs = new EcsClient(account.Credentials, moto.Configure(new EcsClientConfig()));
        var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = BrokenAccount.Cluster, Services = ["api"] });
        return services.Services[0].HealthCheckGracePeriodSeconds;
    }

    private static string? Attribute(JsonElement envelope, string name) =>
        envelope.TryGetProperty("MessageAttributes", out var attributes) && attributes.TryGetProperty(name, out var attribute)
            ? attribute.GetProperty("Value").GetString()
            : null;
}
