using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Remediation;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EcsTimeoutRemediator.Tests.Pipeline;

/// <summary>One pipeline, events from several accounts: each read and fixed through its own account's ports.</summary>
public class AccountsTests
{
    private const string Central = "111122223333";
    private const string Member = "444455556666";
    private const string Absent = "777788889999";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly RecordingPublisher _publisher = new();
    private readonly ListLogSink _log = new();
    private readonly CountingMetrics _metrics = new();
    private readonly InMemoryLedger _ledger;

    public AccountsTests() => _ledger = new InMemoryLedger();

    private EcsTimeoutRemediator.Pipeline Build(IAccountAccess accounts, FakeAccount central, AutoFixMode mode = AutoFixMode.Enforce) =>
        new(accounts, new Remediator(central, _ledger.Fixes, _ledger.Budget, _ledger.Audit, new PolicySettings { Mode = mode }, _clock, _log, _metrics),
            _ledger.Events, _ledger.Incidents, _ledger.Evidence, _publisher, _log, _metrics, _clock);

    /// <summary>A sample event moved into <paramref name="account"/> (its ARNs too), as a new task stopped now.</summary>
    private ReadOnlyMemory<byte> Event(string name, string account)
    {
        var node = JsonNode.Parse(EventFiles.Read(name).Replace(Central, account, StringComparison.Ordinal))!;
        var d = node["detail"]!;
        var now = _clock.GetUtcNow();
        d["taskArn"] = $"arn:aws:ecs:us-east-1:{account}:task/payments/{Guid.NewGuid():N}";
        d["createdAt"] = (now - TimeSpan.FromSeconds(110)).ToString("o");
        if (d["startedAt"] is not null)
        {
            d["startedAt"] = (now - TimeSpan.FromSeconds(80)).ToString("o");
        }

        d["stoppingAt"] = now.ToString("o");
        d["stoppedAt"] = now.ToString("o");
        node["id"] = Guid.NewGuid().ToString();
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>The api service behind its target group, opted in to every fix, in <paramref name="account"/>.</summary>
    private static FakeAccount TaggedElbService(string account)
    {
        var fake = ElbService(account);
        fake.Services["api"] = fake.Services["api"] with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };
        return fake;
    }

