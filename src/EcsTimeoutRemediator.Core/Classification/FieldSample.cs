using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Classification;

/// <summary>
/// A stop as its owner can share it to improve the classifier: the names a user chose masked (<see cref="NameMask"/>),
/// account ids, access key ids, e-mail addresses and token-like strings replaced. What ECS wrote stays, and so does
/// the classification: the mask only removes what the classifier does not read.
/// </summary>
public sealed record FieldSample
{
    [JsonPropertyName("classifiedAs")] public required string ClassifiedAs { get; init; }
    [JsonPropertyName("rule")] public required string Rule { get; init; }
    [JsonPropertyName("stoppedReason")] public string? StoppedReason { get; init; }
    [JsonPropertyName("stopCode")] public string? StopCode { get; init; }
    [JsonPropertyName("containers")] public IReadOnlyList<FieldSampleContainer> Containers { get; init; } = [];

    /// <summary>How many stops of the input gave this same masked sample.</summary>
    [JsonPropertyName("count")] public int Count { get; init; } = 1;

    public static FieldSample Of(StopFacts facts, ClassificationResult result)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(result);
        return new FieldSample
        {
            ClassifiedAs = result.Category,
            Rule = result.Rule,
            StoppedReason = SampleText.Mask(facts.StoppedReason),
            StopCode = facts.StopCode,
            Containers =
            [
                .. (facts.Containers ?? [])
                    .Where(c => c.Reason is not null || c.ExitCode is not null)
                    .Select(c => new FieldSampleContainer { Reason = SampleText.Mask(c.Reason), ExitCode = c.ExitCode }),
            ],
        };
    }

    /// <summary>The facts the sample stands for, to classify it again.</summary>
    public StopFacts ToFacts() => new()
    {
        StoppedReason = StoppedReason,
        StopCode = StopCode,
        Containers = [.. Containers.Select(c => new ContainerDetail { Reason = c.Reason, ExitCode = c.ExitCode })],
    };

    /// <summary>Two stops that mask to the same text are one sample.</summary>
    public string Key => string.Join('\u001f', [StopCode ?? "", StoppedReason ?? "", .. Containers.Select(c => $"{c.Reason}\u001e{c.ExitCode}")]);
}

public sealed record FieldSampleContainer
{
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("exitCode")] public int? ExitCode { get; init; }
}

/// <summary>The masking of one text of a shareable sample.</summary>
public static partial class SampleText
{
    public static string? Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var masked = NameMask.Apply(text);
        masked = AccessKeyId().Replace(masked, "AKIAXXXXXXXXXXXXXXXX");
        masked = EmailAddress().Replace(masked, "user@example.com");
        masked = AccountId().Replace(masked, "123456789012");
        return TokenLike().Replace(masked, static m => IsToken(m.Value) ? "x" : m.Value);
    }

    // A credential or token: long, and mixing upper case, lower case and several digits (a hex id, a word or an
    // escaped path such as %2Famazon-ecs-volume-plugin does not).
    private static bool IsToken(string value) =>
        value.Count(char.IsUpper) >= 2 && value.Any(char.IsLower) && value.Count(char.IsAsciiDigit) >= 3;

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AccessKeyId();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"(?<![\d.])\d{12}(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    [GeneratedRegex(@"[A-Za-z0-9+/_=-]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenLike();
}
