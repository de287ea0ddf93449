namespace EcsTimeoutRemediator.Vocabulary;

/// <summary>POSIX shell quoting for values placed into copy-paste commands.</summary>
public static class Shell
{
    /// <summary>Leaves plain tokens (ids, ARNs) as they are; single-quotes anything else.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsPlain(value))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>True when <paramref name="value"/> is one word the shell leaves as it is (an id, an ARN, a name).</summary>
    public static bool IsPlain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value.AsSpan().IndexOfAnyExcept(SafeChars) < 0;
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
