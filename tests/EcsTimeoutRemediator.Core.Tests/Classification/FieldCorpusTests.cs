using System.Text.Json;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator.Tests.Classification;

/// <summary>
/// Stop messages as they were reported from the field (AWS documentation, public issues, agent templates), each
/// labelled by meaning. Every line must classify into its label.
/// </summary>
public class FieldCorpusTests
{
    private static readonly string CorpusPath = Path.Combine(AppContext.BaseDirectory, "Classification", "field-corpus.jsonl");

    public static TheoryData<int, string> Lines()
    {
        var data = new TheoryData<int, string>();
        var n = 0;
        foreach (var line in File.ReadLines(CorpusPath))
        {
            n++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                data.Add(n, line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Classify_WhenGivenAFieldMessage_ShouldMatchItsLabel(int lineNumber, string line)
    {
        using var doc = JsonDocument.Parse(line);
        var expected = doc.RootElement.GetProperty("category").GetString();
        var facts = doc.RootElement.Deserialize(RemediatorJsonContext.Default.StopFacts)!;

        var result = Classifier.Classify(facts);

        Assert.True(expected == result.Category, $"line {lineNumber}: expected {expected}, got {result.Category} ({result.Rule}) for: {facts.StoppedReason} | {string.Join(" | ", (facts.Containers ?? []).Select(c => c.Reason))}");
    }

    [Fact]
    public void Corpus_WhenCounted_ShouldCoverEveryCategoryWithSeveralVariants()
    {
        var counts = File.ReadLines(CorpusPath)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("category").GetString()!)
            .CountBy(c => c)
            .ToDictionary();

        foreach (var category in Category.All)
        {
            Assert.True(counts.GetValueOrDefault(category) >= 5, $"{category} has {counts.GetValueOrDefault(category)} variants");
        }
    }

    /// <summary>
    /// A second corpus gathered independently of the first, from other sources and agent versions, including
    /// messages whose cause was cut away at 255 characters. It measures how the classifier generalises; single
    /// lines may stay ambiguous, but the share classified as labelled must not fall below 90 %.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheHoldOutCorpus_ShouldAgreeWithAtLeastNinetyPercentOfLabels()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Classification", "holdout-corpus.jsonl");
        var misses = new List<string>();
        var total = 0;
        foreach (var line in File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            total++;
            using var doc = JsonDocument.Parse(line);
            var expected = doc.RootElement.GetProperty("category").GetString();
            var actual = Classifier.Classify(doc.RootElement.Deserialize(RemediatorJsonContext.Default.StopFacts)!).Category;
            if (expected != actual)
            {
                misses.Add($"{expected} → {actual}: {doc.RootElement.GetProperty("stoppedReason").GetString()}");
            }
        }

        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(total >= 100, $"the hold-out corpus has only {total} lines");
        Assert.True(accuracy >= 0.90, $"hold-out accuracy {accuracy:P1}; misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>
    /// The December 2026 hold-out: 130 messages from sources no other project file holds, measured once before
    /// any rule was changed for it (66.9 %, the generalisation figure in the README). The rules were changed after
    /// that measurement, so this guards against regressions; it no longer measures generalisation.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheDecember2026HoldOut_ShouldAgreeWithAtLeastNinetyFivePercentOfLabels()
    {
        var (total, misses) = Measure("holdout-2026-12.jsonl");

        Assert.True(total >= 120, $"the hold-out has only {total} lines");
        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(accuracy >= 0.95, $"hold-out accuracy {accuracy:P1}; misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>
    /// The second December 2026 hold-out (2026-12b): 106 messages no other project file holds, labelled before the
    /// classifier was run on them and measured once, with no rule changed for them: 79.2 % (84 of 106) agreed. The
    /// rules were then changed with its misses in view, so it no longer measures generalisation; this guards against
    /// regressions, like the first December set.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheDecember2026bHoldOut_ShouldAgreeWithAtLeastNinetyFivePercentOfLabels()
    {
        var (total, misses) = Measure("holdout-2026-12b.jsonl");

        Assert.True(total >= 100, $"the hold-out has only {total} lines");
        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(accuracy >= 0.95, $"hold-out accuracy {accuracy:P1}; misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>
    /// The third December 2026 hold-out (2026-12c): 106 messages no other project file holds, from sources other than
    /// the ones the rules were tuned on, labelled before the classifier was run on them and measured once, after the
    /// rules were tuned for 2026-12b and before any rule was changed for this set: 91.5 % (97 of 106) agreed. The
    /// rules were then changed with its misses in view, so it no longer measures generalisation; this guards
    /// against regressions, like the earlier December sets.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheDecember2026cHoldOut_ShouldAgreeWithAtLeastNinetyFivePercentOfLabels()
    {
        var (total, misses) = Measure("holdout-2026-12c.jsonl");

        Assert.True(total >= 100, $"the hold-out has only {total} lines");
        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(accuracy >= 0.95, $"hold-out accuracy {accuracy:P1}; misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>
    /// The fourth December 2026 hold-out (2026-12d): 96 messages no other project file holds, gathered after the rules
    /// were tuned for 2026-12c, labelled before the classifier was run on them and measured once, with no rule changed
    /// for them: 89.6 % (86 of 96) agreed, the generalisation figure the README reports. The rules were then changed
    /// with its misses in view, so this guards against regressions; it no longer measures generalisation.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheDecember2026dHoldOut_ShouldAgreeWithAtLeastNinetyFivePercentOfLabels()
    {
        var (total, misses) = Measure("holdout-2026-12d.jsonl");

        Assert.True(total >= 90, $"the hold-out has only {total} lines");
        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(accuracy >= 0.95, $"hold-out accuracy {accuracy:P1}; misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>
    /// The fifth December 2026 hold-out (2026-12e): 72 messages no other project file holds, gathered after the rules
    /// were tuned for 2026-12d, labelled before the classifier was run on them and measured once, with no rule changed
    /// for them: 93.1 % (67 of 72) agreed. The rules were then changed with its misses in view, so this guards against
    /// regressions; it no longer measures generalisation.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheDecember2026eHoldOut_ShouldAgreeWithAtLeastNinetyFivePercentOfLabels()
    {
        var (total, misses) = Measure("holdout-2026-12e.jsonl");

        Assert.True(total >= 70, $"the hold-out has only {total} lines");
        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(accuracy >= 0.95, $"hold-out accuracy {accuracy:P1}; misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>
    /// The sixth December 2026 hold-out (2026-12f): 33 messages no other project file holds, gathered after the rules
    /// were tuned for 2026-12e, labelled before the classifier was run on them and measured once, with no rule changed
    /// for them: 63.6 % (21 of 33) agreed, and one failure came out benign. The rules were then changed with its misses
    /// in view, so this guards against regressions; it no longer measures generalisation.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheDecember2026fHoldOut_ShouldAgreeWithAtLeastNinetyPercentOfLabels()
    {
        var (total, misses) = Measure("holdout-2026-12f.jsonl");

        Assert.True(total >= 30, $"the hold-out has only {total} lines");
        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(accuracy >= 0.9, $"hold-out accuracy {accuracy:P1} ({total - misses.Count} of {total}); misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>
    /// A ninth set of 42 messages none of which another project file holds, gathered after the rules had been tuned for
    /// 2026-12f and after resource names were masked, labelled before the classifier was run on them and measured once,
    /// with no rule changed for them: 61.9 % (26 of 42) agreed, and one failure (a deployment rolling back) came out
    /// benign. The rules were then changed with its misses in view, so this guards against regressions.
    /// </summary>
    [Fact]
    public void Classify_WhenGivenTheDecember2026gHoldOut_ShouldAgreeWithAtLeastNinetyFivePercentOfLabels()
    {
        var (total, misses) = Measure("holdout-2026-12g.jsonl");

        Assert.True(total >= 40, $"the hold-out has only {total} lines");
        var accuracy = (double)(total - misses.Count) / total;
        Assert.True(accuracy >= 0.95, $"hold-out accuracy {accuracy:P1} ({total - misses.Count} of {total}); misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>Silence is the one unrecoverable mistake: no real failure of any corpus may come out benign.</summary>
    [Theory]
    [MemberData(nameof(Corpora.FileNames), MemberType = typeof(Corpora))]
    public void Classify_WhenAnyCorpusLineIsAFailure_ShouldNeverBeBenign(string corpus)
    {
        var silenced = new List<string>();
        foreach (var line in Corpora.LinesOf(corpus))
        {
            using var doc = JsonDocument.Parse(line);
            var expected = doc.RootElement.GetProperty("category").GetString()!;
            var result = Classifier.Classify(doc.RootElement.Deserialize(RemediatorJsonContext.Default.StopFacts)!);
            if (!Category.IsBenign(expected) && (Category.IsBenign(result.Category) || !result.Actionable))
            {
                silenced.Add($"{expected} → {result.Category}: {doc.RootElement.GetProperty("stoppedReason").GetString()}");
            }
        }

        Assert.True(silenced.Count == 0, $"failures classified benign:\n{string.Join('\n', silenced)}");
    }

    private static (int Total, List<string> Misses) Measure(string file)
    {
        var misses = new List<string>();
        var total = 0;
        foreach (var line in Corpora.LinesOf(file))
        {
            total++;
            using var doc = JsonDocument.Parse(line);
            var expected = doc.RootElement.GetProperty("category").GetString();
            var actual = Classifier.Classify(doc.RootElement.Deserialize(RemediatorJsonContext.Default.StopFacts)!).Category;
            if (expected != actual)
            {
                misses.Add($"{expected} → {actual}: {doc.RootElement.GetProperty("stoppedReason").GetString()}");
            }
        }

        return (total, misses);
    }
}
