using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>
/// What every finding of the diagnosis must hold for the renderers: a sentence whose plain text is the message, every
/// resource the message names kept as a resource part, and no id left in the project's words.
/// </summary>
public static partial class FindingSentences
{
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:subnet|sg|rtb|vpc|nat|igw|vpce|fs|fsmt|acl|eni)-[0-9a-z]|arn:", RegexOptions.CultureInvariant)]
    private static partial Regex IdLike();

    /// <summary>The id-like tokens in <paramref name="words"/>: <c>subnet-…</c>, <c>sg-…</c>, <c>arn:</c> and the like.</summary>
    public static IReadOnlyList<string> IdsIn(string words) => [.. IdLike().Matches(words).Select(m => m.Value)];

    /// <summary>The ways <paramref name="finding"/> breaks the rules; empty when it keeps them.</summary>
    public static IReadOnlyList<string> Problems(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Text is not { } text)
        {
            return [$"{finding.Check}: no text (\"{finding.Message}\")"];
        }

        var problems = new List<string>();
        if (!string.Equals(text.Plain, finding.Message, StringComparison.Ordinal))
        {
            problems.Add($"{finding.Check}: the text reads \"{text.Plain}\", the message \"{finding.Message}\"");
        }

        foreach (var resource in finding.Resources.Where(r => !string.IsNullOrEmpty(r) && finding.Message.Contains(r, StringComparison.Ordinal)))
        {
            if (!text.Parts.Any(p => p.Kind == PartKind.Resource && p.Text.Contains(resource, StringComparison.Ordinal)))
            {
                problems.Add($"{finding.Check}: resource {resource} is in the message but in no resource part of \"{finding.Message}\"");
            }

            if (LooksLikeAnId(resource) && text.Parts.Any(p => p.Kind == PartKind.Text && p.Text.Contains(resource, StringComparison.Ordinal)))
            {
                problems.Add($"{finding.Check}: resource {resource} is in the project's words of \"{finding.Message}\"");
            }
        }

        foreach (var part in text.Parts.Where(p => p.Kind == PartKind.Text))
        {
            foreach (var id in IdsIn(part.Text))
            {
                problems.Add($"{finding.Check}: the words \"{part.Text}\" hold the id-like \"{id}\"");
            }
        }

        if (text.Parts.Any(p => p.Text.Length == 0))
        {
            problems.Add($"{finding.Check}: an empty part in \"{finding.Message}\"");
        }

        return problems;
    }

    /// <summary>Fails with every broken rule of every finding; returns the findings for chaining.</summary>
    public static IReadOnlyList<Finding> AssertWellFormed(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var problems = findings.SelectMany(Problems).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return findings;
    }

    private static bool LooksLikeAnId(string value) => value.Length >= 6 && (value.Contains('-', StringComparison.Ordinal) || value.Contains(':', StringComparison.Ordinal));
}