    /// <summary>The api service behind its target group in <paramref name="account"/> (the target group's ARN names it).</summary>
    private static FakeAccount ElbService(string account)
    {
        var fake = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());
        var arn = Scenarios.TargetGroupArn.Replace(Central, account, StringComparison.Ordinal);
        var group = fake.TargetGroups[Scenarios.TargetGroupArn];
        var health = fake.TargetHealth[Scenarios.TargetGroupArn];
        fake.TargetGroups.Clear();
        fake.TargetHealth.Clear();
        fake.TargetGroups[arn] = group with { TargetGroupArn = arn };
        fake.TargetHealth[arn] = health;
        fake.Services["api"] = Scenarios.Service() with { LoadBalancers = [new Context.ServiceLoadBalancer(arn, null, "api", 8080)] };
        return fake;
    }

    [Fact]
    public async Task HandleAsync_WhenEventsComeFromTwoAccounts_ShouldReadEachOnlyThroughItsOwnAccount()
    {
        var central = Scenarios.PrivateSubnetWithoutEgress();
        var member = Scenarios.PublicSubnet(assignPublicIp: false);
        var accounts = new FakeOrganization { [Central] = central, [Member] = member };
        var pipeline = Build(accounts, central);

        var fromCentral = await pipeline.HandleAsync(Event("image-pull-network", Central), CancellationToken.None);
        var centralCalls = central.Calls.Count;
        var fromMember = await pipeline.HandleAsync(Event("image-pull-network", Member), CancellationToken.None);

        Assert.Equal((Central, "us-east-1"), (fromCentral.Account, fromCentral.Region));
        Assert.Equal((Member, "us-east-1"), (fromMember.Account, fromMember.Region));
        Assert.Equal([(Central, "us-east-1"), (Member, "us-east-1")], accounts.Opened);
        Assert.Equal(centralCalls, central.Calls.Count);
        Assert.NotEmpty(member.Calls);
        Assert.Equal(2, _publisher.Published.Count);
        Assert.Equal("[ECS] payments/api: image pull timed out (no route to ECR)", _publisher.Published[0].Subject);
        Assert.Equal("[ECS] payments/api: image pull timed out (public subnet without public IP)", _publisher.Published[1].Subject);
    }

    [Fact]
    public async Task HandleAsync_WhenTwoAccountsHaveTheSameClusterAndService_ShouldKeepTheirIncidentsApart()
    {
        var central = Scenarios.PrivateSubnetWithoutEgress();
        var member = Scenarios.PrivateSubnetWithoutEgress();
        var pipeline = Build(new FakeOrganization { [Central] = central, [Member] = member }, central);

        var first = await pipeline.HandleAsync(Event("image-pull-network", Central), CancellationToken.None);
        var second = await pipeline.HandleAsync(Event("image-pull-network", Member), CancellationToken.None);
        var repeat = await pipeline.HandleAsync(Event("image-pull-network", Member), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, first.Outcome);
        Assert.Equal(DecisionRecord.Advised, second.Outcome);
        Assert.Equal(DecisionRecord.Suppressed, repeat.Outcome);
        Assert.Equal($"{Central}:us-east-1:payments:api:image-pull/network", first.IncidentKey);
        Assert.Equal($"{Member}:us-east-1:payments:api:image-pull/network", second.IncidentKey);
        Assert.Equal(second.IncidentKey, repeat.IncidentKey);
    }

    [Fact]
    public async Task HandleAsync_WhenTheMemberRoleIsRefused_ShouldAdviseThatFindingWithoutReadingOrChangingAnything()
    {
        var central = TaggedElbService(Central);
        var accounts = new FakeOrganization { [Central] = central };
        var pipeline = Build(accounts, central);

        var first = await pipeline.HandleAsync(Event("health-elb", Absent), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var second = await pipeline.HandleAsync(Event("health-elb", Absent), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, first.Outcome);
        Assert.Equal(0, first.ReadCalls);
        Assert.Empty(central.Calls);
        Assert.Empty(central.Updates);
        var finding = Assert.Single(first.Findings!);
        Assert.Equal((AccountChecks.Check, FindingStatus.Missing), (finding.Check, finding.Status));
        Assert.Equal($"cannot read account {Absent}: role ecs-remediator-member is missing or does not trust this function", finding.Message);
        Assert.Contains("is not authorized to perform: sts:AssumeRole", finding.Detail, StringComparison.Ordinal);
        Assert.Equal(FixResult.Skipped, Assert.Single(first.Fixes!).Result);
        var advisory = Assert.Single(_publisher.Published);
        Assert.Equal($"[ECS] payments/api: failed load balancer health checks (cannot read account {Absent})", advisory.Subject);
        Assert.Contains(advisory.NextSteps, s => s.Command == "aws iam get-role --role-name ecs-remediator-member --query Role.AssumeRolePolicyDocument");
        Assert.Contains(advisory.NextSteps, s => s.Command.Contains($"Accounts={Absent},AccountFilterType=INTERSECTION", StringComparison.Ordinal));
        Assert.Equal(DecisionRecord.Suppressed, second.Outcome);
        Assert.Equal(1, _metrics.Counts["AccountsRefused"]);
    }

    [Fact]
    public async Task HandleAsync_WhenOnlyTheMemberServiceIsTagged_ShouldFixItThroughTheMembersEcsAlone()
    {
        var central = ElbService(Central);
        var member = TaggedElbService(Member);
        var pipeline = Build(new FakeOrganization { [Central] = central, [Member] = member }, central);

        foreach (var account in new[] { Central, Member, Central, Member })
        {
            await pipeline.HandleAsync(Event("health-elb", account), CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Empty(central.Updates);
        Assert.Equal(60, Assert.Single(member.Updates).HealthCheckGracePeriodSeconds);
        Assert.Contains(_ledger.Audit.Records, a => a.Result == "Applied" && a.ServiceKey == $"{Member}:us-east-1:payments/api");
        Assert.DoesNotContain(_ledger.Audit.Records, a => a.Result == "Applied" && a.ServiceKey.StartsWith(Central, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_WhenARecordedFixIsReplayedAfterTheRoleWasRefused_ShouldFailWithoutActingInAnyAccount()
    {
        var central = ElbService(Central);
        var member = TaggedElbService(Member);
        var accounts = new FakeOrganization { [Central] = central, [Member] = member };
        var pipeline = Build(accounts, central);
        await pipeline.HandleAsync(Event("health-elb", Member), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var second = Event("health-elb", Member);
        member.Failing.Add("ecs:UpdateService");
        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.HandleAsync(second, CancellationToken.None));

        accounts.Remove(Member);
        await Assert.ThrowsAsync<AccountUnreachableException>(() => pipeline.HandleAsync(second, CancellationToken.None));

        Assert.Empty(central.Updates);
        Assert.Empty(member.Updates);
        Assert.Empty(_publisher.Published.Skip(1));
    }
}

/// <summary>Accounts by id, each its own fake; an account not listed refuses its member role as STS would.</summary>
public sealed class FakeOrganization : Dictionary<string, FakeAccount>, IAccountAccess
{
    public List<(string Account, string Region)> Opened { get; } = [];

    public Task<AccountOpening> OpenAsync(string account, string region, CancellationToken cancellationToken)
    {
        Opened.Add((account, region));
        var roleArn = $"arn:aws:iam::{account}:role/ecs-remediator-member";
        return Task.FromResult<AccountOpening>(TryGetValue(account, out var fake)
            ? new AccountOpening.Opened(new AccountPorts(fake, fake, fake, fake.Inspectors))
            : new AccountOpening.Refused(new AccountRefusal(account, roleArn,
                $"STS AssumeRole: AccessDenied: User: arn:aws:sts::111122223333:assumed-role/central/fn is not authorized to perform: sts:AssumeRole on resource: {roleArn} (HTTP 403)")));
    }
}
