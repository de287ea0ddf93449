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
}
