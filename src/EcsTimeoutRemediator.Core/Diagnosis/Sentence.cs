using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>What a part of a <see cref="Sentence"/> is, which decides how a renderer shows it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PartKind>))]
public enum PartKind
{
    /// <summary>The project's own words: shown as they are.</summary>
    [JsonStringEnumMemberName("text")] Text,

    /// <summary>An id the diagnosis read (subnet, route table, ARN, port): shown as code where the format has it.</summary>
    [JsonStringEnumMemberName("resource")] Resource,

    /// <summary>Any other value from the account or the event (a name, a count, a reason): escaped, never formatted.</summary>
    [JsonStringEnumMemberName("value")] Value,
}

/// <summary>One run of a sentence.</summary>
public sealed record SentencePart(
    [property: JsonPropertyName("kind")] PartKind Kind,
    [property: JsonPropertyName("text")] string Text);

/// <summary>
/// A finding's text as a template over its data: the words are the project's, the ids and values are kept apart so
/// that each renderer can format and escape them for its medium. Built from an interpolated string:
/// <c>Sentence.Of($"{Sentence.Id(subnetId)} has {count} free IP addresses.")</c>; a hole wrapped in
/// <see cref="Id"/> is a <see cref="PartKind.Resource"/>, any other hole a <see cref="PartKind.Value"/>
/// (formatted with the invariant culture).
/// </summary>
public sealed record Sentence([property: JsonPropertyName("parts")] IReadOnlyList<SentencePart> Parts)
{
    /// <summary>The sentence as plain text, the words and values as they are.</summary>
    [JsonIgnore]
    public string Plain => string.Concat(Parts.Select(p => p.Text));

    public static Sentence Of([InterpolatedStringHandlerArgument] ref SentenceHandler text) => text.Build();

    /// <summary>A sentence of the project's own words only.</summary>
    public static Sentence Words(string text) => new([new SentencePart(PartKind.Text, text)]);

    /// <summary>A sentence that is all value: text whose origin is unknown, shown escaped.</summary>
    public static Sentence Unvetted(string text) => new([new SentencePart(PartKind.Value, text)]);

    /// <summary>The sentence with no parts: a hole that adds nothing.</summary>
    public static Sentence Empty { get; } = new(Array.Empty<SentencePart>());

    /// <summary>Marks an interpolated value as a resource id.</summary>
    public static ResourceId Id(string? id) => new(id ?? "");

    /// <summary>Marks a port (or another number the diagnosis read as an id) as a resource, in the invariant culture.</summary>
    public static ResourceId Id(int port) => new(port.ToString(CultureInfo.InvariantCulture));

    /// <summary>A sentence of one resource id.</summary>
    public static Sentence Resource(string? id) => string.IsNullOrEmpty(id) ? Empty : new([new SentencePart(PartKind.Resource, id)]);

    /// <summary>Resource ids separated by the project's <paramref name="separator"/>: <c>subnet-1, subnet-2</c>.</summary>
    public static Sentence Ids(IEnumerable<string?> ids, string separator = ", ")
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Join(separator, ids.Select(Resource));
    }

    /// <summary>Resource ids as a list in words: <c>a</c>, <c>a and b</c>, <c>a, b and c</c>.</summary>
    public static Sentence IdList(IEnumerable<string?> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var all = ids.ToList();
        return all.Count <= 1 ? Ids(all) : Of($"{Ids(all.Take(all.Count - 1))} and {Id(all[^1])}");
    }

    /// <summary>Sentences separated by the project's <paramref name="separator"/>.</summary>
    public static Sentence Join(string separator, IEnumerable<Sentence> sentences)
    {
        ArgumentNullException.ThrowIfNull(separator);
        ArgumentNullException.ThrowIfNull(sentences);
        var parts = new List<SentencePart>();
        var first = true;
        foreach (var sentence in sentences)
        {
            if (!first)
            {
                Append(parts, PartKind.Text, separator);
            }

            first = false;
            foreach (var p in sentence.Parts)
            {
                Append(parts, p.Kind, p.Text);
            }
        }

        return new Sentence(parts.ToArray());
    }

    /// <summary>Adds a run, merging it into the last one when both are words or both are values (ids stay apart).</summary>
    internal static void Append(List<SentencePart> parts, PartKind kind, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (kind != PartKind.Resource && parts.Count > 0 && parts[^1].Kind == kind)
        {
            parts[^1] = new SentencePart(kind, parts[^1].Text + text);
            return;
        }

        parts.Add(new SentencePart(kind, text));
    }

    /// <summary>Renders every part with the renderer's choice per kind.</summary>
    public string Render(Func<SentencePart, string> part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var sb = new StringBuilder();
        foreach (var p in Parts)
        {
            sb.Append(part(p));
        }

        return sb.ToString();
    }

    public bool Equals(Sentence? other) => other is not null && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => Plain.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Plain;
}

/// <summary>A resource id placed in a <see cref="Sentence"/>.</summary>
public readonly record struct ResourceId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>Collects the parts of <see cref="Sentence.Of"/>.</summary>
[InterpolatedStringHandler]
public ref struct SentenceHandler
{
    private readonly List<SentencePart> _parts;

    public SentenceHandler(int literalLength, int formattedCount)
    {
        _ = literalLength;
        _parts = new List<SentencePart>(formattedCount * 2 + 1);
    }

    public readonly void AppendLiteral(string value) => Add(PartKind.Text, value);

    public readonly void AppendFormatted(ResourceId id) => Add(PartKind.Resource, id.Value);

    public readonly void AppendFormatted(Sentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        foreach (var p in sentence.Parts)
        {
            Add(p.Kind, p.Text);
        }
    }

    public readonly void AppendFormatted(string? value) => Add(PartKind.Value, value ?? "");

    public readonly void AppendFormatted<T>(T value) => Add(PartKind.Value, Format(value, null));

    public readonly void AppendFormatted<T>(T value, string? format) => Add(PartKind.Value, Format(value, format));

    internal readonly Sentence Build() => new(_parts.ToArray());

    private readonly void Add(PartKind kind, string text) => Sentence.Append(_parts, kind, text);

    private static string Format<T>(T value, string? format) => value switch
    {
        null => "",
        IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
