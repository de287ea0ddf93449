using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Gathering;
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

    /// <summary>The account and Region the event came from: where it was read and, if opted in, fixed.</summary>
    [JsonPropertyName("account")] public string? Account { get; init; }
    [JsonPropertyName("region")] public string? Region { get; init; }
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

/// <summary>How long a claim on an event holds before another invocation may take it over: at least the function's
/// timeout, so that a live invocation is never overtaken (CLAIM_LEASE_SECONDS).</summary>
public sealed record DeliveryOptions
{
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// The straight line: parse → classify → claim → incident gate → open the event's account → gather → diagnose →
/// decide and fix → advise → record. Every decision is journaled against the event before its effect, so Lambda's
/// retry of a failed invocation replays: what was done is not done again, what was not is done now. Malformed and
/// foreign events are acknowledged (logged, not retried); an AWS error a retry can cure propagates. The event's
/// <c>account</c> and <c>region</c> choose the ports it is read and fixed through (<see cref="IAccountAccess"/>); an
/// account whose member role is refused is advised with that finding and nothing read.
/// </summary>
public sealed class Pipeline(
    IAccountAccess accounts,
    Remediation.Remediator remediator,
    IEventJournalStore? events,
    IIncidentGate? incidents,
    IFailureEvidence? evidence,
    IAdvisoryPublisher publisher,
    ILogSink log,
    IMetricSink metrics,
    TimeProvider time,
    IChatChannel? chat = null,
    DeliveryOptions? delivery = null)
{
    private readonly DeliveryOptions _delivery = delivery ?? new DeliveryOptions();

    /// <summary>A pipeline for one account: every event is read through <paramref name="gatherer"/>'s ports, and
    /// fixed through its ECS port with <paramref name="remediator"/>'s policy, budgets and fix history.</summary>
    public Pipeline(
        ContextGatherer gatherer,
        Remediation.Remediator remediator,
        IEventJournalStore? events,
        IIncidentGate? incidents,
        IFailureEvidence? evidence,
        IAdvisoryPublisher publisher,
        ILogSink log,
        IMetricSink metrics,
        TimeProvider time,
        IChatChannel? chat = null,
        DeliveryOptions? delivery = null)
        : this(new SingleAccount((gatherer ?? throw new ArgumentNullException(nameof(gatherer))).Ports), remediator, events, incidents, evidence, publisher, log, metrics, time, chat, delivery)
    {
    }

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
            // An unknown stop is a gap of the classifier: its reasons, names masked, are what a new rule needs.
            .. MaskedReason(e.Facts, c),
        ]);

        var record = new DecisionRecord
        {
            EventId = e.EventId,
            Outcome = DecisionRecord.Dropped,
            Account = e.Account,
            Region = e.Region,
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
        var journal = new Journal(events, eventKey, Guid.NewGuid().ToString("N"), new EventJournal { Category = c.Category });
        if (events is not null)
        {
            var claim = await events.ClaimEventAsync(eventKey, journal.Owner, time.GetUtcNow(), _delivery.ClaimLease, ct).ConfigureAwait(false);
            switch (claim.Status)
            {
                case ClaimStatus.Completed:
                    log.Write(LogLevel.Info, "duplicate event, already handled", e.EventId, [new("eventKey", eventKey)]);
                    metrics.Count("DuplicateEvents");
                    return record with { Outcome = DecisionRecord.Duplicate, Reason = "already processed", AdvisoryMessageId = claim.Journal?.MessageId };
                case ClaimStatus.InProgress:
                    // Not a success: the other invocation may yet die. Lambda retries this one later.
                    metrics.Count("EventsInProgress");
                    log.Write(LogLevel.Info, "event in progress in another invocation; failing so that it is retried", e.EventId, [new("eventKey", eventKey)]);
                    throw new EventInProgressException(eventKey, claim.LeaseUntil);
                default:
                    if (claim.Journal is { } previous)
                    {
                        journal.Current = previous;
                        metrics.Count("EventsResumed");
                        log.Write(LogLevel.Info, "resuming an event an earlier attempt left unfinished", e.EventId,
                        [
                            new("eventKey", eventKey), new("incident", previous.Incident?.Action.ToString()),
                            new("intents", previous.Intents.Count == 0 ? null : string.Join(",", previous.Intents.Select(i => i.Plan.Fix))),
                            new("fixesDecided", previous.Fixes is null ? "no" : "yes"), new("advisoryDecided", previous.Advisory is null ? "no" : "yes"),
                            new("published", previous.MessageId is null ? "no" : "yes"),
                        ]);
                    }

                    break;
            }
        }

        try
        {
            var result = await AdviseAsync(e, c, journal, record, ct).ConfigureAwait(false);
            await journal.CompleteAsync(time.GetUtcNow(), result.Outcome, ct).ConfigureAwait(false);
            return result;
        }
        catch (Exception error)
        {
            // Give the claim back, keeping its journal, so that Lambda's retry resumes at once; the error propagates.
            metrics.Count("Errors");
            log.Write(LogLevel.Error, "event failed; Lambda retries it and the retry resumes from the journal", e.EventId,
            [
                new("eventKey", eventKey), new("error", error.GetType().Name), new("reason", error.Message),
            ]);
            if (events is not null && error is not ClaimLostException)
            {
                await ReleaseAsync(events, journal, e.EventId).ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task ReleaseAsync(IEventJournalStore owned, Journal journal, string eventId)
    {
#pragma warning disable CA1031 // The original error is rethrown by the caller; a failed release only delays the retry until the lease ends.
        try
        {
            await owned.ReleaseEventAsync(journal.EventKey, journal.Owner, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception releaseError)
        {
            log.Write(LogLevel.Warn, "the claim could not be given back; the retry waits until its lease ends", eventId,
                [new("eventKey", journal.EventKey), new("error", releaseError.GetType().Name), new("reason", releaseError.Message)]);
        }
#pragma warning restore CA1031
    }

    private static KeyValuePair<string, string?>[] MaskedReason(StopFacts facts, ClassificationResult c)
    {
        if (c.Category != Category.Unknown)
        {
            return [];
        }

        var sample = FieldSample.Of(facts, c);
        return [new("maskedReason", string.Join(" | ", [sample.StoppedReason ?? "", .. sample.Containers.Where(x => x.Reason is not null).Select(x => x.Reason)]))];
    }

    private async Task<DecisionRecord> AdviseAsync(TaskStoppedEvent e, ClassificationResult c, Journal journal, DecisionRecord record, CancellationToken ct)
    {
        var at = e.Task.StoppedAt ?? time.GetUtcNow();
        var task = TaskIdentity.From(e);
        var incidentKey = IncidentKey.For(task, c.Category).Value;
        var settings = remediator.Settings;
        record = record with { IncidentKey = incidentKey };

        // 1. The incident gate, before anything is read: a storm of one failure costs one diagnosis.
        if (journal.Current.Incident is null && incidents is not null)
        {
            // Not journaled by itself: asked again for this event, the gate answers the same.
            var gate = await incidents.RecordIncidentAsync(incidentKey, journal.EventKey, e.TaskId, at, settings.IncidentWindow, mustPublish: false, ct).ConfigureAwait(false);
            journal.Current = journal.Current with { Incident = gate };
        }

        // A repeat of an announced incident reads nothing, unless the failure that opened it found the service
        // opted in to a fix of this category (then this failure may be the evidence the fix waits for). While that
        // is not known yet (failures arriving together with the first), the failure is counted as evidence only.
        var incident = journal.Current.Incident;
        if (incident is { Action: IncidentAction.Suppress, Fixable: not true } && journal.Current.Intents.Count == 0)
        {
            if (incident.Fixable is null && evidence is not null && e.ServiceName is { } counted && remediator.CountsEvidence(c.Category))
            {
                await evidence.RecordFailureAsync(Remediation.Remediator.ServiceKey(e, counted), c.Category, e.TaskArn, at, settings.EvidenceWindow, ct).ConfigureAwait(false);
            }

            return Suppressed(e, c, record, incident, incidentKey, "the incident was announced and no automatic fix applies, so nothing was read");
        }

        // 2. What was decided and published is only replayed.
        var advisory = journal.Current.Advisory;
        InfrastructureContext? context = null;
        if (advisory is null)
        {
            // The event's own account and Region: the central account through the function's role, a member account
            // through its member role. A refused role is the finding; nothing of that account is read or changed.
            var account = await OpenAccountAsync(e, ct).ConfigureAwait(false);
            if (account.Refusal is { } refused && journal.Current.Intents.Count > 0)
            {
                // An earlier attempt recorded a fix in that account and may have applied it: only the service can tell,
                // so the invocation fails and its retry asks again rather than announcing a guess.
                throw new AccountUnreachableException(refused);
            }

            var accountRemediator = remediator.For(account.Ecs);
            context = account.Refusal is { } refusal
                ? InfrastructureContext.Empty with { Target = DiagnosisTarget.From(e, c), Scope = ServiceEventChecks.ScopeFor(e, c), Unreachable = refusal }
                : await new ContextGatherer(account.Ports!).GatherAsync(e, c, ct).ConfigureAwait(false);

            var findings = Diagnoser.Diagnose(e, c, context);
            var fixes = journal.Current.Fixes;
            if (fixes is null)
            {
                var recentFailures = 1;
                if (evidence is not null && e.ServiceName is { } service)
                {
                    recentFailures = await evidence.RecordFailureAsync(
                        Remediation.Remediator.ServiceKey(e, service), c.Category, e.TaskArn, at, settings.EvidenceWindow, ct).ConfigureAwait(false);
                }

                // A fix about to be applied is journaled by the remediator; the outcomes go with the advisory below.
                fixes = await accountRemediator.RemediateAsync(e, c, context, recentFailures, journal.EventKey, events is null ? null : journal, ct).ConfigureAwait(false);
                journal.Current = journal.Current with { Fixes = fixes };
            }

            record = record with { Findings = findings, ReadCalls = context.ReadCalls, Fixes = fixes };

            // An applied or failed fix is news even inside a suppressed window: it opens a follow-up.
            if (incident is { Action: IncidentAction.Suppress } && fixes.Any(f => f.Notable) && incidents is not null)
            {
                incident = await incidents.RecordIncidentAsync(incidentKey, journal.EventKey, e.TaskId, at, settings.IncidentWindow, mustPublish: true, ct).ConfigureAwait(false);
                journal.Current = journal.Current with { Incident = incident };
            }

            if (incident is { Action: IncidentAction.Suppress })
            {
                return Suppressed(e, c, record, incident, incidentKey, null);
            }

            // This failure opened the window: tell its repeats whether they need to read anything.
            if (incident is { Fixable: null } && incidents is not null)
            {
                await incidents.MarkIncidentFixableAsync(incidentKey, journal.EventKey, remediator.MayFix(context.Service, c.Category), ct).ConfigureAwait(false);
            }

            advisory = AdvisoryBuilder.Decide(e, c, findings, context, fixes, incident?.Note(at));
            journal.Current = journal.Current with { Advisory = advisory };
            await journal.SaveAsync(ct).ConfigureAwait(false);
        }
        else
        {
            record = record with { Findings = advisory.Findings, Fixes = advisory.Fixes };
        }

        record = record with { IncidentTotal = incident?.Total };

        // 3. The effects of the advisory, each once: SNS, then the chat post.
        var messageId = journal.Current.MessageId;
        if (messageId is null)
        {
            messageId = await publisher.PublishAsync(advisory, ct).ConfigureAwait(false);
            metrics.Count("AdvisoriesPublished");
            journal.Current = journal.Current with { MessageId = messageId };

            // Recorded at once: only a failure between SNS taking the message and this write can publish it twice.
            await journal.SaveAsync(ct).ConfigureAwait(false);

            log.Write(LogLevel.Info, "advisory published", e.EventId,
            [
                new("category", c.Category), new("subject", advisory.Subject), new("messageId", messageId), new("incidentKey", incidentKey),
                new("incident", incident?.Action.ToString()),
                new("readCalls", context?.ReadCalls.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("missingPermissions", context is null || context.Gaps.Count == 0 ? null : string.Join(",", context.Gaps.Select(g => g.Action))),
                new("fixes", advisory.Fixes.Count == 0 ? null : string.Join(",", advisory.Fixes.Select(f => $"{f.Fix}={f.Result}"))),
            ]);
        }

        if (chat is not null && journal.Current.Chat is null)
        {
            var failure = await chat.PostAsync(advisory, ct).ConfigureAwait(false);
            journal.Current = journal.Current with { Chat = failure ?? "posted" };
            if (failure is null)
            {
                log.Write(LogLevel.Info, $"advisory posted to {chat.Name}", e.EventId, [new("incidentKey", incidentKey)]);
            }
            else
            {
                metrics.Count($"{chat.Name}Failures");
                log.Write(LogLevel.Warn, $"{chat.Name} delivery failed; the SNS advisory was published", e.EventId,
                    [new("incidentKey", incidentKey), new("snsMessageId", messageId), new("reason", failure)]);
            }
        }

        return record with { Outcome = DecisionRecord.Advised, AdvisorySubject = advisory.Subject, AdvisoryMessageId = messageId };
    }

    private async Task<OpenedAccount> OpenAccountAsync(TaskStoppedEvent e, CancellationToken ct)
    {
        switch (await accounts.OpenAsync(e.Account, e.Region, ct).ConfigureAwait(false))
        {
            case AccountOpening.Opened { Ports: var ports }:
                return new OpenedAccount(ports, null, ports.Ecs);
            case AccountOpening.Refused { Refusal: var refusal }:
                metrics.Count("AccountsRefused");
                log.Write(LogLevel.Warn, "the event's account cannot be read: its member role was refused; advising without reads", e.EventId,
                [
                    new("account", refusal.Account), new("region", e.Region), new("roleArn", refusal.RoleArn), new("reason", refusal.Reason),
                ]);
                return new OpenedAccount(null, refusal, new UnreachableEcs(refusal));
            default:
                throw new InvalidOperationException("unknown account opening");
        }
    }

    private DecisionRecord Suppressed(TaskStoppedEvent e, ClassificationResult c, DecisionRecord record, IncidentUpdate incident, string incidentKey, string? why)
    {
        metrics.Count("AdvisoriesSuppressed");
        var total = incident.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        log.Write(LogLevel.Info, "advisory suppressed: incident already announced", e.EventId,
        [
            new("incidentKey", incidentKey), new("category", c.Category), new("incidentTotal", total), new("readsSkipped", why),
        ]);
        return record with
        {
            Outcome = DecisionRecord.Suppressed,
            IncidentTotal = incident.Total,
            Reason = $"incident {incidentKey} already announced in this window ({incident.Total} failures so far)",
        };
    }

    /// <summary>The ports of the event's account, or why there are none, and the ECS a fix of it would go through.</summary>
    private sealed record OpenedAccount(AccountPorts? Ports, AccountRefusal? Refusal, IEcsServices Ecs);

    /// <summary>
    /// The ECS of an account that could not be opened. Nothing decides a fix without the service (the remediator skips
    /// it); only the replay of a fix an earlier attempt recorded would ask, and must fail so that the retry finds out.
    /// </summary>
    private sealed class UnreachableEcs(AccountRefusal refusal) : IEcsServices
    {
        public Task<ServiceFacts?> DescribeServiceAsync(string cluster, string service, CancellationToken cancellationToken) => throw Refused();

        public Task<TaskDefinitionFacts?> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken) => throw Refused();

        public Task<ServiceFacts> UpdateServiceAsync(Policy.ServiceUpdate update, CancellationToken cancellationToken) => throw Refused();

        private AccountUnreachableException Refused() => new(refusal);
    }

    /// <summary>The event's journal as this invocation holds it, saved to the journal store before each effect.</summary>
    private sealed class Journal(IEventJournalStore? store, string eventKey, string owner, EventJournal initial) : Remediation.IFixJournal
    {
        public string EventKey { get; } = eventKey;
        public string Owner { get; } = owner;
        public EventJournal Current { get; set; } = initial;

        public FixIntent? IntentFor(string fix) => Current.IntentFor(fix);

        public async Task RecordIntentAsync(FixIntent intent, CancellationToken cancellationToken)
        {
            Current = Current with { Intents = [.. Current.Intents.Where(i => i.Plan.Fix != intent.Plan.Fix), intent] };
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task SaveAsync(CancellationToken cancellationToken) =>
            store?.SaveJournalAsync(EventKey, Owner, Current, cancellationToken) ?? Task.CompletedTask;

        public Task CompleteAsync(DateTimeOffset now, string outcome, CancellationToken cancellationToken) =>
            store?.CompleteEventAsync(EventKey, Owner, Current with { Outcome = outcome }, now, cancellationToken) ?? Task.CompletedTask;
    }
}
