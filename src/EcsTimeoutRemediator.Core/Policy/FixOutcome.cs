using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Policy;

[JsonConverter(typeof(JsonStringEnumConverter<FixResult>))]
public enum FixResult
{
    Applied,
    WouldApply,
    Skipped,
    Failed,
}

/// <summary>What happened to one fix for one event: applied (with before → after and the undo command), would apply (dry-run), skipped or failed, with the reason in words a person can act on.</summary>
public sealed record FixOutcome(
    [property: JsonPropertyName("fix")] string Fix,
    [property: JsonPropertyName("result")] FixResult Result,
    [property: JsonPropertyName("message")] string Message)
{
    [JsonPropertyName("before")] public string? Before { get; init; }
    [JsonPropertyName("after")] public string? After { get; init; }

    /// <summary>The command that undoes the change, as argv; null when nothing was changed, or for an outcome read
    /// from a journal written before the argv were kept (<see cref="RevertCommand"/> then holds the string).</summary>
    [JsonIgnore] public IReadOnlyList<string>? Revert { get; init; }

    /// <summary><see cref="Revert"/> rendered for a POSIX shell (<see cref="Shell.Join"/>); what the JSON carries.</summary>
    [JsonPropertyName("revert")]
    public string? RevertCommand
    {
        get => Revert is { Count: > 0 } argv ? Shell.Join(argv) : field;
        init;
    }

    /// <summary>True when this outcome is news that must reach people even inside a suppressed incident window:
    /// a change was made or failed, or a fix was just found not to cure.</summary>
    [JsonPropertyName("notable")] public bool Notable { get; init; }

    public static FixOutcome Skipped(string fix, string reason) => new(fix, FixResult.Skipped, reason);

    public static FixOutcome Failed(string fix, string reason) => new(fix, FixResult.Failed, reason) { Notable = true };
}

/// <summary>A change to one ECS service, sent as one UpdateService call.</summary>
public sealed record ServiceUpdate(string Cluster, string Service)
{
    public int? HealthCheckGracePeriodSeconds { get; init; }

    /// <summary>The full awsvpcConfiguration, as UpdateService requires when any part of it changes.</summary>
    public Context.AwsVpcFacts? Network { get; init; }
}

/// <summary>
/// A fix the policy allows: the exact update, what it changes and how to undo it (<paramref name="Revert"/>, the
/// undo command as argv). A plan read from a journal written before the argv were kept has only
/// <see cref="RevertCommand"/>, the rendered string.
/// </summary>
public sealed record FixPlan(string Fix, ServiceUpdate Update, string Setting, string Before, string After, IReadOnlyList<string>? Revert)
{
    /// <summary><see cref="Revert"/> rendered for a POSIX shell; the journal keeps it for the plans written before <see cref="Revert"/>.</summary>
    [JsonPropertyName("revertCommand")]
    public string? RevertCommand
    {
        get => Revert is { Count: > 0 } argv ? Shell.Join(argv) : field;
        init;
    }
}
