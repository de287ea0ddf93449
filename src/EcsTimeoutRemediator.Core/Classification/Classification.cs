using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Classification;

/// <summary>The verdict on one stopped task.</summary>
public sealed record ClassificationResult
{
    [JsonPropertyName("category")] public required string Category { get; init; }
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("actionable")] public required bool Actionable { get; init; }
    [JsonPropertyName("summary")] public required string Summary { get; init; }
    [JsonPropertyName("confidence")] public required double Confidence { get; init; }
    [JsonPropertyName("rule")] public required string Rule { get; init; }
    [JsonPropertyName("evidence")] public required Evidence Evidence { get; init; }
    [JsonPropertyName("fixes")] public required IReadOnlyList<string> Fixes { get; init; }
}

/// <summary>What was extracted from the stop messages; absent facts are null.</summary>
public sealed record Evidence
{
    [JsonPropertyName("matchedText")] public string? MatchedText { get; init; }
    [JsonPropertyName("stopCode")] public string? StopCode { get; init; }
    [JsonPropertyName("containerName")] public string? ContainerName { get; init; }
    [JsonPropertyName("exitCode")] public int? ExitCode { get; init; }
    [JsonPropertyName("image")] public string? Image { get; init; }
    [JsonPropertyName("registryHost")] public string? RegistryHost { get; init; }
    [JsonPropertyName("targetGroupArn")] public string? TargetGroupArn { get; init; }
    [JsonPropertyName("secretArns")] public IReadOnlyList<string>? SecretArns { get; init; }
    [JsonPropertyName("logGroup")] public string? LogGroup { get; init; }
    [JsonPropertyName("fileSystemId")] public string? FileSystemId { get; init; }
    [JsonPropertyName("httpStatus")] public int? HttpStatus { get; init; }
    [JsonPropertyName("endpointHost")] public string? EndpointHost { get; init; }
}
