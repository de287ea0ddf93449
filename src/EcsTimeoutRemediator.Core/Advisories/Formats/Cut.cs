namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>Length limits for the chat formats: cut with a marker, never inside a surrogate pair.</summary>
public static class Cut
{
    /// <summary>At most <paramref name="max"/> UTF-16 code units; when cut, the text ends in <paramref name="marker"/>.</summary>
    public static string Chars(string value, int max, string marker = Text.Marker)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(marker);
        if (value.Length <= max)
        {
            return value;
        }

        if (marker.Length >= max)
        {
            return Text.Truncate(marker, Math.Max(max, 0));
        }

        var cut = max - marker.Length;
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return value[..cut] + marker;
    }
}
