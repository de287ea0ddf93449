using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Remediation;

/// <summary>Where the remediator records a fix it is about to apply, and finds one an earlier attempt of the event recorded.</summary>
public interface IFixJournal
{
    FixIntent? IntentFor(string fix);

    Task RecordIntentAsync(FixIntent intent, CancellationToken cancellationToken);
}

/// <summary>
/// Decides under the policy and acts, reconcile-style: the event is only a pointer; the service is read again right
/// before the update, the budget is taken atomically, and every step is safe to repeat. Without a fix history and
/// budgets (no ledger table) nothing is ever fixed.
/// </summary>
public sealed class Remediator(IEcsServices ecs, IFixHistory? history, IFixBudget? budget, IAuditTrail? audit, PolicySettings settings, TimeProvider time, ILogSink log, IMetricSink metrics)
{
    public PolicySettings Settings => settings;

    /// <summary>The same policy, fix history, budgets and audit trail, acting through another account's ECS (the event's account).</summary>
    public Remediator For(IEcsServices accountEcs) => new(accountEcs, history, budget, audit, settings, time, log, metrics);

    public static string ServiceKey(TaskStoppedEvent e, string service)
    {
        ArgumentNullException.ThrowIfNull(e);
        return $"{e.Account}:{e.Region}:{e.ClusterName}/{service}";
    }

    /// <summary>The fixes that answer this category, each with its outcome.</summary>
    /// <remarks>
    /// A fix that passes every check is recorded in <paramref name="journal"/> before its UpdateService; when the
    /// journal already holds one (an earlier attempt of the event died after recording it), the service is read and
    /// the fix is found done, still to do, or overtaken: never decided a second time.
    /// </remarks>
    public async Task<IReadOnlyList<FixOutcome>> RemediateAsync(TaskStoppedEvent e, ClassificationResult c, InfrastructureContext context, int recentFailures, string eventKey, IFixJournal? journal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(context);
        var outcomes = new List<FixOutcome>();
        foreach (var fix in AutoFixes.All.Where(f => f.Categories.Contains(c.Category)))
        {
            var outcome = await DecideAndActAsync(fix, e, c, context, recentFailures, eventKey, journal, ct).ConfigureAwait(false);
            outcomes.Add(outcome);
            metrics.Count(outcome.Result == FixResult.Applied ? "FixesApplied" : "FixesSkipped", 1, "Fix", fix.Id);
            log.Write(outcome.Result == FixResult.Failed ? LogLevel.Warn : LogLevel.Info, "fix decision", e.EventId,
            [
                new("fix", fix.Id), new("result", outcome.Result.ToString()), new("reason", outcome.Message),
                new("before", outcome.Before), new("after", outcome.After), new("service", e.ServiceName),
            ]);
            if (audit is not null && e.ServiceName is { } service)
            {
                await audit.AppendAuditAsync(new AuditRecord(time.GetUtcNow(), e.EventId, ServiceKey(e, service), fix.Id, outcome.Result.ToString(), outcome.Before, outcome.After, outcome.Message), ct).ConfigureAwait(false);
            }
        }

        return outcomes;
    }

    /// <summary>Whether any failure of this category could lead to an automatic fix in this deployment (before reading the service).</summary>
    public bool CouldFix(string category) =>
        history is not null && budget is not null && settings.Mode != AutoFixMode.Off && AutoFixes.All.Any(f => f.Categories.Contains(category));

    /// <summary>Whether a fix of this category counts repeated failures, so that every failure must be recorded as evidence.</summary>
    public bool CountsEvidence(string category) =>
        CouldFix(category) && AutoFixes.All.Any(f => f.Categories.Contains(category) && f.NeedsEvidence);

    /// <summary>Whether a failure of this service and category could lead to an automatic fix: the service opted in to one and fixes are not off.</summary>
    public bool MayFix(ServiceFacts? service, string category) =>
        history is not null && budget is not null && settings.Mode != AutoFixMode.Off && service is not null
        && OptIn.From(service, AutoFixes.Ids) is { Problems.Count: 0 } optIn
        && AutoFixes.All.Any(f => f.Categories.Contains(category) && optIn.Allows(f.Id));

