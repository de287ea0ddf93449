using System.Text.Json;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcsTimeoutRemediator.Tests.Classification;

public class ClassifierPropertyTests
{
    private static readonly string[] Fragments =
    [
        "CannotPullContainerError", "ResourceInitializationError", "unable to pull secrets or registry auth", "i/o timeout",
        "AccessDeniedException", "not found", "toomanyrequests", "Essential container in task exited", "OutOfMemoryError",
        "Task failed ELB health checks", "target-group arn:aws:elasticloadbalancing:", "fs-", "logs.", "secretsmanager",
        "caused by: ", "\"", "\\", "\u00e9", "\ud83d\ude80", ":", " ", "\n", "arn:aws:ssm:eu-west-1:1:parameter/", "Spot", "retire",
    ];

    private static bool IsValid(ClassificationResult r) =>
        Category.All.Contains(r.Category)
        && r.Family == Category.FamilyOf(r.Category)
        && r.Actionable != Category.IsBenign(r.Category)
        && r.Summary.Length > 0
        && r.Confidence is >= 0 and <= 1;

    [Property(MaxTest = 500)]
    public bool Classify_WhenGivenAnyStrings_ShouldNeverThrowAndAlwaysGiveAValidCategory(string? reason, string? stopCode, string? containerReason, int? exitCode)
    {
        var facts = new StopFacts
        {
            StoppedReason = reason,
            StopCode = stopCode,
            Containers = containerReason is null && exitCode is null ? null : [new ContainerDetail { Reason = containerReason, ExitCode = exitCode }],
        };

        return IsValid(Classifier.Classify(facts));
    }

    [Property(MaxTest = 500)]
    public Property Classify_WhenGivenMixturesOfRealFragments_ShouldNeverThrowAndAlwaysGiveAValidCategory()
    {
        var text = Gen.ArrayOf(Gen.Elements(Fragments)).Select(parts => string.Concat(parts));
        return Prop.ForAll(text.ToArbitrary(), t => IsValid(Classifier.Classify(t)) && IsValid(Classifier.Classify(t[..Math.Min(t.Length, 255)], "TaskFailedToStart")));
    }

    // Fragments that make a stop look harmless: benign markers, benign stop codes and their neighbours.
    private static readonly string[] BenignLooking =
    [
        "Scaling activity initiated by (deployment ecs-svc/4871235698712345678)", "Task stopped by user", "Your Spot Task was interrupted.",
        "ECS is performing maintenance on the underlying infrastructure hosting the task", "Task is being retired", "Host EC2 (instance i-0abc) terminated.",
        "container instance", "capacity provider", "draining", "hardware address 0e:4f:12:9a:3b:c1", "desired count", "scale-in", "deployment",
        "service scheduler", "Spot", "retire", "maintenance", "due to AZ rebalancing", " ", ": ", "; ", "\n",
    ];

    // Fragments that name a failure, each on its own enough to rule out a benign stop.
    private static readonly string[] FailureFragments =
    [
        "CannotPullContainerError: context deadline exceeded", "ResourceInitializationError", "TaskFailedToStart: EMPTY CAPACITY PROVIDER",
        "ECS deployment circuit breaker: tasks failed to start.", "failed to setup network namespace: cni setup: invoke eni plugin failed",
        "was unable to place a task because no container instance met all of its requirements", "encountered error \"RESOURCE:ENI\"",
        "RESOURCE:MEMORY", "Essential container in task exited", "OutOfMemoryError: Container killed due to memory usage",
        "Task failed ELB health checks", "AccessDeniedException", "i/o timeout", "unable to retrieve secrets from ssm", "not found",
        "error", "failed", "Exception", "cannot start", "devmapper: Thin Pool has 0 free data blocks", "failed to unpack image",
        "insufficient memory available", "CannotStartContainerError", "exec format error", "toomanyrequests",
        "x509: certificate signed by unknown authority", "http: server gave HTTP response to HTTPS client",
        "dependency graph: container ordering dependency [envoy(public.ecr.aws/appmesh/aws-appmesh-envoy:v1) (RUNNING->RUNNING)] has timed out.",
        "as dependency did not exit successfully.", "TaskStateError: Agent could not progress task's state to stopped",
        "The container operating system does not match the host operating system.", "awslogs-region is required",
        "Failed to locate an available port in the range [20049, 20449]", "VolumeDriver.Mount: Mount failed",
        "filesystem layer verification failed for digest", "was unable to place a task. Reason: Internal error.",
        "Auto-remediation: high CPU detected", "process not responding", "Unable to launch instance(s) for capacity provider cp. UnauthorizedOperation",
        "DecryptionFailure: Secrets Manager can't decrypt the protected secret text",
        "rolling back to deployment ecs-svc/1234567890123456789.", "deployment was rolled back", "Amazon ECS replaced 2 tasks due to an unhealthy status.",
        "failed to register targets in (target-group web-tg)", "due to TARGET GROUP IS NOT FOUND", "The task can’t pull the image. Check your network configuration.",
        "TaskFailedToStart: NO ACTIVE INSTANCES", "cannot setup netns",
    ];

