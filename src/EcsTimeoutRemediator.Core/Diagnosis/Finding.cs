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

    [JsonIgnore]
    public bool IsProblem => Status is FindingStatus.Missing or FindingStatus.Wrong;
}
