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
}