    private async Task<FixOutcome> DecideAndActAsync(IAutoFix fix, TaskStoppedEvent e, ClassificationResult c, InfrastructureContext context, int recentFailures, string eventKey, IFixJournal? journal, CancellationToken ct)
    {
        if (e.ServiceName is null || context.Service is not { } service)
        {
            return FixOutcome.Skipped(fix.Id, e.ServiceName is null
                ? "the task was not started by a service, so there is no service to fix"
                : "the service could not be read, so nothing can be changed safely");
        }

        var optIn = OptIn.From(service, AutoFixes.Ids);
        if (optIn.Problems.Count > 0)
        {
            return FixOutcome.Skipped(fix.Id, $"the opt-in tags are invalid, so they count as no opt-in: {string.Join("; ", optIn.Problems)}");
        }

        if (!optIn.Allows(fix.Id))
        {
            return FixOutcome.Skipped(fix.Id, $"the service has not opted in (tag {OptIn.AutoFixTag} = {fix.Id} or all)");
        }

        if (settings.Mode == AutoFixMode.Off)
        {
            return FixOutcome.Skipped(fix.Id, "automatic fixes are switched off for this deployment (AUTO_FIX_MODE=off)");
        }

        if (history is null || budget is null)
        {
            return FixOutcome.Skipped(fix.Id, "no ledger table is configured (LEDGER_TABLE_NAME), and fixes are never applied without their budgets and history");
        }

        var key = ServiceKey(e, service.ServiceName);
        if (journal?.IntentFor(fix.Id) is { } intent)
        {
            return await ResumeAsync(fix, e, c, key, intent, ct).ConfigureAwait(false);
        }

        var last = await history.GetFixAsync(key, fix.Id, ct).ConfigureAwait(false);
        if (last is not null)
        {
            var createdAfterFix = (e.Task.CreatedAt ?? e.Task.StartedAt) is { } created && created > last.AppliedAt;
            if (last.Ineffective || (createdAfterFix && last.Category == c.Category))
            {
                if (!last.Ineffective)
                {
                    await history.RecordFixAsync(key, last with { Ineffective = true }, ct).ConfigureAwait(false);
                }

                return FixOutcome.Skipped(fix.Id, string.Create(CultureInfo.InvariantCulture,
                    $"this fix was applied at {last.AppliedAt:u} ({last.Before} → {last.After}) and the same failure came back, so it did not cure it; it will not be applied again on this service until a person clears it: ecs-remediator clear-fix --cluster {e.ClusterName} --service {service.ServiceName} --fix {fix.Id} --account {e.Account} --region {e.Region}"))
                    with { Notable = !last.Ineffective };
            }
        }

        var evaluation = fix.Evaluate(new FixInput(e, c, context, service, optIn, settings, recentFailures));
        if (evaluation.Plan is not { } plan)
        {
            return FixOutcome.Skipped(fix.Id, evaluation.SkipReason!);
        }

        if (settings.Mode == AutoFixMode.DryRun || optIn.DryRun)
        {
            return new FixOutcome(fix.Id, FixResult.WouldApply,
                $"dry-run ({(optIn.DryRun ? $"tag {OptIn.ModeTag}" : "AUTO_FIX_MODE")}): would change {plan.Setting} from {plan.Before} to {plan.After}")
            { Before = plan.Before, After = plan.After };
        }

        // Reconcile: read the service again right before acting.
        var current = await ecs.DescribeServiceAsync(e.ClusterArn, service.ServiceName, ct).ConfigureAwait(false);
        if (current is null)
        {
            return FixOutcome.Skipped(fix.Id, "the service no longer exists; nothing was changed");
        }

        if (fix.StillNeeded(plan, current) is { } changed)
        {
            return FixOutcome.Skipped(fix.Id, changed);
        }

        var reservation = $"{eventKey}:{fix.Id}";
        if (await budget.TryReserveFixAsync(key, reservation, time.GetUtcNow(), settings, ct).ConfigureAwait(false) is { } denied)
        {
            return FixOutcome.Skipped(fix.Id, $"budget: {denied}; nothing was changed");
        }

        if (journal is not null)
        {
            await journal.RecordIntentAsync(new FixIntent(plan, reservation), ct).ConfigureAwait(false);
        }

        return await ApplyAsync(fix, e, c, key, plan, reservation, ct).ConfigureAwait(false);
    }

