using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator;

/// <summary>What the function decided for one event: returned as the Lambda response and by <c>handle</c>.</summary>
public sealed record DecisionRecord
{
    public const string Ignored = "ignored";
    public const string Invalid = "invalid";
    public const string Dropped = "dropped";
    public const string Advised = "advised";

    [JsonPropertyName("eventId")] public string? EventId { get; init; }
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("category")] public string? Category { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("service")] public string? Service { get; init; }
    [JsonPropertyName("taskArn")] public string? TaskArn { get; init; }
    [JsonPropertyName("summary")] public string? Summary { get; init; }
    [JsonPropertyName("findings")] public IReadOnlyList<Finding>? Findings { get; init; }
    [JsonPropertyName("readCalls")] public int ReadCalls { get; init; }
    [JsonPropertyName("advisorySubject")] public string? AdvisorySubject { get; init; }
    [JsonPropertyName("advisoryMessageId")] public string? AdvisoryMessageId { get; init; }
}

/// <summary>What <c>ecs-remediator handle</c> prints: the decision and, when not published, the advisory.</summary>
public sealed record HandleResult(
    [property: JsonPropertyName("decision")] DecisionRecord Decision,
    [property: JsonPropertyName("advisory")] Advisory? Advisory);

/// <summary>
/// The straight line: parse → classify → gather → diagnose → advise → record. Pure steps in between ports.
/// Malformed and foreign events are acknowledged (logged, not retried); an AWS error a retry can cure propagates.
/// </summary>
public sealed class Pipeline(ContextGatherer gatherer, IAdvisoryPublisher publisher, ILogSink log, IMetricSink metrics)
{
    public async Task<DecisionRecord> HandleAsync(ReadOnlyMemory<byte> eventJson, CancellationToken ct)
    {
        metrics.Count("EventsReceived");
        var parsed = EventParser.Parse(eventJson.Span);
        if (parsed is ParseResult.Ignored ignored)
        {
            log.Write(LogLevel.Info, "event ignored", null, [new("reason", ignored.Reason)]);
            return new DecisionRecord { Outcome = DecisionRecord.Ignored, Reason = ignored.Reason };
        }

        if (parsed is not ParseResult.Parsed { Event: var e })
        {
            var reason = (parsed as ParseResult.Invalid)?.Reason ?? "invalid: unreadable event";
            log.Write(LogLevel.Warn, "event rejected", null, [new("reason", reason)]);
            metrics.Count("InvalidEvents");
            return new DecisionRecord { Outcome = DecisionRecord.Invalid, Reason = reason };
        }

        var c = Classifier.Classify(e.Facts);
        metrics.Count("Classified", 1, "Category", c.Category);
        log.Write(LogLevel.Info, "task classified", e.EventId,
        [
            new("category", c.Category), new("rule", c.Rule), new("cluster", e.ClusterName), new("service", e.ServiceName),
            new("taskArn", e.TaskArn), new("stopCode", e.Task.StopCode),
        ]);

        var record = new DecisionRecord
        {
            EventId = e.EventId,
            Outcome = DecisionRecord.Dropped,
            Category = c.Category,
            Cluster = e.ClusterName,
            Service = e.ServiceName,
            TaskArn = e.TaskArn,
            Summary = c.Summary,
        };

        if (!c.Actionable)
        {
            log.Write(LogLevel.Info, "benign stop, nothing to do", e.EventId, [new("category", c.Category)]);
            return record with { Reason = "benign stop" };
        }

        var context = await gatherer.GatherAsync(e, c, ct).ConfigureAwait(false);
        var findings = Diagnoser.Diagnose(e, c, context);
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        var advisory = AdvisoryBuilder.Build(TaskIdentity.From(e), ranked, findings, NextSteps.For(e, ranked, context));
        var messageId = await publisher.PublishAsync(advisory, ct).ConfigureAwait(false);
        metrics.Count("AdvisoriesPublished");
        log.Write(LogLevel.Info, "advisory published", e.EventId,
        [
            new("category", c.Category), new("subject", advisory.Subject), new("messageId", messageId),
            new("readCalls", context.ReadCalls.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("missingPermissions", context.Gaps.Count == 0 ? null : string.Join(",", context.Gaps.Select(g => g.Action))),
        ]);

        return record with
        {
            Outcome = DecisionRecord.Advised,
            Findings = findings,
            ReadCalls = context.ReadCalls,
            AdvisorySubject = advisory.Subject,
            AdvisoryMessageId = messageId,
        };
    }
}
