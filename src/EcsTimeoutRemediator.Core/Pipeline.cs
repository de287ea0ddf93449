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
    public const string Duplicate = "duplicate";
    public const string Suppressed = "suppressed";

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
    [JsonPropertyName("fixes")] public IReadOnlyList<Policy.FixOutcome>? Fixes { get; init; }
    [JsonPropertyName("incidentKey")] public string? IncidentKey { get; init; }
    [JsonPropertyName("incidentTotal")] public int? IncidentTotal { get; init; }
}

/// <summary>What <c>ecs-remediator handle</c> prints: the decision and, when not published, the advisory.</summary>
public sealed record HandleResult(
    [property: JsonPropertyName("decision")] DecisionRecord Decision,
    [property: JsonPropertyName("advisory")] Advisory? Advisory);

/// <summary>
/// The straight line: parse → classify → gather → diagnose → advise → record. Pure steps in between ports.
/// Malformed and foreign events are acknowledged (logged, not retried); an AWS error a retry can cure propagates.
/// </summary>
public sealed class Pipeline(
    ContextGatherer gatherer,
    Remediation.Remediator remediator,
    IRemediationLedger? ledger,
    IAdvisoryPublisher publisher,
    ILogSink log,
    IMetricSink metrics,
    TimeProvider time)
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

        // Idempotency: ECS delivers at least once; a redelivery carries the same task ARN and detail.version.
        var eventKey = $"{e.TaskArn}#{(e.Task.Version ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (ledger is not null)
        {
            var claim = await ledger.ClaimEventAsync(eventKey, time.GetUtcNow(), ct).ConfigureAwait(false);
            if (claim != ClaimStatus.Claimed)
            {
                log.Write(LogLevel.Info, "duplicate event, already handled", e.EventId, [new("eventKey", eventKey), new("claim", claim.ToString())]);
                metrics.Count("DuplicateEvents");
                return record with { Outcome = DecisionRecord.Duplicate, Reason = claim == ClaimStatus.Completed ? "already processed" : "being processed by another invocation" };
            }
        }

        try
        {
            var result = await AdviseAsync(e, c, eventKey, record, ct).ConfigureAwait(false);
            if (ledger is not null)
            {
                await ledger.CompleteEventAsync(eventKey, time.GetUtcNow(), ct).ConfigureAwait(false);
            }

            return result;
        }
        catch (Exception)
        {
            // Give the claim back so that Lambda's retry of this event is processed; the error propagates.
            metrics.Count("Errors");
            if (ledger is not null)
            {
                await ledger.ReleaseEventAsync(eventKey, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task<DecisionRecord> AdviseAsync(TaskStoppedEvent e, ClassificationResult c, string eventKey, DecisionRecord record, CancellationToken ct)
    {
        var context = await gatherer.GatherAsync(e, c, ct).ConfigureAwait(false);
        var at = e.Task.StoppedAt ?? time.GetUtcNow();
        var recentFailures = 1;
        if (ledger is not null && e.ServiceName is { } service)
        {
            recentFailures = await ledger.RecordFailureAsync(
                Remediation.Remediator.ServiceKey(e, service), c.Category, e.TaskArn, at, remediator.Settings.EvidenceWindow, ct).ConfigureAwait(false);
        }

        var findings = Diagnoser.Diagnose(e, c, context);
        var fixes = await remediator.RemediateAsync(e, c, context, recentFailures, ct).ConfigureAwait(false);
        var task = TaskIdentity.From(e);
        var incidentKey = IncidentKey.For(task, c.Category).Value;
        record = record with { Findings = findings, ReadCalls = context.ReadCalls, Fixes = fixes, IncidentKey = incidentKey };

        // One advisory per incident window: a crash-looping service is counted, not re-announced.
        IncidentUpdate? incident = null;
        if (ledger is not null)
        {
            incident = await ledger.RecordIncidentAsync(incidentKey, eventKey, e.TaskId, at, remediator.Settings.IncidentWindow, fixes.Any(f => f.Notable), ct).ConfigureAwait(false);
            record = record with { IncidentTotal = incident.Total };
            if (incident.Action == IncidentAction.Suppress)
            {
                metrics.Count("AdvisoriesSuppressed");
                log.Write(LogLevel.Info, "advisory suppressed: incident already announced", e.EventId,
                [
                    new("incidentKey", incidentKey), new("category", c.Category),
                    new("incidentTotal", incident.Total.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ]);
                return record with { Outcome = DecisionRecord.Suppressed, Reason = $"incident {incidentKey} already announced in this window ({incident.Total} failures so far)" };
            }
        }

        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        var advisory = AdvisoryBuilder.Build(task, ranked, findings, NextSteps.For(e, ranked, context), fixes, incident?.Note(at));
        var messageId = await publisher.PublishAsync(advisory, ct).ConfigureAwait(false);
        metrics.Count("AdvisoriesPublished");
        log.Write(LogLevel.Info, "advisory published", e.EventId,
        [
            new("category", c.Category), new("subject", advisory.Subject), new("messageId", messageId), new("incidentKey", incidentKey),
            new("incident", incident?.Action.ToString()),
            new("readCalls", context.ReadCalls.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("missingPermissions", context.Gaps.Count == 0 ? null : string.Join(",", context.Gaps.Select(g => g.Action))),
            new("fixes", fixes.Count == 0 ? null : string.Join(",", fixes.Select(f => $"{f.Fix}={f.Result}"))),
        ]);
        return record with { Outcome = DecisionRecord.Advised, AdvisorySubject = advisory.Subject, AdvisoryMessageId = messageId };
    }
}
