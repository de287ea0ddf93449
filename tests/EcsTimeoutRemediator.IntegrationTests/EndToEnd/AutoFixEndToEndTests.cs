using System.Text;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>The guarded fixes end to end on moto: real ECS, EC2, ELBv2, SNS/SQS and the DynamoDB ledger.</summary>
[Collection(MotoCollection.Name)]
public sealed class AutoFixEndToEndTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly EcsTag[] OptIn = [new(EcsTimeoutRemediator.Policy.OptIn.AutoFixTag, "all")];
    private BrokenAccount _account = null!;
    private string _table = "";
    private Dictionary<string, string?> _saved = [];

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
        _table = await LedgerTable.CreateAsync(moto);
        var env = new Dictionary<string, string>
        {
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_ENDPOINT_URL"] = moto.Url,
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

        return Task.CompletedTask;
    }

    private CompositionRoot Root(AutoFixMode mode = AutoFixMode.Enforce, int minMinutes = 15, int evidence = 2) =>
        CompositionRoot.ForCli(
            new Settings
            {
                Region = MotoServer.Region,
                AdvisoryTopicArn = _account.TopicArn,
                LedgerTableName = _table,
                Policy = new PolicySettings { Mode = mode, MinTimeBetweenFixesOnAService = TimeSpan.FromMinutes(minMinutes), EvidenceCount = evidence },
            },
            TextWriter.Null,
            clients => new EcsTimeoutRemediator.Aws.Adapters.SnsAdvisoryPublisher(clients.Sns, _account.TopicArn));

    private async Task<DecisionRecord> HandleAsync(CompositionRoot root, string eventJson) =>
        await root.Pipeline.HandleAsync(Encoding.UTF8.GetBytes(eventJson), CancellationToken.None);

    private string ElbFailure(int seconds = 80) => _account.BootTimeElbFailure(seconds);

    private async Task<int> GraceAsync()
    {
        using var ecs = moto.CreateEcsClient();
        var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = BrokenAccount.Cluster, Services = ["api"] });
        return services.Services[0].HealthCheckGracePeriodSeconds;
    }

    private async Task<string?> AssignPublicIpAsync()
    {
        using var ecs = moto.CreateEcsClient();
        var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = BrokenAccount.Cluster, Services = ["api"] });
        return services.Services[0].NetworkConfiguration?.AwsVpcConfiguration?.AssignPublicIp;
    }

    [Fact]
    public async Task RaiseGrace_WhenATaggedServiceFailsTwice_ShouldRaiseItAfterTheSecondAndNotTheFirst()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true, tags: OptIn);
        using var root = Root();

        var first = await HandleAsync(root, ElbFailure());
        Assert.Equal(0, await GraceAsync());
        var second = await HandleAsync(root, ElbFailure());

        Assert.Equal(FixResult.Skipped, Assert.Single(first.Fixes!).Result);
        Assert.Equal(FixResult.Applied, Assert.Single(second.Fixes!).Result);
        Assert.Equal(60, await GraceAsync());
        var advisories = await _account.ReadAdvisoriesAsync();
        Assert.Equal(2, advisories.Count);
        Assert.Contains(advisories, a => a.Subject!.StartsWith("[ECS] payments/api: fixed failed load balancer health checks", StringComparison.Ordinal)
            && a.Message.Contains("undo: `aws ecs update-service --region us-east-1 --cluster payments --service api --health-check-grace-period-seconds 0`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RaiseGrace_WhenTheServiceIsNotTagged_ShouldLeaveItAndAdvise()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true);
        using var root = Root();

        var first = await HandleAsync(root, ElbFailure());
        var second = await HandleAsync(root, ElbFailure());

        Assert.Equal(0, await GraceAsync());
        Assert.Contains("has not opted in", Assert.Single(first.Fixes!).Message, StringComparison.Ordinal);
        Assert.Equal(DecisionRecord.Suppressed, second.Outcome);
        Assert.Equal(0, second.ReadCalls);
        Assert.Single(await _account.ReadAdvisoriesAsync());
    }

    [Theory]
    [InlineData(AutoFixMode.DryRun, FixResult.WouldApply)]
    [InlineData(AutoFixMode.Off, FixResult.Skipped)]
    public async Task RaiseGrace_WhenDryRunOrOff_ShouldChangeNothing(AutoFixMode mode, FixResult expected)
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true, tags: OptIn);
        using var root = Root(mode);

        var first = await HandleAsync(root, ElbFailure());
        var second = await HandleAsync(root, ElbFailure());

        // Switched off, no fix can apply, so the repeat reads nothing; in dry-run it is evaluated and would apply.
        Assert.Equal(expected, Assert.Single((mode == AutoFixMode.Off ? first : second).Fixes!).Result);
        Assert.Equal(0, await GraceAsync());
    }

    [Fact]
    public async Task HandleAsync_WhenAnEventIsRedelivered_ShouldActAndPublishOnce()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true, tags: OptIn);
        using var root = Root(evidence: 1);
        var failure = ElbFailure();

        var first = await HandleAsync(root, failure);
        var again = await HandleAsync(root, failure);

        Assert.Equal(FixResult.Applied, Assert.Single(first.Fixes!).Result);
        Assert.Equal(DecisionRecord.Duplicate, again.Outcome);
        Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal(60, await GraceAsync());
    }

    [Fact]
    public async Task HandleAsync_WhenTwentyEventsForOneServiceRunAtOnce_ShouldApplyOneUpdate()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true, tags: OptIn);
        using var root = Root(evidence: 1);
        var failures = Enumerable.Range(0, 20).Select(_ => ElbFailure()).ToList();

        var records = await Task.WhenAll(failures.Select(f => Task.Run(() => HandleAsync(root, f))));

        Assert.Single(records, r => r.Fixes?.Any(f => f.Result == FixResult.Applied) == true);
        Assert.Equal(60, await GraceAsync());

        // The incident is announced once, and the applied fix once more at most; the rest are counted.
        Assert.InRange((await _account.ReadAdvisoriesAsync()).Count, 1, 2);
        Assert.Equal(20, records.Max(r => r.IncidentTotal));
    }

    [Fact]
    public async Task Budget_WhenAFourthFixIsDueWithinADay_ShouldStopIt()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true,
            tags: [.. OptIn, new EcsTag(EcsTimeoutRemediator.Policy.OptIn.MaxGraceTag, "900")]);
        using var root = Root(minMinutes: 0, evidence: 1);
        var results = new List<FixOutcome>();
        for (var i = 0; i < 4; i++)
        {
            // Each fix "did not cure"; a person clears it, as the advisory says, and the service fails again.
            await root.FixHistory!.ClearFixAsync($"{MotoServer.AccountId}:{MotoServer.Region}:{BrokenAccount.Cluster}/api", FixId.RaiseHealthCheckGrace, default);
            var record = await HandleAsync(root, ElbFailure(await GraceAsync() + 30));
            results.Add(Assert.Single(record.Fixes!));
        }

        Assert.Equal([FixResult.Applied, FixResult.Applied, FixResult.Applied, FixResult.Skipped], results.Select(r => r.Result));
        Assert.Contains("3 automatic fix(es) in the last 24 hours", results[3].Message, StringComparison.Ordinal);
        Assert.Equal(240, await GraceAsync());
    }

    [Fact]
    public async Task HandleAsync_WhenFiveHundredFailuresOfOneServiceArriveTogether_ShouldPublishOneAdvisoryAndCountFiveHundred()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        using var root = Root();
        var failures = Enumerable.Range(0, 500).Select(_ => _account.Event("exit-essential", "api", _account.PrivateSubnet)).ToList();
        var records = new System.Collections.Concurrent.ConcurrentBag<DecisionRecord>();

        await Parallel.ForEachAsync(failures, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (f, _) => records.Add(await HandleAsync(root, f)));

        Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal(499, records.Count(r => r.Outcome == DecisionRecord.Suppressed));
        Assert.Equal(500, records.Max(r => r.IncidentTotal));
    }

    [Fact]
    public async Task HandleAsync_WhenAFailureArrivesAfterTheIncidentWindow_ShouldPublishOneFollowUpWithTheCount()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        using var root = Root();
        var t0 = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(50);
        string At(DateTimeOffset stopped, string task)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(_account.Event("exit-essential", "api", _account.PrivateSubnet))!;
            node["detail"]!["stoppedAt"] = stopped.ToString("o");
            node["detail"]!["taskArn"] = $"arn:aws:ecs:us-east-1:{MotoServer.AccountId}:task/{BrokenAccount.Cluster}/{task}";
            return node.ToJsonString();
        }

        await HandleAsync(root, At(t0, "task-open"));
        await HandleAsync(root, At(t0 + TimeSpan.FromMinutes(10), "task-a"));
        await HandleAsync(root, At(t0 + TimeSpan.FromMinutes(25), "task-b"));
        var followUp = await HandleAsync(root, At(t0 + TimeSpan.FromMinutes(40), "task-c"));

        Assert.Equal(DecisionRecord.Advised, followUp.Outcome);
        var advisories = await _account.ReadAdvisoriesAsync();
        Assert.Equal(2, advisories.Count);
        Assert.Contains(advisories, a => a.Message.Contains($"2 more failure(s) since {t0.UtcDateTime:HH:mm} UTC over 40 minute(s); first task task-a, last task task-b; 4 in this incident so far", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublicIp_WhenAFargateServiceInAPublicSubnetCannotPull_ShouldEnableIt()
    {
        await _account.CreateServiceAsync("api", _account.PublicSubnet, tags: OptIn);
        using var root = Root();

        var record = await HandleAsync(root, _account.Event("image-pull-network", "api", _account.PublicSubnet));

        Assert.Equal(FixResult.Applied, Assert.Single(record.Fixes!).Result);
        Assert.Equal("ENABLED", await AssignPublicIpAsync());
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.StartsWith("[ECS] payments/api: fixed image pull timed out (enable-assign-public-ip DISABLED → ENABLED)", subject, StringComparison.Ordinal);
        Assert.Contains("Security Hub control ECS.2", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenTheSubnetIsPrivate_ShouldChangeNothingAndPointToNatOrEndpoints()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, tags: OptIn);
        using var root = Root();

        var record = await HandleAsync(root, _account.Event("image-pull-network", "api", _account.PrivateSubnet));

        Assert.Equal(FixResult.Skipped, Assert.Single(record.Fixes!).Result);
        Assert.Equal("DISABLED", await AssignPublicIpAsync());
        var (_, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Contains("add a NAT route or the VPC endpoints", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicIp_WhenTheTaskSecurityGroupIsOpenToTheWorld_ShouldNotApply()
    {
        await _account.CreateServiceAsync("api", _account.PublicSubnet, tags: OptIn);
        using (var ec2 = moto.CreateEc2Client())
        {
            await ec2.AuthorizeSecurityGroupIngressAsync(new Amazon.EC2.Model.AuthorizeSecurityGroupIngressRequest
            {
                GroupId = _account.TaskSecurityGroup,
                IpPermissions = [new Amazon.EC2.Model.IpPermission { IpProtocol = "tcp", FromPort = 8080, ToPort = 8080, Ipv4Ranges = [new Amazon.EC2.Model.IpRange { CidrIp = "0.0.0.0/0" }] }],
            });
        }

        using var root = Root();
        var record = await HandleAsync(root, _account.Event("image-pull-network", "api", _account.PublicSubnet));

        Assert.Contains("would expose the tasks", Assert.Single(record.Fixes!).Message, StringComparison.Ordinal);
        Assert.Equal("DISABLED", await AssignPublicIpAsync());
    }
}
