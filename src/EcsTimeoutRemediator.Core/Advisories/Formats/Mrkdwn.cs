using System.Text;

namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>
/// Text for the chat formats that render markdown (Slack mrkdwn, Chatbot client-markdown): the one place where
/// text from the account or the event becomes inert. &amp;, &lt; and &gt; are escaped, so no mention
/// (<c>&lt;!channel&gt;</c>), user link or disguised link (<c>&lt;https://…|click&gt;</c>) survives, and a code span
/// never carries a backtick that would end it early.
/// </summary>
public static class Mrkdwn
{
    /// <summary>
    /// &amp;, &lt; and &gt; as entities (all the escaping mrkdwn has), and a backtick, which mrkdwn cannot escape
    /// and which would open a code span, as a quote. Commands are only placed where <see cref="FitsCode"/> holds,
    /// so what they say is never changed.
    /// </summary>
    public static string Escape(string? value) => EscapeEntities(value).Replace('`', '\'');

    /// <summary>&amp;, &lt; and &gt; as entities, and nothing else: for text inside a code block.</summary>
    public static string EscapeEntities(string? value) =>
        (value ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>An inline code span of a value shown, not pasted: one line, backticks become quotes.</summary>
    public static string? Code(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : "`" + EscapeWithin(value.ReplaceLineEndings(" ").Replace('`', '\''), max) + "`";

    /// <summary>
    /// A finding's sentence for chat: every part escaped, ids and values as text (the project's words hold no markup,
    /// and a mistake stays inert). The parts stay apart in the document so that ids can later be shown as code.
    /// </summary>
    public static string Sentence(Diagnosis.Sentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        return Escape(sentence.Plain);
    }

    /// <summary>An inline code span of a command, when it can stand in one exactly (<see cref="FitsCode"/>); else null.</summary>
    public static string? CommandSpan(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return FitsCode(command) ? "`" + Escape(command) + "`" : null;
    }

    /// <summary>Whether <paramref name="command"/> can stand in a one-line code span exactly as it must be pasted
    /// (no backtick, which would end the span, and no line break, which a span cannot hold).</summary>
    public static bool FitsCode(string command) => command.AsSpan().IndexOfAny("`\r\n") < 0;

    /// <summary>Escapes <paramref name="raw"/> and keeps the result within <paramref name="max"/> characters
    /// without cutting an entity (&amp;amp;) or a surrogate pair. Inside a code block (<paramref name="inFence"/>)
    /// a backtick stays as it is: only a fence could end the block, and a command that holds one is not put in one.</summary>
    public static string EscapeWithin(string raw, int max, bool inFence = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var escaped = inFence ? EscapeEntities(raw) : Escape(raw);
        if (escaped.Length <= max)
        {
            return escaped;
        }

        var sb = new StringBuilder();
        var budget = max - Text.Marker.Length;
        for (var i = 0; i < raw.Length; i++)
        {
            var piece = raw[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '`' when !inFence => "'",
                _ when char.IsHighSurrogate(raw[i]) && i + 1 < raw.Length => raw.Substring(i, 2),
                _ => raw[i].ToString(),
            };
            if (sb.Length + piece.Length > budget)
            {
                break;
            }

            sb.Append(piece);
            i += piece.Length == 2 && char.IsHighSurrogate(piece[0]) ? 1 : 0;
        }

        return sb + Text.Marker;
    }

    /// <summary>Cuts already-escaped mrkdwn, backing off so that no entity is split.</summary>
    public static string EscapedCut(string mrkdwn, int max, string marker = Text.Marker)
    {
        ArgumentNullException.ThrowIfNull(mrkdwn);
        ArgumentNullException.ThrowIfNull(marker);
        if (mrkdwn.Length <= max)
        {
            return mrkdwn;
        }

        var cut = Cut.Chars(mrkdwn, max, marker);
        var body = cut[..^marker.Length];
        var amp = body.LastIndexOf('&');
        if (amp >= 0 && body.IndexOf(';', amp) < 0)
        {
            body = body[..amp];
        }

        // Nor is a code span or a fence left open: the cut backs off to before the one it fell into.
        var fences = body.Split("```");
        if (fences.Length % 2 == 0)
        {
            body = body[..body.LastIndexOf("```", StringComparison.Ordinal)];
        }

        var line = body.LastIndexOf('\n') + 1;
        var tail = body.AsSpan(line);
        if (body.Split("```").Length % 2 == 1 && !tail.Contains("```", StringComparison.Ordinal) && tail.Count('`') % 2 == 1)
        {
            body = body[..body.LastIndexOf('`')];
        }

        return body + marker;
    }
}