    private static readonly string?[] StopCodes = [null, "UserInitiated", "ServiceSchedulerInitiated", "SpotInterruption", "TerminationNotice", "TaskFailedToStart", "EssentialContainerExited"];

    /// <summary>
    /// Silence must be earned: a stop whose stop reason or container reason names a failure is never benign,
    /// however many benign-looking fragments surround it and whatever the stop code says.
    /// </summary>
    [Property(MaxTest = 1000)]
    public Property Classify_WhenAFailureIsWrappedInBenignLookingFragments_ShouldNeverBeBenign()
    {
        var benign = Gen.ArrayOf(Gen.Elements(BenignLooking)).Select(parts => string.Concat(parts));
        var gen =
            from before in benign
            from failure in Gen.Elements(FailureFragments)
            from after in benign
            from code in Gen.Elements(StopCodes)
            from inContainer in Gen.Elements(false, true)
            from cut in Gen.Elements(0, 255, 1024)
            select (before, failure, after, code, inContainer, cut);

        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var message = x.before + x.failure + x.after;
            // ECS cuts long reasons; keep the failure inside the cut so the message still names it.
            if (x.cut > 0 && message.Length > x.cut && x.before.Length + x.failure.Length <= x.cut)
            {
                message = message[..x.cut];
            }

            var facts = x.inContainer
                ? new StopFacts { StoppedReason = x.before + x.after, StopCode = x.code, Containers = [new ContainerDetail { Name = "app", Reason = message }] }
                : new StopFacts { StoppedReason = message, StopCode = x.code };
            var result = Classifier.Classify(facts);
            return (!Category.IsBenign(result.Category) && result.Actionable)
                .Label($"{result.Category} ({result.Rule}) for [{x.code}] {facts.StoppedReason} | {facts.Containers?[0].Reason}");
        });
    }

    [Property(MaxTest = 300)]
    public Property Classify_WhenAStopTaskFailedToStart_ShouldNeverBeBenign()
    {
        return Prop.ForAll(Gen.ArrayOf(Gen.Elements(BenignLooking)).Select(p => string.Concat(p)).ToArbitrary(), reason =>
            !Category.IsBenign(Classifier.Classify(reason, "TaskFailedToStart").Category));
    }

    [Theory]
    [InlineData("Scaling activity initiated by (deployment ecs-svc/4871235698712345678)", "ServiceSchedulerInitiated", Category.BenignScaling)]
    [InlineData("Task stopped by user", "UserInitiated", Category.BenignUser)]
    [InlineData("Your Spot Task was interrupted.", "SpotInterruption", Category.BenignSpot)]
    [InlineData("ECS is performing maintenance on the underlying infrastructure hosting the task", null, Category.BenignMaintenance)]
    public void Classify_WhenOnlyABenignMarkerIsPresent_ShouldStayBenign(string reason, string? stopCode, string expected)
    {
        // The guard must not turn every stop into a failure: positive evidence alone still gives benign.
        Assert.Equal(expected, Classifier.Classify(reason, stopCode).Category);
    }

    [Property(MaxTest = 300)]
    public bool Parse_WhenGivenAnyString_ShouldNeverThrow(string? input)
    {
        var result = EventParser.Parse(input ?? "");
        var facts = EventParser.ParseFacts(input ?? "");
        return result is not null && (facts.Facts is not null || facts.Error is not null);
    }

    [Property(MaxTest = 300)]
    public Property Parse_WhenGivenArbitraryJson_ShouldNeverThrowAndClassifyWhenParsed()
    {
        var leaf = Gen.OneOf(
            Gen.Constant("null"), Gen.Constant("true"), Gen.Choose(-5, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Elements(Fragments).Select(s => JsonSerializer.Serialize(s, Serialization.RemediatorJsonContext.Default.String)),
            Gen.Elements("\"STOPPED\"", "\"aws.ecs\"", "\"ECS Task State Change\"", "\"arn:aws:ecs:us-east-1:1:task/c/t\"", "\"2026-01-01T00:00:00Z\"", "[]", "{}"));
        var keys = Gen.Elements("source", "detail-type", "detail", "lastStatus", "taskArn", "stoppedReason", "stopCode", "containers", "exitCode", "reason", "version", "startedAt", "attachments", "x");
        var obj = Gen.ListOf(Gen.Zip(keys, leaf)).Select(kvs =>
            "{" + string.Join(",", kvs.DistinctBy(kv => kv.Item1).Select(kv => $"\"{kv.Item1}\":{kv.Item2}")) + "}");
        var envelope = Gen.Zip(obj, obj).Select(p => p.Item1.Length > 2
            ? p.Item1[..^1] + ",\"detail\":" + p.Item2 + "}"
            : "{\"detail\":" + p.Item2 + "}");

        return Prop.ForAll(envelope.ToArbitrary(), json =>
        {
            var result = EventParser.Parse(json);
            return result switch
            {
                ParseResult.Parsed p => IsValid(Classifier.Classify(p.Event.Facts)),
                ParseResult.Ignored i => i.Reason.StartsWith("ignored:", StringComparison.Ordinal),
                ParseResult.Invalid v => v.Reason.StartsWith("invalid:", StringComparison.Ordinal),
                _ => false,
            };
        });
    }
}
