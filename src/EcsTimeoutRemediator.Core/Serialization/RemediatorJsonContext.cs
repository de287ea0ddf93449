using System.Text.Json.Serialization;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Serialization;

/// <summary>The one source-generated JSON context for every type the core reads or writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = false,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(StopFacts))]
[JsonSerializable(typeof(ClassifyLine))]
[JsonSerializable(typeof(DecisionRecord))]
[JsonSerializable(typeof(HandleResult))]
[JsonSerializable(typeof(EcsTimeoutRemediator.Advisories.Advisory))]
[JsonSerializable(typeof(EcsTimeoutRemediator.Ports.EventJournal))]
[JsonSerializable(typeof(ErrorLine))]
[JsonSerializable(typeof(EcsTimeoutRemediator.Advisories.DoctorReport))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ClassificationResult))]
[JsonSerializable(typeof(FieldSample))]
[JsonSerializable(typeof(EcsTimeoutRemediator.Advisories.Explanation))]
[JsonSerializable(typeof(EcsTimeoutRemediator.Advisories.Formats.ChatbotNotification))]
[JsonSerializable(typeof(EcsTimeoutRemediator.Advisories.Formats.SlackMessage))]
[JsonSerializable(typeof(EcsTimeoutRemediator.Advisories.Formats.SnsStructuredMessage))]
public sealed partial class RemediatorJsonContext : JsonSerializerContext;

/// <summary>The one-line error object of the JSON Lines streams.</summary>
public sealed record ErrorLine([property: JsonPropertyName("error")] string Error);
