namespace EcsTimeoutRemediator.Advisories;

/// <summary>POSIX shell quoting for values placed into copy-paste commands.</summary>
public static class Shell
{
    /// <summary>Leaves plain tokens (ids, ARNs) as they are; single-quotes anything else.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value.AsSpan().IndexOfAnyExcept(SafeChars) < 0)
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>One command line: every argument quoted as <see cref="Quote"/> does, joined by spaces.</summary>
    public static string Join(IEnumerable<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        return string.Join(' ', argv.Select(Quote));
    }

    private static readonly System.Buffers.SearchValues<char> SafeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@=,+%");
}
