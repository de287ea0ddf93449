using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Classification;

/// <summary>Pure, deterministic classification of a stopped task: signals → first matching rule → evidence.</summary>
public static class Classifier
{
    public static ClassificationResult Classify(string? stoppedReason, string? stopCode = null) =>
        Classify(new StopFacts { StoppedReason = stoppedReason, StopCode = stopCode });

    public static ClassificationResult Classify(StopFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var containers = facts.Containers ?? [];

        var reasonSignals = SignalScanner.Scan(facts.StoppedReason);
        var all = reasonSignals | SignalScanner.FromStopCode(facts.StopCode);
        var anyNonZeroExit = false;
        var containerSignals = containers.Count == 0 ? [] : new Signal[containers.Count];
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            containerSignals[i] = SignalScanner.Scan(c.Reason);
            all |= containerSignals[i];
            if (c.ExitCode is { } code && code != 0)
            {
                anyNonZeroExit = true;
            }

            if (string.Equals(c.HealthStatus, "UNHEALTHY", StringComparison.OrdinalIgnoreCase) && (all & Signal.EssentialExit) != 0)
            {
                all |= Signal.ContainerHealth;
            }
        }

        var signals = new StopSignals(all, StopSignals.StepOf(all), StopSignals.KindOf(all), facts.StopCode, anyNonZeroExit);

        foreach (var rule in ClassificationRules.All)
        {
            if (rule.Match(signals) is { } confidence)
            {
                var evidence = EvidenceExtractor.Extract(facts, rule, signals, reasonSignals, containerSignals);
                return new ClassificationResult
                {
                    Category = rule.Category,
                    Family = rule.Family,
                    Actionable = !Category.IsBenign(rule.Category),
                    Summary = rule.Summarize(evidence),
                    Confidence = confidence,
                    Rule = rule.Name,
                    Evidence = evidence,
                    Fixes = rule.Fixes,
                };
            }
        }

        var unknownEvidence = EvidenceExtractor.Extract(facts, null, signals, reasonSignals, containerSignals);
        return new ClassificationResult
        {
            Category = Category.Unknown,
            Family = Category.Unknown,
            // Nothing proves the stop harmless, so a person should look.
            Actionable = true,
            Summary = string.IsNullOrWhiteSpace(facts.StoppedReason)
                ? "The task stopped without a stopped reason that names a known cause."
                : "The stop reason does not match a known start-up failure; read it and the container logs.",
            Confidence = 0,
            Rule = "NoRuleMatched",
            Evidence = unknownEvidence,
            Fixes = [],
        };
    }
}
