using System.Globalization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Remediation;

/// <summary>
/// Decides under the policy and acts, reconcile-style: the event is only a pointer; the service is read again right
/// before the update, the budget is taken atomically, and every step is safe to repeat.
/// </summary>
public sealed class Remediator(IEcsServices ecs, IRemediationLedger? ledger, PolicySettings settings, TimeProvider time, ILogSink log, IMetricSink metrics)
{
    public PolicySettings Settings => settings;

    public static string ServiceKey(TaskStoppedEvent e, string service)
    {
        ArgumentNullException.ThrowIfNull(e);
        return $"{e.Account}:{e.Region}:{e.ClusterName}/{service}";
    }

    /// <summary>The fixes that answer this category, each with its outcome.</summary>
    public async Task<IReadOnlyList<FixOutcome>> RemediateAsync(TaskStoppedEvent e, ClassificationResult c, InfrastructureContext context, int recentFailures, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(context);
        var outcomes = new List<FixOutcome>();
        foreach (var fix in AutoFixes.All.Where(f => f.Categories.Contains(c.Category)))
        {
            var outcome = await DecideAndActAsync(fix, e, c, context, recentFailures, ct).ConfigureAwait(false);
            outcomes.Add(outcome);
            metrics.Count(outcome.Result == FixResult.Applied ? "FixesApplied" : "FixesSkipped", 1, "Fix", fix.Id);
            log.Write(outcome.Result == FixResult.Failed ? LogLevel.Warn : LogLevel.Info, "fix decision", e.EventId,
            [
                new("fix", fix.Id), new("result", outcome.Result.ToString()), new("reason", outcome.Message),
                new("before", outcome.Before), new("after", outcome.After), new("service", e.ServiceName),
            ]);
            if (ledger is not null && e.ServiceName is { } service)
            {
                await ledger.AppendAuditAsync(new AuditRecord(time.GetUtcNow(), e.EventId, ServiceKey(e, service), fix.Id, outcome.Result.ToString(), outcome.Before, outcome.After, outcome.Message), ct).ConfigureAwait(false);
            }
        }

        return outcomes;
    }

    private async Task<FixOutcome> DecideAndActAsync(IAutoFix fix, TaskStoppedEvent e, ClassificationResult c, InfrastructureContext context, int recentFailures, CancellationToken ct)
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

        if (ledger is null)
        {
            return FixOutcome.Skipped(fix.Id, "no ledger table is configured (LEDGER_TABLE_NAME), and fixes are never applied without their budgets and history");
        }

        var key = ServiceKey(e, service.ServiceName);
        var history = await ledger.GetFixAsync(key, fix.Id, ct).ConfigureAwait(false);
        if (history is not null)
        {
            var createdAfterFix = (e.Task.CreatedAt ?? e.Task.StartedAt) is { } created && created > history.AppliedAt;
            if (history.Ineffective || (createdAfterFix && history.Category == c.Category))
            {
                if (!history.Ineffective)
                {
                    await ledger.RecordFixAsync(key, history with { Ineffective = true }, ct).ConfigureAwait(false);
                }

                return FixOutcome.Skipped(fix.Id, string.Create(CultureInfo.InvariantCulture,
                    $"this fix was applied at {history.AppliedAt:u} ({history.Before} → {history.After}) and the same failure came back, so it did not cure it; it will not be applied again on this service until a person clears it: ecs-remediator clear-fix --cluster {e.ClusterName} --service {service.ServiceName} --fix {fix.Id}"))
                    with { Notable = !history.Ineffective };
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

        var reservation = $"{e.EventId}:{fix.Id}";
        if (await ledger.TryReserveFixAsync(key, reservation, time.GetUtcNow(), settings, ct).ConfigureAwait(false) is { } denied)
        {
            return FixOutcome.Skipped(fix.Id, $"budget: {denied}; nothing was changed");
        }

        try
        {
            await ecs.UpdateServiceAsync(plan.Update, ct).ConfigureAwait(false);
        }
        catch (PermissionDeniedException ex)
        {
            await ledger.ReleaseFixAsync(key, reservation, ct).ConfigureAwait(false);
            return FixOutcome.Failed(fix.Id, $"UpdateService was denied ({ex.Message}); the function may only update services tagged {OptIn.AutoFixTag}");
        }
        catch (Exception)
        {
            // Not ours to handle: give the budget back and let the invocation fail and be retried.
            await ledger.ReleaseFixAsync(key, reservation, ct).ConfigureAwait(false);
            throw;
        }

        await ledger.RecordFixAsync(key, new FixRecord(fix.Id, c.Category, time.GetUtcNow(), plan.Before, plan.After), ct).ConfigureAwait(false);
        return new FixOutcome(fix.Id, FixResult.Applied, $"changed {plan.Setting} from {plan.Before} to {plan.After} on {e.ClusterName}/{service.ServiceName}")
        {
            Notable = true,
            Before = plan.Before,
            After = plan.After,
            RevertCommand = plan.RevertCommand,
        };
    }
}
