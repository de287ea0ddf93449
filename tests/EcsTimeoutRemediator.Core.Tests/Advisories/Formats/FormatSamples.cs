using System.Runtime.CompilerServices;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

/// <summary>Advisories built from the sample events, and the golden files the renderings are compared with.</summary>
public static class FormatSamples
{
    /// <summary>Every sample event whose stop is actionable (one per failure category).</summary>
    public static TheoryData<string> ActionableEvents()
    {
        var data = new TheoryData<string>();
        foreach (var category in Category.All.Where(c => !Category.IsBenign(c)))
        {
            data.Add(EventFiles.NameOf(category));
        }

        return data;
    }

    /// <summary>The advisory the pipeline would publish for <paramref name="eventName"/>, with the given findings.</summary>
    public static Advisory Advisory(string eventName, IReadOnlyList<Finding>? findings = null)
    {
        var e = EventFiles.Load(eventName);
        var c = Classifier.Classify(e.Facts);
        return AdvisoryBuilder.Build(TaskIdentity.From(e), c, findings ?? [], NextSteps.For(e, c));
    }

    /// <summary>
    /// The advisory the pipeline publishes for <paramref name="eventName"/> against <paramref name="account"/>: gathered,
    /// diagnosed, ranked and planned as <see cref="EcsTimeoutRemediator.Pipeline"/> does.
    /// </summary>
    public static async Task<Advisory> DiagnosedAsync(string eventName, FakeAccount account)
    {
        var e = EventFiles.Load(eventName);
        var c = Classifier.Classify(e.Facts);
        var context = await new ContextGatherer(account, account, account, account.Inspectors).GatherAsync(e, c, CancellationToken.None);
        return AdvisoryBuilder.Decide(e, c, Diagnosis.FindingSentences.AssertWellFormed(Diagnoser.Diagnose(e, c, context)), context);
    }

    /// <summary>scripts/try-locally.sh's world: an image pull from a private subnet with no route out and no VPC endpoints.</summary>
    public static Task<Advisory> NoRouteAdvisoryAsync() => DiagnosedAsync("image-pull-network", Scenarios.PrivateSubnetWithoutEgress());

    /// <summary>A task killed by load balancer health checks during start-up: the grace period is 0 s, the target timed out.</summary>
    public static Task<Advisory> HealthCheckAdvisoryAsync() => DiagnosedAsync("health-elb", Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress()));

    /// <summary>
    /// The advisory for events/service/service-deployment-failed.json, diagnosed against a service whose circuit
    /// breaker failed deployment ecs-svc/6174913220145829901 (3 failed tasks, desired count 4) and rolled it back.
    /// </summary>
    public static async Task<Advisory> DeploymentFailedAdvisoryAsync()
    {
        var e = EventParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events-service", "service-deployment-failed.json"))) is ParseResult.Parsed p
            ? p.Event
            : throw new InvalidOperationException("service-deployment-failed.json did not parse");
        var account = new FakeAccount();
        account.Services["api"] = Scenarios.Service("api") with
        {
            DesiredCount = 4,
            CircuitBreaker = new CircuitBreakerFacts(true, true),
            Deployments =
            [
                new DeploymentFacts("ecs-svc/1837465029384756102", "PRIMARY", "IN_PROGRESS", 4, 1, 0) { TaskDefinitionArn = "arn:aws:ecs:us-east-1:111122223333:task-definition/api:7" },
                new DeploymentFacts("ecs-svc/6174913220145829901", "ACTIVE", "FAILED", 4, 0, 3)
                {
                    TaskDefinitionArn = "arn:aws:ecs:us-east-1:111122223333:task-definition/api:8",
                    RolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.",
                },
            ],
        };
        var c = Classifier.Classify(e.Facts);
        var context = await new ContextGatherer(account, account, account, account.Inspectors).GatherAsync(e, c, CancellationToken.None);
        var findings = Diagnosis.FindingSentences.AssertWellFormed(Diagnoser.Diagnose(e, c, context));
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        return AdvisoryBuilder.Build(TaskIdentity.From(e), ranked, findings, NextSteps.For(e, ranked, context));
    }

    /// <summary>The findings the network diagnosis reports for a private subnet without a way out.</summary>
    public static IReadOnlyList<Finding> NoRouteFindings { get; } =
    [
        new("route-to-internet", FindingStatus.Missing, "subnet-0a1b2c3d4e5f60718 has no route to the internet (rtb-0private00000000 has only the local route)", ["subnet-0a1b2c3d4e5f60718", "rtb-0private00000000"]) { Headline = "no route to ECR" },
        new("vpc-endpoints", FindingStatus.Missing, "vpc-0123456789abcdef0 has none of the endpoints ecr.api, ecr.dkr, s3", ["vpc-0123456789abcdef0"]),
        new("security-group-egress", FindingStatus.Ok, "sg-0aaaaaaaaaaaaaaaa allows HTTPS out", ["sg-0aaaaaaaaaaaaaaaa"]),
    ];

    /// <summary>
    /// Compares <paramref name="actual"/> with Golden/<paramref name="name"/>. With UPDATE_GOLDEN=1 the file is
    /// rewritten instead (review the diff before committing it).
    /// </summary>
    public static void AssertGolden(string name, string actual, [CallerFilePath] string source = "")
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var target = Path.Combine(Path.GetDirectoryName(source)!, "Golden", name);
            File.WriteAllText(target, actual);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"Golden/{name} is missing: run the tests once with UPDATE_GOLDEN=1 and review it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(
            string.Equals(expected, actual, StringComparison.Ordinal),
            $"The rendering differs from Golden/{name}. If the change is intended, run the tests with UPDATE_GOLDEN=1 and review the diff.\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}
