using System.Globalization;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// The form fields of one AWS Query request: lists become <c>Name.member.N</c>, maps
/// <c>Name.entry.N.key</c>/<c>.value</c> (with the model's own key and value names). Order is kept.
/// </summary>
public sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>Adds a field unless <paramref name="value"/> is null.</summary>
    public QueryParameters Add(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (value is not null)
        {
            _fields.Add(new(name, value));
        }

        return this;
    }

    /// <summary>Adds an integer field unless <paramref name="value"/> is null.</summary>
    public QueryParameters Add(string name, int? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean field ("true"/"false") unless <paramref name="value"/> is null.</summary>
    public QueryParameters Add(string name, bool? value) =>
        Add(name, value is null ? null : value.Value ? "true" : "false");

    /// <summary>Adds <c>name.member.1</c> … <c>name.member.N</c>; nothing for a null or empty list.</summary>
    public QueryParameters AddList(string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            return this;
        }

        var index = 1;
        foreach (var value in values)
        {
            Add($"{name}.member.{index++}", value);
        }

        return this;
    }

    /// <summary>
    /// Adds one structure per list member: <paramref name="write"/> receives the member prefix
    /// (<c>name.member.N</c>) and adds its fields under it.
    /// </summary>
    public QueryParameters AddList<T>(string name, IEnumerable<T>? values, Action<QueryParameters, string, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (values is null)
        {
            return this;
        }

        var index = 1;
        foreach (var value in values)
        {
            write(this, $"{name}.member.{index++}", value);
        }

        return this;
    }

    /// <summary>
    /// Adds one map entry per item: <c>name.entry.N.{keyName}</c>, and <paramref name="writeValue"/> adds the
    /// value's fields under the prefix <c>name.entry.N.{valueName}</c>.
    /// </summary>
    public QueryParameters AddMap<T>(
        string name,
        IEnumerable<KeyValuePair<string, T>>? entries,
        string keyName,
        string valueName,
        Action<QueryParameters, string, T> writeValue)
    {
        ArgumentNullException.ThrowIfNull(writeValue);
        if (entries is null)
        {
            return this;
        }

        var index = 1;
        foreach (var (key, value) in entries)
        {
            var prefix = $"{name}.entry.{index++}";
            Add($"{prefix}.{keyName}", key);
            writeValue(this, $"{prefix}.{valueName}", value);
        }

        return this;
    }
}
