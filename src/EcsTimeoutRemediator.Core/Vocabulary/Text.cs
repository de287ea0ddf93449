using System.Text;

namespace EcsTimeoutRemediator.Vocabulary;

/// <summary>Text helpers that never cut a character in half.</summary>
public static class Text
{
    public const string Marker = "…";

    /// <summary>At most <paramref name="max"/> UTF-16 code units, ending in "…" when cut, never splitting a surrogate pair.</summary>
    public static string Truncate(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= max)
        {
            return value;
        }

        var cut = max - Marker.Length;
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return value[..Math.Max(cut, 0)] + Marker;
    }

    /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, ending in a marker when cut, never splitting a character.</summary>
    public static string TruncateUtf8(string value, int maxBytes, string marker = "\n… (cut)")
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(marker);
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount(marker);
        var sb = new StringBuilder();
        var used = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            var n = rune.Utf8SequenceLength;
            if (used + n > budget)
            {
                break;
            }

            sb.Append(rune.ToString());
            used += n;
        }

        return sb.Append(marker).ToString();
    }
}
