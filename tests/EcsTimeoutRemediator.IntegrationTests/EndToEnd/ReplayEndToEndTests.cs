using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// Lambda's retries end to end on moto (ECS, EC2, ELBv2, SNS → SQS, the DynamoDB ledger): a retry after a failure
/// half-way publishes what was not published and never applies a fix twice; a storm of one incident reads once.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ReplayEndToEndTests(MotoServer moto) : IAsyncLifetime
{
    private const string LateTopic = "ecs-advisories-late";
    private static readonly EcsTag[] OptIn = [new(EcsTimeoutRemediator.Policy.OptIn.AutoFixTag, "all")];
    private BrokenAccount _account = null!;
    private string _table = "";
    private string LateTopicArn => $"arn:aws:sns:{MotoServer.Region}:{MotoServer.AccountId}:{LateTopic}";

    private AwsEnvironment? _environment;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
        _table = await LedgerTable.CreateAsync(moto);
        _environment = AwsEnvironment.Point(moto.Url);
    }

    public Task DisposeAsync()
    {
        _environment?.Dispose();
        return Task.CompletedTask;
    }

    private CompositionRoot Root(string? topic = null) =>
        CompositionRoot.ForCli(
            new Settings
            {
                Region = MotoServer.Region,
                AdvisoryTopicArn = topic ?? _account.TopicArn,
                LedgerTableName = _table,
                Policy = new PolicySettings { Mode = AutoFixMode.Enforce },
            },
            TextWriter.Null,
            clients => new SnsAdvisoryPublisher(clients.Sns, topic ?? _account.TopicArn));

    private static Task<DecisionRecord> HandleAsync(CompositionRoot root, string eventJson) =>
        root.Pipeline.HandleAsync(Encoding.UTF8.GetBytes(eventJson), CancellationToken.None);

    private async Task<int> GraceAsync()
    {
        using var ecs = moto.CreateEcsClient();
        var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = BrokenAccount.Cluster, Services = ["api"] });
        return services.Services[0].HealthCheckGracePeriodSeconds;
    }

    [Fact]
    public async Task HandleAsync_WhenTheTopicIsMissingOnTheFirstAttempt_ShouldPublishTheAdvisoryOnTheRetry()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        using var root = Root(LateTopicArn);
        var failure = _account.Event("image-pull-network", "api", _account.PrivateSubnet);

        await Assert.ThrowsAnyAsync<Exception>(() => HandleAsync(root, failure));
        Assert.Empty(await _account.ReadAdvisoriesAsync());
        await _account.CreateTopicAsync(LateTopic);
        var retry = await HandleAsync(root, failure);
        var redelivery = await HandleAsync(root, failure);

        Assert.Equal(DecisionRecord.Advised, retry.Outcome);
        var (subject, _, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.StartsWith("[ECS] payments/api: image pull timed out", subject, StringComparison.Ordinal);
        Assert.Equal(DecisionRecord.Duplicate, redelivery.Outcome);
        Assert.Equal(retry.AdvisoryMessageId, redelivery.AdvisoryMessageId);
    }

    [Fact]
    public async Task HandleAsync_WhenTheGraceFixIsAppliedAndThePublishFails_ShouldAnnounceItOnceAndNeverRaiseItAgain()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true, tags: OptIn);
        using (var first = Root())
        {
            await HandleAsync(first, _account.BootTimeElbFailure());
        }

        using var root = Root(LateTopicArn);
        var second = _account.BootTimeElbFailure();
        await Assert.ThrowsAnyAsync<Exception>(() => HandleAsync(root, second));
        Assert.Equal(60, await GraceAsync());
        await _account.CreateTopicAsync(LateTopic);
        var retry = await HandleAsync(root, second);
        await HandleAsync(root, second);

        Assert.Equal(60, await GraceAsync());
        Assert.Equal(FixResult.Applied, Assert.Single(retry.Fixes!).Result);
        var advisories = await _account.ReadAdvisoriesAsync();
        Assert.Equal(2, advisories.Count);
        Assert.Single(advisories, a => a.Subject!.Contains("fixed failed load balancer health checks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_WhenAnotherInvocationHoldsTheEvent_ShouldFailSoThatLambdaRetriesIt()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        using var root = Root();
        var failure = _account.Event("image-pull-network", "api", _account.PrivateSubnet, version: 3);
        var taskArn = JsonNode.Parse(failure)!["detail"]!["taskArn"]!.GetValue<string>();
        await root.EventJournal!.ClaimEventAsync(taskArn + "#3", "another-invocation", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60), default);

        await Assert.ThrowsAsync<EventInProgressException>(() => HandleAsync(root, failure));

        Assert.Empty(await _account.ReadAdvisoriesAsync());
    }

    [Fact]
    public async Task HandleAsync_WhenSixtyFailuresOfOneServiceArriveEightAtATime_ShouldPublishOnceAndReadForOneDiagnosis()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);

        // Every call the function makes goes through the proxy, which counts them per service and operation.
        await using var proxy = FaultProxy.Start(moto.Url);
        using var throughProxy = AwsEnvironment.Point(proxy.Url);
        using var root = Root();
        var failures = Enumerable.Range(0, 60).Select(_ => _account.Event("image-pull-network", "api", _account.PrivateSubnet)).ToList();
        using var concurrency = new SemaphoreSlim(8);

        var records = await Task.WhenAll(failures.Select(async f =>
        {
            await concurrency.WaitAsync();
            try
            {
                return await Task.Run(() => HandleAsync(root, f));
            }
            finally
            {
                concurrency.Release();
            }
        }));

        var advised = Assert.Single(records, r => r.Outcome == DecisionRecord.Advised);
        Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal(59, records.Count(r => r.Outcome == DecisionRecord.Suppressed));
        Assert.Equal(60, records.Max(r => r.IncidentTotal));

        // The reads of one diagnosis, whatever the storm: the same calls the advised event reports, and no more.
        var reads = proxy.CallsTo(CallMatch.Service(SigningName.Ecs, SigningName.Ec2, SigningName.ElbV2, SigningName.Ecr, SigningName.Iam, SigningName.Logs));
        Assert.Equal(advised.ReadCalls, reads.Count);
        Assert.Single(proxy.CallsTo(CallMatch.Service(SigningName.Sns)));

        // Ledger calls: a repeat costs its claim, the incident counter and its completion (plus, while the first
        // failure has not yet said whether the service may be fixed, its failure evidence); races cost a retry.
        var ledger = proxy.CallsTo(CallMatch.Service(SigningName.DynamoDb));
        Console.WriteLine($"ledger calls for 60 events: {string.Join(", ", ledger.GroupBy(c => $"{c.Operation} {c.Status}").Select(g => $"{g.Key}: {g.Count()}"))}");
        Assert.InRange(ledger.Count(c => c.Status == 200 && c.Operation is "UpdateItem"), 3 * 60, (3 * 60) + 10);
        Assert.True(ledger.Count <= 4 * 60, $"{ledger.Count} ledger calls for 60 events");
    }
}