    /// <summary>An earlier attempt of this event recorded the fix and may or may not have applied it: look, then finish.</summary>
    private async Task<FixOutcome> ResumeAsync(IAutoFix fix, TaskStoppedEvent e, ClassificationResult c, string key, FixIntent intent, CancellationToken ct)
    {
        var plan = intent.Plan;
        var current = await ecs.DescribeServiceAsync(e.ClusterArn, plan.Update.Service, ct).ConfigureAwait(false);
        if (current is null)
        {
            await budget!.ReleaseFixAsync(key, intent.Reservation, CancellationToken.None).ConfigureAwait(false);
            return FixOutcome.Skipped(fix.Id, "the service no longer exists; nothing was changed");
        }

        if (fix.IsDone(plan, current))
        {
            // The update went through before the earlier attempt failed: record it once, announce it now.
            if (await history!.GetFixAsync(key, fix.Id, ct).ConfigureAwait(false) is not { } known || known.After != plan.After)
            {
                await history.RecordFixAsync(key, new FixRecord(fix.Id, c.Category, time.GetUtcNow(), plan.Before, plan.After), ct).ConfigureAwait(false);
            }

            return Applied(plan, e);
        }

        if (fix.StillNeeded(plan, current) is { } changed)
        {
            await budget!.ReleaseFixAsync(key, intent.Reservation, CancellationToken.None).ConfigureAwait(false);
            return FixOutcome.Skipped(fix.Id, changed);
        }

        // Still to do. The reservation is this event's own (or was given back and must be taken again).
        if (await budget!.TryReserveFixAsync(key, intent.Reservation, time.GetUtcNow(), settings, ct).ConfigureAwait(false) is { } denied)
        {
            return FixOutcome.Skipped(fix.Id, $"budget: {denied}; nothing was changed");
        }

        return await ApplyAsync(fix, e, c, key, plan, intent.Reservation, ct).ConfigureAwait(false);
    }

    private async Task<FixOutcome> ApplyAsync(IAutoFix fix, TaskStoppedEvent e, ClassificationResult c, string key, FixPlan plan, string reservation, CancellationToken ct)
    {
        try
        {
            await ecs.UpdateServiceAsync(plan.Update, ct).ConfigureAwait(false);
        }
        catch (PermissionDeniedException ex)
        {
            // Denied: nothing changed, so the budget is given back.
            await budget!.ReleaseFixAsync(key, reservation, CancellationToken.None).ConfigureAwait(false);
            return FixOutcome.Failed(fix.Id, $"UpdateService was denied ({ex.Message}); the function may only update services tagged {OptIn.AutoFixTag}");
        }

        // Any other error propagates and the invocation fails. The reservation stays: the update may have gone
        // through, and the retry finds out from the journal's intent and the service itself.
        await history!.RecordFixAsync(key, new FixRecord(fix.Id, c.Category, time.GetUtcNow(), plan.Before, plan.After), ct).ConfigureAwait(false);
        return Applied(plan, e);
    }

    private static FixOutcome Applied(FixPlan plan, TaskStoppedEvent e) =>
        new(plan.Fix, FixResult.Applied, $"changed {plan.Setting} from {plan.Before} to {plan.After} on {e.ClusterName}/{plan.Update.Service}")
        {
            Notable = true,
            Before = plan.Before,
            After = plan.After,
            Revert = plan.Revert,
            RevertCommand = plan.RevertCommand,
        };
}
