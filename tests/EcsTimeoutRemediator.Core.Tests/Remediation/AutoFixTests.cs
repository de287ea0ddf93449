using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Remediation;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EcsTimeoutRemediator.Tests.Remediation;

/// <summary>Every guard of the two automatic fixes, with a fake clock, a fake account and an in-memory ledger.</summary>
public class AutoFixTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 15, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly RecordingPublisher _publisher = new();
    private readonly ListLogSink _log = new();
    private readonly CountingMetrics _metrics = new();
    private readonly InMemoryLedger _ledger;

    public AutoFixTests() => _ledger = new InMemoryLedger();

    private EcsTimeoutRemediator.Pipeline Build(FakeAccount account, PolicySettings? settings = null, bool withLedger = true)
    {
        var ledger = withLedger ? _ledger : null;
        return new(new ContextGatherer(account, account, account),
            new Remediator(account, ledger?.Fixes, ledger?.Budget, ledger?.Audit, settings ?? new PolicySettings { Mode = AutoFixMode.Enforce }, _clock, _log, _metrics),
            ledger?.Events, ledger?.Incidents, ledger?.Evidence, _publisher, _log, _metrics, _clock);
    }

    /// <summary>A sample event for a new task (new ARN), stopped at the fake clock's time.</summary>
    private ReadOnlyMemory<byte> Event(string name, TimeSpan? lived = null, long version = 5, string? taskId = null, DateTimeOffset? created = null)
    {
        var node = JsonNode.Parse(EventFiles.Read(name))!;
        var d = node["detail"]!;
        var now = _clock.GetUtcNow();
        var started = now - (lived ?? TimeSpan.FromSeconds(80));
        d["taskArn"] = $"arn:aws:ecs:us-east-1:111122223333:task/payments/{taskId ?? Guid.NewGuid().ToString("N")}";
        d["createdAt"] = (created ?? started - TimeSpan.FromSeconds(30)).ToString("o");
        if (d["startedAt"] is not null)
        {
            d["startedAt"] = started.ToString("o");
        }

        d["stoppingAt"] = now.ToString("o");
        d["stoppedAt"] = now.ToString("o");
        d["version"] = version;
        node["id"] = Guid.NewGuid().ToString();
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static FakeAccount TaggedElbService(string tag = "all", int grace = 0, IReadOnlyDictionary<string, string>? extraTags = null)
    {
        var account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());
        var tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = tag };
        foreach (var (k, v) in extraTags ?? new Dictionary<string, string>())
        {
            tags[k] = v;
        }

        account.Services["api"] = Scenarios.Service(grace: grace) with { Tags = tags };
        return account;
    }

    /// <summary>The decision for the first of the two failures <see cref="Twice"/> handled.</summary>
    private DecisionRecord _first = null!;

    private async Task<DecisionRecord> Twice(FakeAccount account, PolicySettings? settings = null, TimeSpan? lived = null)
    {
        var pipeline = Build(account, settings);
        _first = await pipeline.HandleAsync(Event("health-elb", lived), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(3));
        return await pipeline.HandleAsync(Event("health-elb", lived), CancellationToken.None);
    }

    private static FixOutcome Grace(DecisionRecord r) => Assert.Single(r.Fixes!, f => f.Fix == FixId.RaiseHealthCheckGrace);

    [Fact]
    public async Task RaiseGrace_WhenATaggedServiceFailsHealthChecksTwiceDuringBoot_ShouldRaiseGraceTo60()
    {
        var account = TaggedElbService();

        var second = await Twice(account);

        var outcome = Grace(second);
        Assert.Equal(FixResult.Applied, outcome.Result);
        Assert.Equal(("0", "60"), (outcome.Before, outcome.After));
        Assert.Equal("aws ecs update-service --region us-east-1 --cluster payments --service api --health-check-grace-period-seconds 0", outcome.RevertCommand);
        var update = Assert.Single(account.Updates);
        Assert.Equal(60, update.HealthCheckGracePeriodSeconds);
        Assert.Null(update.Network);
        var advisory = _publisher.Published[^1];
        Assert.StartsWith("[ECS] payments/api: fixed failed load balancer health checks", advisory.Subject, StringComparison.Ordinal);
        Assert.Contains("[APPLIED] raise-health-check-grace: changed healthCheckGracePeriodSeconds from 0 to 60", advisory.Body, StringComparison.Ordinal);
        Assert.Contains("undo: aws ecs update-service", advisory.Body, StringComparison.Ordinal);
        Assert.Contains(_ledger.Audit.Records, a => a.Result == "Applied" && a.Before == "0" && a.After == "60");
    }

    [Fact]
    public async Task RaiseGrace_WhenSeenOnlyOnce_ShouldNotChangeAnythingAndSaySo()
    {
        var account = TaggedElbService();

        var first = await Build(account).HandleAsync(Event("health-elb"), CancellationToken.None);

        Assert.Empty(account.Updates);
        var outcome = Grace(first);
        Assert.Equal(FixResult.Skipped, outcome.Result);
        Assert.Contains("seen 1 time(s) in the last 30 minutes; the fix needs 2", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseGrace_WhenTheTwoFailuresAreFurtherApartThanTheWindow_ShouldNotFix()
    {
        var account = TaggedElbService();
        var pipeline = Build(account);

        await pipeline.HandleAsync(Event("health-elb"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(45));
        var second = await pipeline.HandleAsync(Event("health-elb"), CancellationToken.None);

        Assert.Empty(account.Updates);
        Assert.Equal(FixResult.Skipped, Grace(second).Result);
    }

    [Fact]
    public async Task RaiseGrace_WhenTheServiceIsNotTagged_ShouldOnlyAdvise()
    {
        var account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());

        var second = await Twice(account);

        Assert.Empty(account.Updates);
        Assert.Contains("has not opted in", Grace(_first).Message, StringComparison.Ordinal);
        Assert.Equal(DecisionRecord.Suppressed, second.Outcome);
        Assert.Single(_publisher.Published);

        // The incident is known not to be fixable, so the repeat is counted without reading anything.
        Assert.Equal(0, second.ReadCalls);
        Assert.Null(second.Fixes);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("enable-assign-public-ip")]
    public async Task RaiseGrace_WhenTheTagDoesNotNameIt_ShouldNotApply(string tag)
    {
        var account = TaggedElbService(tag);

        var second = await Twice(account);

        Assert.Empty(account.Updates);
        Assert.Equal(FixResult.Skipped, Grace(_first).Result);
        Assert.Null(second.Fixes);
    }

    [Theory]
    [InlineData(OptIn.AutoFixTag, "raise-grace-please", "names unknown fix")]
    [InlineData(OptIn.MaxGraceTag, "ten minutes", "positive whole number")]
    [InlineData(OptIn.ModeTag, "yolo", "may only be \"dry-run\"")]
    public async Task RaiseGrace_WhenATagValueIsInvalid_ShouldReportItAndTreatItAsNoOptIn(string tag, string value, string expected)
    {
        var account = TaggedElbService("all", extraTags: new Dictionary<string, string> { [tag] = value });

        await Twice(account);

        Assert.Empty(account.Updates);
        var outcome = Grace(_first);
        Assert.Contains("opt-in tags are invalid", outcome.Message, StringComparison.Ordinal);
        Assert.Contains(expected, outcome.Message, StringComparison.Ordinal);
        Assert.Contains(expected, _publisher.Published[^1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 60)]
    [InlineData(45, 90)]
    [InlineData(100, 200)]
    [InlineData(200, 300)]
    public async Task RaiseGrace_WhenCurrentGraceIsGiven_ShouldStepUpToTwiceItWithinTheCap(int current, int expected)
    {
        var account = TaggedElbService(grace: current);

        await Twice(account, lived: TimeSpan.FromSeconds(current + 30));

        Assert.Equal(expected, Assert.Single(account.Updates).HealthCheckGracePeriodSeconds);
    }

    [Fact]
    public async Task RaiseGrace_WhenAtTheCap_ShouldChangeNothingAndListWhatToCheck()
    {
        var account = TaggedElbService(grace: 300);

        var second = await Twice(account, lived: TimeSpan.FromSeconds(320));

        Assert.Empty(account.Updates);
        var message = Grace(second).Message;
        Assert.Contains("at the cap of 300 s", message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", message, StringComparison.Ordinal);
        Assert.Contains("security group", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseGrace_WhenTheServiceTagLowersTheCap_ShouldStopThere()
    {
        var account = TaggedElbService(grace: 45, extraTags: new Dictionary<string, string> { [OptIn.MaxGraceTag] = "75" });

        await Twice(account, lived: TimeSpan.FromSeconds(60));

        Assert.Equal(75, Assert.Single(account.Updates).HealthCheckGracePeriodSeconds);
    }

    [Fact]
    public async Task RaiseGrace_WhenTheServiceTagAsksAboveTheHardLimit_ShouldKeepTheHardLimit()
    {
        var account = TaggedElbService(grace: 800, extraTags: new Dictionary<string, string> { [OptIn.MaxGraceTag] = "5000" });

        await Twice(account, lived: TimeSpan.FromSeconds(820));

        Assert.Equal(900, Assert.Single(account.Updates).HealthCheckGracePeriodSeconds);
    }

    [Fact]
    public async Task RaiseGrace_WhenTheTaskRanPastStartUp_ShouldNotFix()
    {
        var account = TaggedElbService();

        var second = await Twice(account, lived: TimeSpan.FromMinutes(30));

        Assert.Empty(account.Updates);
        Assert.Contains("it was healthy once", Grace(second).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseGrace_WhenTheTargetAnsweredTheWrongCode_ShouldAdviseInsteadOfFixing()
    {
        var account = TaggedElbService();
        account.TargetHealth[Scenarios.TargetGroupArn] = [new TargetHealthFacts("10.0.12.187", 8080, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]")];

        var second = await Twice(account);

        Assert.Empty(account.Updates);
        Assert.Contains("ResponseCodeMismatch", Grace(second).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseGrace_WhenNoTargetHealthCanBeRead_ShouldRelyOnLifetimeAndRepetition()
    {
        var account = TaggedElbService();
        account.TargetHealth.Clear();

        await Twice(account);

        Assert.Single(account.Updates);
    }

    [Fact]
    public async Task RaiseGrace_WhenTheGraceChangedRightBeforeTheUpdate_ShouldDoNothing()
    {
        var account = TaggedElbService();
        var pipeline = Build(account);
        await pipeline.HandleAsync(Event("health-elb"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(3));

        // The gatherer reads grace 0; a person sets 120 before the fix re-reads the service.
        var reads = 0;
        var original = account.Services["api"];
        account.Calls.Clear();
        var changing = new ChangingAccount(account, () =>
        {
            if (++reads == 2)
            {
                account.Services["api"] = original with { HealthCheckGracePeriodSeconds = 120 };
            }
        });
        var racing = new EcsTimeoutRemediator.Pipeline(new ContextGatherer(changing, account, account),
            new Remediator(changing, _ledger.Fixes, _ledger.Budget, _ledger.Audit, new PolicySettings { Mode = AutoFixMode.Enforce }, _clock, _log, _metrics),
            _ledger.Events, _ledger.Incidents, _ledger.Evidence, _publisher, _log, _metrics, _clock);
        var second = await racing.HandleAsync(Event("health-elb"), CancellationToken.None);

        Assert.Empty(account.Updates);
        Assert.Contains("changed from 0 s to 120 s since the decision", Grace(second).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AutoFixMode.DryRun, null)]
    [InlineData(AutoFixMode.Enforce, "dry-run")]
    public async Task RaiseGrace_WhenDryRun_ShouldSayWhatItWouldChangeAndChangeNothing(AutoFixMode mode, string? tag)
    {
        var account = TaggedElbService(extraTags: tag is null ? null : new Dictionary<string, string> { [OptIn.ModeTag] = tag });

        var second = await Twice(account, new PolicySettings { Mode = mode });

        Assert.Empty(account.Updates);
        var outcome = Grace(second);
        Assert.Equal(FixResult.WouldApply, outcome.Result);
        Assert.Contains("would change healthCheckGracePeriodSeconds from 0 to 60", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseGrace_WhenModeIsOff_ShouldChangeNothing()
    {
        var account = TaggedElbService();

        var second = await Twice(account, new PolicySettings { Mode = AutoFixMode.Off });

        Assert.Empty(account.Updates);
        Assert.Contains("AUTO_FIX_MODE=off", Grace(_first).Message, StringComparison.Ordinal);
        Assert.Equal(0, second.ReadCalls);
    }

    [Fact]
    public async Task RaiseGrace_WhenNoLedgerIsConfigured_ShouldNeverApply()
    {
        var account = TaggedElbService();
        var pipeline = Build(account, withLedger: false);

        await pipeline.HandleAsync(Event("health-elb"), CancellationToken.None);
        var second = await pipeline.HandleAsync(Event("health-elb"), CancellationToken.None);

        Assert.Empty(account.Updates);
        Assert.Contains("LEDGER_TABLE_NAME", Grace(second).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheSameEventIsRedelivered_ShouldActAndPublishOnce()
    {
        var account = TaggedElbService();
        var pipeline = Build(account);
        await pipeline.HandleAsync(Event("health-elb"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var again = Event("health-elb", taskId: "redelivered");

        var first = await pipeline.HandleAsync(again, CancellationToken.None);
        var second = await pipeline.HandleAsync(again, CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, first.Outcome);
        Assert.Equal(DecisionRecord.Duplicate, second.Outcome);
        Assert.Single(account.Updates);
        Assert.Equal(2, _publisher.Published.Count);
    }

    [Fact]
    public async Task HandleAsync_WhenTwentyEventsForOneServiceRunAtOnce_ShouldUpdateTheServiceOnce()
    {
        var account = TaggedElbService();
        var pipeline = Build(account);
        await pipeline.HandleAsync(Event("health-elb"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var events = Enumerable.Range(0, 20).Select(_ => Event("health-elb")).ToList();

        var records = await Task.WhenAll(events.Select(e => Task.Run(() => pipeline.HandleAsync(e, CancellationToken.None))));

        Assert.Single(account.Updates);
        Assert.Single(records, r => r.Fixes?.Any(f => f.Result == FixResult.Applied) == true);
    }

    [Fact]
    public async Task Budget_WhenAFourthFixIsDueWithinADay_ShouldStopIt()
    {
        var account = TaggedElbService(extraTags: new Dictionary<string, string> { [OptIn.MaxGraceTag] = "900" });
        var settings = new PolicySettings { Mode = AutoFixMode.Enforce };
        var pipeline = Build(account, settings);
        DecisionRecord last = null!;
        for (var fix = 0; fix < 4; fix++)
        {
            // The previous fix did not cure; a person clears it, as the advisory says, and it fails again.
            await _ledger.Fixes.ClearFixAsync("111122223333:us-east-1:payments/api", FixId.RaiseHealthCheckGrace, CancellationToken.None);
            var grace = account.Services["api"].HealthCheckGracePeriodSeconds;
            await pipeline.HandleAsync(Event("health-elb", TimeSpan.FromSeconds(grace + 30)), CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(1));
            last = await pipeline.HandleAsync(Event("health-elb", TimeSpan.FromSeconds(grace + 30)), CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(20));
        }

        Assert.Equal(3, account.Updates.Count);
        Assert.Contains("3 automatic fix(es) in the last 24 hours", Grace(last).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budget_WhenTheAccountHadTenFixesThisHour_ShouldStopTheEleventh()
    {
        var settings = new PolicySettings { Mode = AutoFixMode.Enforce };
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await _ledger.Budget.TryReserveFixAsync($"111122223333:us-east-1:payments/svc-{i}", $"r{i}", _clock.GetUtcNow(), settings, CancellationToken.None));
        }

        var denied = await _ledger.Budget.TryReserveFixAsync("111122223333:us-east-1:payments/svc-11", "r11", _clock.GetUtcNow(), settings, CancellationToken.None);

        Assert.Contains("10 automatic fix(es) in the last hour", denied, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(await _ledger.Budget.TryReserveFixAsync("111122223333:us-east-1:payments/svc-11", "r11", _clock.GetUtcNow(), settings, CancellationToken.None));
    }

    [Fact]
    public async Task RaiseGrace_WhenTheFailureComesBackAfterTheFix_ShouldSayItDidNotCureAndNotApplyAgain()
    {
        var account = TaggedElbService();
        await Twice(account);
        Assert.Single(account.Updates);
        _clock.Advance(TimeSpan.FromMinutes(20));

        // A task created after the fix fails the same way.
        var pipeline = Build(account);
        var after = await pipeline.HandleAsync(Event("health-elb", TimeSpan.FromSeconds(90), created: _clock.GetUtcNow() - TimeSpan.FromSeconds(100)), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(20));
        var later = await pipeline.HandleAsync(Event("health-elb", TimeSpan.FromSeconds(90), created: _clock.GetUtcNow() - TimeSpan.FromSeconds(100)), CancellationToken.None);

        Assert.Single(account.Updates);
        Assert.Contains("did not cure it", Grace(after).Message, StringComparison.Ordinal);
        Assert.Contains("ecs-remediator clear-fix --cluster payments --service api --fix raise-health-check-grace", Grace(later).Message, StringComparison.Ordinal);
        Assert.Contains("did not cure it", _publisher.Published[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenATaggedFargateServiceIsInAPublicSubnet_ShouldEnableItWithTheFullNetworkConfiguration()
    {
        var account = Scenarios.PublicSubnet(assignPublicIp: false);
        account.Services["api"] = account.Services["api"] with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = FixId.EnableAssignPublicIp } };

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        var update = Assert.Single(account.Updates);
        Assert.Equal(new AwsVpcFacts([Scenarios.Subnet], [Scenarios.TaskSg], true), update.Network!, new AwsVpcComparer());
        var outcome = Assert.Single(record.Fixes!);
        Assert.Equal(FixResult.Applied, outcome.Result);
        Assert.Contains("assignPublicIp=DISABLED", outcome.RevertCommand, StringComparison.Ordinal);
        Assert.Contains("Security Hub control ECS.2", _publisher.Published[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenTheSubnetIsPrivate_ShouldNotChangeItAndPointToNatOrEndpoints()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        account.Services["api"] = account.Services["api"] with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        Assert.Empty(account.Updates);
        var outcome = Assert.Single(record.Fixes!);
        Assert.Contains("private subnet; add a NAT route or the VPC endpoints (ecr.api, ecr.dkr, s3)", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenASecurityGroupIsOpenToTheWorld_ShouldNotExposeTheTasks()
    {
        var account = Scenarios.PublicSubnet(assignPublicIp: false);
        account.Services["api"] = account.Services["api"] with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };
        account.SecurityGroups[0] = account.SecurityGroups[0] with { Inbound = [new SecurityGroupRule("tcp", 8080, 8080, [], ["::/0"], [])] };

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        Assert.Empty(account.Updates);
        Assert.Contains("would expose the tasks", Assert.Single(record.Fixes!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenASubnetRoutesThroughNat_ShouldNotApply()
    {
        var account = Scenarios.PublicSubnet(assignPublicIp: false);
        account.Services["api"] = account.Services["api"] with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };
        account.RouteTables[0] = account.RouteTables[0] with { Routes = [new RouteFacts("0.0.0.0/0", null, null, "nat-0123", "active")] };

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        Assert.Empty(account.Updates);
        Assert.Contains("through NAT gateway nat-0123", Assert.Single(record.Fixes!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenTheServiceRunsOnEc2_ShouldNotApply()
    {
        var account = Scenarios.PublicSubnet(assignPublicIp: false);
        account.Services["api"] = account.Services["api"] with { LaunchType = "EC2", Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        Assert.Empty(account.Updates);
        Assert.Contains("does not run on Fargate", Assert.Single(record.Fixes!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenANetworkReadWasDenied_ShouldNotActOnPartialFacts()
    {
        var account = Scenarios.PublicSubnet(assignPublicIp: false);
        account.Services["api"] = account.Services["api"] with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = "all" } };
        account.Denied.Add("ec2:DescribeSecurityGroups");

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        Assert.Empty(account.Updates);
        Assert.Contains("could not all be read", Assert.Single(record.Fixes!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_WhenDeniedByTheTagCondition_ShouldReportFailedAndGiveTheBudgetBack()
    {
        var account = TaggedElbService();
        account.Denied.Add("ecs:UpdateService");

        var second = await Twice(account);

        var outcome = Grace(second);
        Assert.Equal(FixResult.Failed, outcome.Result);
        Assert.Contains("UpdateService was denied", outcome.Message, StringComparison.Ordinal);
        Assert.Null(await _ledger.Budget.TryReserveFixAsync("111122223333:us-east-1:payments/api", "next", _clock.GetUtcNow(), new PolicySettings(), CancellationToken.None));
    }

    [Fact]
    public void Permissions_WhenListed_ShouldBeExactlyUpdateService()
    {
        Assert.Equal(["ecs:UpdateService"], AutoFixes.Permissions.Order());
    }

    private sealed class AwsVpcComparer : IEqualityComparer<AwsVpcFacts>
    {
        public bool Equals(AwsVpcFacts? x, AwsVpcFacts? y) =>
            x is not null && y is not null && x.Subnets.SequenceEqual(y.Subnets) && x.SecurityGroups.SequenceEqual(y.SecurityGroups) && x.AssignPublicIp == y.AssignPublicIp;

        public int GetHashCode(AwsVpcFacts obj) => obj.AssignPublicIp.GetHashCode();
    }

    /// <summary>Wraps the fake account's service reads to change the world between them.</summary>
    private sealed class ChangingAccount(FakeAccount inner, Action onRead) : IEcsServices
    {
        public Task<ServiceFacts?> DescribeServiceAsync(string cluster, string service, CancellationToken cancellationToken)
        {
            onRead();
            return inner.DescribeServiceAsync(cluster, service, cancellationToken);
        }

        public Task<TaskDefinitionFacts?> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken) =>
            inner.DescribeTaskDefinitionAsync(taskDefinition, cancellationToken);

        public Task<ServiceFacts> UpdateServiceAsync(ServiceUpdate update, CancellationToken cancellationToken) =>
            inner.UpdateServiceAsync(update, cancellationToken);
    }
}
