using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Diagnosis;

[JsonConverter(typeof(JsonStringEnumConverter<FindingStatus>))]
public enum FindingStatus
{
    Ok,
    Missing,
    Wrong,
    Unknown,
}

/// <summary>One check over the gathered infrastructure: what was looked at, what it found, and how to fix it.</summary>
public sealed record Finding(
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("status")] FindingStatus Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("resources")] IReadOnlyList<string> Resources,
    [property: JsonPropertyName("fix")] string? Fix = null)
{
    /// <summary>A short phrase for the advisory subject ("no route to ECR").</summary>
    [JsonPropertyName("headline")]
    public string? Headline { get; init; }

    /// <summary>What to apply, verbatim, when the fix needs more than the command (the exact missing IAM policy).</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    /// <summary>Other fixes that cure the same problem instead of <see cref="Fix"/> ("add the endpoints, or route through a NAT gateway").</summary>
    [JsonPropertyName("alternatives")]
    public IReadOnlyList<string>? Alternatives { get; init; }

    /// <summary>The message as a template over its ids and values, for renderers that format or escape them; null
    /// for a finding built from prose alone, whose whole message is then treated as a value.</summary>
    [JsonPropertyName("text")]
    public Sentence? Text { get; init; }

    /// <summary>What renderers show: <see cref="Text"/>, or the message as one escaped value.</summary>
    [JsonIgnore]
    public Sentence Sentence => Text ?? Sentence.Unvetted(Message);

    /// <summary>A finding whose message is <paramref name="text"/>.</summary>
    public static Finding Of(string check, FindingStatus status, Sentence text, IReadOnlyList<string> resources, string? fix = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Finding(check, status, text.Plain, resources, fix) { Text = text };
    }

    [JsonIgnore]
    public bool IsProblem => Status is FindingStatus.Missing or FindingStatus.Wrong;
}
