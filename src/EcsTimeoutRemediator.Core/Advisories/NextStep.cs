using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Advisories;

/// <summary>Whether a step changes the account or only reads it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepKind>))]
public enum StepKind
{
    [JsonStringEnumMemberName("check")] Check,
    [JsonStringEnumMemberName("change")] Change,
}

/// <summary>Where a step stands in the advisory's plan.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepGroup>))]
public enum StepGroup
{
    /// <summary>The fix for the cause the diagnosis proved.</summary>
    [JsonStringEnumMemberName("fix")] Fix,

    /// <summary>Another fix that cures the same cause instead.</summary>
    [JsonStringEnumMemberName("alternative")] Alternative,

    /// <summary>The fix for a further problem the diagnosis proved.</summary>
    [JsonStringEnumMemberName("also")] Also,

    /// <summary>A fix for the category when the diagnosis proved no cause.</summary>
    [JsonStringEnumMemberName("possible")] Possible,

    /// <summary>A look-up whose answer the diagnosis does not hold.</summary>
    [JsonStringEnumMemberName("check")] Check,
}

/// <summary>
/// One copy-paste step: what it does and the exact command. A command is built as argv (one or more programs
/// with their arguments, run one after the other with <c>&amp;&amp;</c>) and rendered for a POSIX shell by one
/// quoting function, so a value never becomes shell syntax and a placeholder is quoted (<c>'&lt;acl-id&gt;'</c>).
/// </summary>
public sealed record NextStep(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("command")] string Command)
{
    /// <summary>The programs and arguments <see cref="Command"/> was rendered from.</summary>
    [JsonIgnore]
    public IReadOnlyList<IReadOnlyList<string>> Argv { get; init; } = [];

    /// <summary>The fix id this step belongs to; null for a step of no fix (reading the stop reason).</summary>
    [JsonPropertyName("fix")] public string? Fix { get; init; }

    [JsonPropertyName("kind")] public StepKind Kind { get; init; } = StepKind.Check;

    /// <summary>The <see cref="Diagnosis.Fact"/> a check reads; a finding that holds it makes the step pointless.</summary>
    [JsonPropertyName("looksUp")] public string? LooksUp { get; init; }

    /// <summary>Set by the plan (<see cref="Remedy"/>); null until then.</summary>
    [JsonPropertyName("group")] public StepGroup? Group { get; init; }

    /// <summary>A step that runs <paramref name="argv"/>.</summary>
    public static NextStep Run(string title, params string[] argv) => Chain(title, argv);

    /// <summary>A step that runs each command in turn, the next only when the one before succeeded.</summary>
    public static NextStep Chain(string title, params IReadOnlyList<string>[] commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return new NextStep(title, string.Join(" && ", commands.Select(Shell.Join))) { Argv = commands };
    }

    /// <summary>A step that changes the account.</summary>
    public static NextStep Change(string title, params string[] argv) => Run(title, argv) with { Kind = StepKind.Change };

    /// <summary>A step that reads <paramref name="looksUp"/> (a <see cref="Diagnosis.Fact"/>, or null for a value no finding holds).</summary>
    public static NextStep Check(string title, string? looksUp, params string[] argv) => Run(title, argv) with { LooksUp = looksUp };
}
