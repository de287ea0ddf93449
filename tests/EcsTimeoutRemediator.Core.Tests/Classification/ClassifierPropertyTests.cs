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
