using System.Text;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Pipeline;

public class PipelineTests
{
    private readonly RecordingPublisher _publisher = new();
    private readonly ListLogSink _log = new();
    private readonly CountingMetrics _metrics = new();

    private EcsTimeoutRemediator.Pipeline Build(FakeAccount account) =>
        new(new ContextGatherer(account, account, account),
            new EcsTimeoutRemediator.Remediation.Remediator(account, null, null, null, new EcsTimeoutRemediator.Policy.PolicySettings(), TimeProvider.System, _log, _metrics),
            null, null, null, _publisher, _log, _metrics, TimeProvider.System);

    private static ReadOnlyMemory<byte> Event(string name) => Encoding.UTF8.GetBytes(EventFiles.Read(name));

    [Theory]
    [InlineData("benign-user")]
    [InlineData("benign-scaling")]
    [InlineData("benign-spot")]
    [InlineData("benign-maintenance")]
    public async Task HandleAsync_WhenTheStopIsBenign_ShouldMakeNoAwsCallAndPublishNothing(string name)
    {
        var account = new FakeAccount();

        var record = await Build(account).HandleAsync(Event(name), CancellationToken.None);

        Assert.Equal(DecisionRecord.Dropped, record.Outcome);
        Assert.Empty(account.Calls);
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task HandleAsync_WhenAPrivateSubnetHasNoRouteAndNoEndpoints_ShouldAdviseNoRouteToEcrWithTheRealIds()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, record.Outcome);
        var advisory = Assert.Single(_publisher.Published);
        Assert.Equal("[ECS] payments/api: image pull timed out (no route to ECR)", advisory.Subject);
        Assert.True(advisory.Subject.Length <= 100);
        var lead = advisory.Findings[0];
        Assert.Equal(FindingStatus.Missing, lead.Status);
        Assert.Contains("ecr.api, ecr.dkr, s3", lead.Message, StringComparison.Ordinal);
        Assert.Contains("rtb-0private00000000", advisory.Body, StringComparison.Ordinal);
        Assert.Contains($"--vpc-id {Scenarios.Vpc} --vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids rtb-0private00000000", advisory.Body, StringComparison.Ordinal);
        Assert.Contains("image-pull/network", advisory.Body, StringComparison.Ordinal);
        Assert.Contains(record.TaskArn!, advisory.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheSubnetIsPrivate_ShouldNotOfferAPublicIpAndShouldLeadWithEndpoints()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();

        await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        var advisory = _publisher.Published[0];
        Assert.Equal(FixId.AddVpcEndpoints, advisory.Classification.Fixes[0]);
        Assert.DoesNotContain(FixId.EnableAssignPublicIp, advisory.Classification.Fixes);
        Assert.DoesNotContain("assignPublicIp=ENABLED", advisory.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheSubnetIsPublic_ShouldLeadWithThePublicIpAndNotOfferANatRoute()
    {
        var account = Scenarios.PublicSubnet(assignPublicIp: false);

        await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        var fixes = _publisher.Published[0].Classification.Fixes;
        Assert.Equal(FixId.EnableAssignPublicIp, fixes[0]);
        Assert.DoesNotContain(FixId.AddNatRoute, fixes);
    }

    [Fact]
    public async Task HandleAsync_WhenThePrivateSubnetHasEveryEndpoint_ShouldNotBlameTheRoute()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        foreach (var svc in new[] { "ecr.api", "ecr.dkr" })
        {
            account.Endpoints.Add(new VpcEndpointFacts($"vpce-{svc}", $"com.amazonaws.us-east-1.{svc}", "Interface", "available", true, [Scenarios.Subnet], ["sg-0endpoint"], []));
        }

        account.Endpoints.Add(new VpcEndpointFacts("vpce-s3", "com.amazonaws.us-east-1.s3", "Gateway", "available", false, [], [], ["rtb-0private00000000"]));

        await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        var advisory = Assert.Single(_publisher.Published);
        Assert.DoesNotContain(advisory.Findings, f => f.IsProblem);
        Assert.Equal("[ECS] payments/api: image pull timed out", advisory.Subject);
    }

    [Fact]
    public async Task HandleAsync_WhenTheS3GatewayIsNotOnTheTasksRouteTable_ShouldNameS3AsMissing()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        account.Endpoints.Add(new VpcEndpointFacts("vpce-1", "com.amazonaws.us-east-1.ecr.api", "Interface", "available", true, [], [], []));
        account.Endpoints.Add(new VpcEndpointFacts("vpce-2", "com.amazonaws.us-east-1.ecr.dkr", "Interface", "available", true, [], [], []));
        account.Endpoints.Add(new VpcEndpointFacts("vpce-3", "com.amazonaws.us-east-1.s3", "Gateway", "available", false, [], [], ["rtb-0other"]));

        await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        var lead = _publisher.Published[0].Findings[0];
        Assert.Equal(FindingStatus.Missing, lead.Status);
        Assert.EndsWith("lacks the endpoints s3.", lead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenAPublicSubnetServiceHasNoPublicIp_ShouldSaySo()
    {
        var account = Scenarios.PublicSubnet(assignPublicIp: false);

        await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        var advisory = Assert.Single(_publisher.Published);
        Assert.Equal("[ECS] payments/api: image pull timed out (public subnet without public IP)", advisory.Subject);
        Assert.Contains($"assignPublicIp=ENABLED", advisory.Body, StringComparison.Ordinal);
        Assert.Contains($"securityGroups=[{Scenarios.TaskSg}]", advisory.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheNatGatewayIsFailed_ShouldReportItWrong()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        account.RouteTables[0] = account.RouteTables[0] with
        {
            Routes = [.. account.RouteTables[0].Routes, new RouteFacts("0.0.0.0/0", null, null, "nat-0abc", "blackhole")],
        };
        account.RouteTables[0] = account.RouteTables[0] with { Routes = [.. account.RouteTables[0].Routes.Select(r => r.NatGatewayId is null ? r : r with { State = "active" })] };
        account.NatGateways.Add(new NatGatewayFacts("nat-0abc", "subnet-0public", Scenarios.Vpc, "failed"));

        await Build(account).HandleAsync(Event("secrets-network"), CancellationToken.None);

        var lead = _publisher.Published[0].Findings[0];
        Assert.Equal(FindingStatus.Wrong, lead.Status);
        Assert.Contains("nat-0abc, which is failed", lead.Message, StringComparison.Ordinal);
        Assert.EndsWith("(NAT gateway failed)", _publisher.Published[0].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheTaskWasNotStartedByAService_ShouldAdviseWithoutServiceContext()
    {
        var account = new FakeAccount();

        var record = await Build(account).HandleAsync(Event("image-pull-platform"), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, record.Outcome);
        Assert.DoesNotContain("ecs:DescribeServices", account.Calls);
        var advisory = Assert.Single(_publisher.Published);
        Assert.StartsWith("[ECS] batch/report-builder: image built for another platform", advisory.Subject, StringComparison.Ordinal);
        Assert.Contains("(none: task family report-builder)", advisory.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenAReadIsDenied_ShouldStillPublishAndNameTheMissingPermission()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        account.Denied.Add("ec2:DescribeRouteTables");

        var record = await Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, record.Outcome);
        var advisory = Assert.Single(_publisher.Published);
        Assert.Contains(advisory.Findings, f => f.Status == FindingStatus.Unknown && f.Message.StartsWith("unknown (missing permission ec2:DescribeRouteTables", StringComparison.Ordinal));
        Assert.Contains("ec2:DescribeVpcEndpoints", account.Calls);
    }

    [Fact]
    public async Task HandleAsync_WhenAReadFailsTransiently_ShouldThrowSoTheEventIsRetried()
    {
        var account = Scenarios.PrivateSubnetWithoutEgress();
        account.Failing.Add("ec2:DescribeSubnets");

        await Assert.ThrowsAsync<TimeoutException>(() => Build(account).HandleAsync(Event("image-pull-network"), CancellationToken.None));
        Assert.Empty(_publisher.Published);
    }

    [Theory]
    [InlineData("{not json", DecisionRecord.Invalid)]
    [InlineData("{\"source\":\"aws.ec2\",\"detail-type\":\"EC2 Instance State-change Notification\",\"detail\":{}}", DecisionRecord.Ignored)]
    public async Task HandleAsync_WhenTheEventIsMalformedOrForeign_ShouldAcknowledgeWithoutCalls(string json, string outcome)
    {
        var account = new FakeAccount();

        var record = await Build(account).HandleAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);

        Assert.Equal(outcome, record.Outcome);
        Assert.Empty(account.Calls);
        Assert.Empty(_publisher.Published);
        Assert.Contains(_log.Entries, e => e.Fields.Any(f => f.Key == "reason" && f.Value!.StartsWith(outcome, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HandleAsync_WhenHealthElbKilledTheTaskDuringBoot_ShouldReadTheTargetGroupAndSaySo()
    {
        var account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());

        var record = await Build(account).HandleAsync(Event("health-elb"), CancellationToken.None);

        Assert.Contains("elasticloadbalancing:DescribeTargetGroups", account.Calls);
        Assert.Contains("elasticloadbalancing:DescribeTargetHealth", account.Calls);
        Assert.DoesNotContain("ec2:DescribeSubnets", account.Calls);
        var grace = Assert.Single(record.Findings!, f => f.Check == "grace-period");
        Assert.Equal(FindingStatus.Wrong, grace.Status);
        Assert.Contains("grace period is 0 s", grace.Message, StringComparison.Ordinal);
        Assert.Contains("/health", _publisher.Published[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheTargetAnswersTheWrongCode_ShouldPointAtThePathOrPort()
    {
        var account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress(), "Target.ResponseCodeMismatch");

        await Build(account).HandleAsync(Event("health-elb"), CancellationToken.None);

        var advisory = _publisher.Published[0];
        Assert.Contains(advisory.Findings, f => f.Check == "target-health" && f.Status == FindingStatus.Wrong);
    }

    public static TheoryData<string> ActionableEvents()
    {
        var data = new TheoryData<string>();
        foreach (var c in Category.All.Where(c => !Category.IsBenign(c)))
        {
            data.Add(EventFiles.NameOf(c));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActionableEvents))]
    public async Task HandleAsync_WhenAnyActionableEventArrives_ShouldPublishOneAdvisoryWithinTenReads(string name)
    {
        var account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());
        account.Services["checkout"] = Scenarios.Service("checkout");

        var record = await Build(account).HandleAsync(Event(name), CancellationToken.None);

        Assert.Equal(DecisionRecord.Advised, record.Outcome);
        Assert.Single(_publisher.Published);
        Assert.InRange(account.Calls.Count, 0, 10);
        Assert.Equal(account.Calls.Count, record.ReadCalls);
        Assert.All(_log.Entries.Where(e => e.Message != "event ignored"), e => Assert.Equal(record.EventId, e.CorrelationId));
    }
}
