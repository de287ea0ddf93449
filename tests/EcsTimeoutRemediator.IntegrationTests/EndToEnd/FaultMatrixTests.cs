using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Serialization;
using Xunit.Abstractions;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// The fault matrix: one event through the Lambda handler on moto, with the Nth ECS/EC2/ELB/SNS call of the first
/// attempt failed (503 or throttling from the Nth call on, or the Nth connection reset), then the same event again
/// as Lambda's retry with nothing failing. Whatever N, the two attempts together publish exactly one advisory, make
/// at most one UpdateService that reaches ECS, announce the fix exactly once, and a first attempt that returned
/// success had done all its work (a first attempt with work left undone must fail so that Lambda retries).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class FaultMatrixTests(MotoServer moto, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Positions tried for every world and fault; those past the world's call count run without a fault.</summary>
    public const int MaxPosition = 30;

    public const string AdvisoryWorld = "image-pull-advisory";
    public const string FixWorld = "elb-grace-fix";

    public const string UnavailableFromN = "503-from-N";
    public const string ThrottledFromN = "throttling-from-N";
    public const string ResetAtN = "reset-at-N";
    public const string SlowAtN = "slower-than-the-deadline-at-N";

    /// <summary>In the slow rows the invocation reaches its deadline (the runtime loop cancels it) this long after the
    /// slow call went out, while the call answers only <see cref="SlowBy"/> after it did.</summary>
    private static readonly TimeSpan DeadlineAfterSlowCall = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan SlowBy = TimeSpan.FromSeconds(2);

    /// <summary>Positions of the slow rows: each costs the slow answer's wait, so only as far as the worlds' calls go.</summary>
    public const int MaxSlowPosition = 11;

    /// <summary>The calls the matrix fails: everything the event does in AWS except the ledger's DynamoDB.</summary>
    private static readonly CallMatch Faultable = CallMatch.Service(SigningName.Ecs, SigningName.Ec2, SigningName.ElbV2, SigningName.Sns);

    private static readonly CallMatch UpdateService = CallMatch.Call(SigningName.Ecs, "UpdateService");

    /// <summary>The faultable calls of a run without faults, per world (learned once, by the first row of the world).</summary>
    private static readonly ConcurrentDictionary<string, IReadOnlyList<ProxiedCall>> Baselines = new();

    private static readonly EcsTag[] OptIn = [new(EcsTimeoutRemediator.Policy.OptIn.AutoFixTag, "all")];

    private FaultProxy _proxy = null!;
    private BrokenAccount _account = null!;
    private string _table = "";
    private AwsEnvironment? _environment;

    public static TheoryData<string, string, int> Positions()
    {
        var rows = new TheoryData<string, string, int>();
        foreach (var world in new[] { AdvisoryWorld, FixWorld })
        {
            foreach (var fault in new[] { UnavailableFromN, ThrottledFromN, ResetAtN })
            {
                for (var n = 1; n <= MaxPosition; n++)
                {
                    rows.Add(world, fault, n);
                }
            }

            for (var n = 1; n <= MaxSlowPosition; n++)
            {
                rows.Add(world, SlowAtN, n);
            }
        }

        return rows;
    }

    public Task InitializeAsync()
    {
        _proxy = FaultProxy.Start(moto.Url);
        _environment = AwsEnvironment.Point(_proxy.Url);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _environment?.Dispose();
        await _proxy.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task HandleThenRetry_WhenTheNthCallOfTheFirstAttemptFails_ShouldPublishOnceFixOnceAndNeverReportSuccessWithWorkUndone(string world, string fault, int position)
    {
        var baseline = await BaselineAsync(world);
        var eventJson = await BuildWorldAsync(world);
        _proxy.ClearCalls();
        var rule = fault switch
        {
            UnavailableFromN => _proxy.FailFromNth(Faultable, position, Fault.ServiceUnavailable),
            ThrottledFromN => _proxy.FailFromNth(Faultable, position, Fault.Throttling),
            ResetAtN => _proxy.FailNth(Faultable, position, Fault.ResetConnection),

            // The call reaches AWS and takes effect, but only after the invocation's deadline has stopped it.
            SlowAtN => _proxy.FailNth(Faultable, position, Fault.Slow(SlowBy)),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };

        var (first, firstError) = await InvokeAsync(eventJson, fault == SlowAtN ? rule : null);
        if (fault == SlowAtN && rule.Fired > 0)
        {
            // Lambda retries a minute or more later; by then the late call has landed.
            await Task.Delay(SlowBy + TimeSpan.FromSeconds(1));
        }

        var firstCalls = _proxy.Calls;
        var afterFirst = await _account.ReadAdvisoriesAsync();
        var graceAfterFirst = await GraceAsync();
        _proxy.Disarm();
        var (retry, retryError) = await InvokeAsync(eventJson);
        var afterRetry = await _account.ReadAdvisoriesAsync();
        var grace = await GraceAsync();

        var advisories = afterFirst.Concat(afterRetry).ToList();
        var updates = _proxy.Calls.Count(c => UpdateService.Matches(c) && c.Forwarded && c.Status is 0 or (>= 200 and < 300));
        var violations = new List<string>();
        void Expect(bool holds, string invariant)
        {
            if (!holds)
            {
                violations.Add(invariant);
            }
        }

        if (position > baseline.Count)
        {
            // Past the last call: nothing fails, and the run is the single run; the retry is a redelivery.
            Expect(rule.Fired == 0, $"no call was failed (the rule fired {rule.Fired} times)");
            Expect(firstError is null, $"the first attempt succeeded (it threw {firstError?.GetType().Name}: {firstError?.Message})");
            Expect(retry?.Outcome == DecisionRecord.Duplicate, $"the retry was a duplicate (it was {retry?.Outcome ?? retryError?.GetType().Name})");
        }
        else
        {
            Expect(rule.Fired > 0, "the rule failed a call");
        }

        Expect(retryError is null, $"the retry succeeded (it threw {retryError?.GetType().Name}: {retryError?.Message})");

        // The one documented exception to "exactly once": SNS took the message, but the answer came after the
        // deadline, so the journal never learnt its id and the retry publishes again (at least once, never lost).
        var lateAnswerToPublish = fault == SlowAtN && position <= baseline.Count && baseline[position - 1].Service == SigningName.Sns;
        Expect(lateAnswerToPublish ? advisories.Count is 1 or 2 : advisories.Count == 1,
            $"exactly one advisory was published{(lateAnswerToPublish ? " (or two, when SNS answered the publish after the deadline)" : "")} (there were {advisories.Count}: {string.Join(" | ", advisories.Select(a => a.Subject))})");
        Expect(updates <= 1, $"at most one UpdateService reached ECS (there were {updates})");
        if (world == FixWorld)
        {
            Expect(advisories.Count(a => a.Subject?.StartsWith("[ECS] payments/api: fixed failed load balancer health checks", StringComparison.Ordinal) == true) is var announced
                && (lateAnswerToPublish ? announced is 1 or 2 : announced == 1),
                "the applied fix was announced exactly once (at least once when SNS answered after the deadline)");
            Expect(grace == 60, $"the grace period was raised once, 0 → 60 (it is {grace})");
        }
        else
        {
            Expect(advisories.All(a => a.Subject?.StartsWith("[ECS] payments/api: image pull timed out", StringComparison.Ordinal) == true), "the advisory is the image-pull advisory");
            Expect(updates == 0, "an advisory-only service was not updated");
        }

        if (firstError is null)
        {
            // A first attempt that returned success must have done everything: Lambda will not retry it.
            Expect(first?.Outcome == DecisionRecord.Advised, $"a successful first attempt advised (it returned {first?.Outcome})");
            Expect(afterFirst.Count == 1, $"a successful first attempt had published its advisory (it had published {afterFirst.Count})");
            if (world == FixWorld)
            {
                Expect(graceAfterFirst == 60, $"a successful first attempt had applied the fix (grace {graceAfterFirst})");
                Expect(first?.Fixes?.Any(f => f.Result == FixResult.Applied) == true, "a successful first attempt reported the fix applied");
            }
        }

        output.WriteLine($"{world}, {fault} at call {position} of {baseline.Count} ({Describe(baseline, position)}): rule fired {rule.Fired}x; "
            + $"first attempt {(firstError is null ? first?.Outcome : "threw " + firstError.GetType().Name)}, published {afterFirst.Count}, grace {graceAfterFirst}; "
            + $"retry {(retryError is null ? retry?.Outcome : "threw " + retryError.GetType().Name)}, published {afterRetry.Count}, grace {grace}; UpdateService reaching ECS: {updates}");
        Assert.True(violations.Count == 0,
            $"{world}, {fault} at call {position} of {baseline.Count} ({Describe(baseline, position)}); first attempt: {(firstError is null ? first?.Outcome : "threw " + firstError.GetType().Name + ": " + firstError.Message)}\n"
            + "violated:\n  " + string.Join("\n  ", violations) + "\n"
            + "first attempt's calls:\n  " + string.Join("\n  ", firstCalls.Where(Faultable.Matches)));
    }

    [Fact]
    public async Task Baseline_WhenNothingFails_ShouldMakeFewerFaultableCallsThanTheMatrixTries()
    {
        foreach (var world in new[] { AdvisoryWorld, FixWorld })
        {
            var baseline = await BaselineAsync(world);

            Assert.InRange(baseline.Count, 3, MaxPosition - 1);
            Assert.Equal(SigningName.Sns, baseline[^1].Service);
            Assert.Equal(world == FixWorld ? 1 : 0, baseline.Count(UpdateService.Matches));
        }
    }

    private static string Describe(IReadOnlyList<ProxiedCall> baseline, int position) =>
        position <= baseline.Count ? $"{baseline[position - 1].Service}:{baseline[position - 1].Operation}" : "past the last call";

    /// <summary>The faultable calls of one run of <paramref name="world"/> without faults.</summary>
    private async Task<IReadOnlyList<ProxiedCall>> BaselineAsync(string world)
    {
        if (Baselines.TryGetValue(world, out var known))
        {
            return known;
        }

        var eventJson = await BuildWorldAsync(world);
        _proxy.ClearCalls();
        var (record, error) = await InvokeAsync(eventJson);
        Assert.True(error is null, $"the {world} baseline failed: {error}");
        Assert.Equal(DecisionRecord.Advised, record!.Outcome);
        IReadOnlyList<ProxiedCall> calls = [.. _proxy.Calls.Where(Faultable.Matches)];
        Assert.All(calls, c => Assert.True(c.Status == 200, c.ToString()));
        return Baselines.GetOrAdd(world, calls);
    }

    /// <summary>Resets moto and builds the world: the account, the service, the ledger; returns the event.</summary>
    private async Task<string> BuildWorldAsync(string world)
    {
        _proxy.Disarm();
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
        _table = await LedgerTable.CreateAsync(moto);
        if (world == FixWorld)
        {
            await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true, tags: OptIn);
            return _account.BootTimeElbFailure();
        }

        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        return _account.Event("image-pull-network", "api", _account.PrivateSubnet);
    }

    /// <summary>One invocation of the Lambda handler in a fresh execution environment (its own clients).</summary>
    private async Task<(DecisionRecord? Record, Exception? Error)> InvokeAsync(string eventJson, FaultRule? deadlineDuring = null)
    {
        var settings = new Settings
        {
            Region = MotoServer.Region,
            AdvisoryTopicArn = _account.TopicArn,
            LedgerTableName = _table,
            Policy = new PolicySettings { Mode = AutoFixMode.Enforce, EvidenceCount = 1 },
        };
        using var root = CompositionRoot.ForLambda(settings, TextWriter.Null);
        var function = new Function(root.Pipeline);
        byte[]? output = null;
        using var stop = new CancellationTokenSource();
        using var done = new CancellationTokenSource();
        var deadline = deadlineDuring is null ? Task.CompletedTask : Task.Run(async () =>
        {
            // The deadline falls while the slow call is outstanding, however long the calls before it took.
            while (deadlineDuring.Fired == 0 && !done.IsCancellationRequested)
            {
                await Task.Delay(10, CancellationToken.None);
            }

            stop.CancelAfter(DeadlineAfterSlowCall);
        });
        var error = await Record.ExceptionAsync(async () => output = await function.HandleAsync(Encoding.UTF8.GetBytes(eventJson), stop.Token));
        await done.CancelAsync();
        await deadline;
        return (output is null ? null : JsonSerializer.Deserialize(output, RemediatorJsonContext.Default.DecisionRecord), error);
    }

    private async Task<int> GraceAsync()
    {
        using var ecs = moto.CreateEcsClient();
        var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = BrokenAccount.Cluster, Services = ["api"] });
        return services.Services[0].HealthCheckGracePeriodSeconds;
    }
}
