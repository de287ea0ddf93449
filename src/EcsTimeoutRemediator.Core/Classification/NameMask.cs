using System.Text.RegularExpressions;

namespace EcsTimeoutRemediator.Classification;

/// <summary>
/// Hides the names a user chose before the markers are searched: a repository called <c>efs-sync</c>, a secret
/// called <c>timeout-config</c> or a service called <c>error-reporter</c> says nothing about why a task stopped.
/// Image references, URL paths and queries, ARN resource names, service names, the containers of the agent's
/// dependency graph and SSM parameter names become <c>x</c>; what ECS wrote around them (the registry host, the
/// ARN's service and resource type, <c>/v2/</c>) stays, because those name the step. Documentation links are ECS's
/// own words and stay whole.
/// </summary>
public static partial class NameMask
{
    private const string Masked = "x";

    /// <summary>The text with every user-chosen name replaced by <c>x</c>; the same text when it holds none.</summary>
    public static string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.IndexOfAny(['/', ':', '(', '[']) < 0)
        {
            return text;
        }

        // Each pattern runs only where its anchor occurs: most messages hold one or two kinds of name.
        var masked = text;
        if (masked.Contains("arn:", StringComparison.Ordinal))
        {
            masked = ArnPattern().Replace(masked, static m => m.Groups["prefix"].Value + Masked);
        }

        if (masked.Contains('/', StringComparison.Ordinal))
        {
            masked = MaskHostPaths(masked);
        }

        if (masked.Contains("ervice ", StringComparison.Ordinal))
        {
            masked = ServicePattern().Replace(masked, static m => m.Groups["lead"].Value + Masked + m.Groups["tail"].Value);
        }

        if (masked.Contains(" has ", StringComparison.Ordinal))
        {
            masked = LeadingServicePattern().Replace(masked, static m => Masked + m.Groups["tail"].Value);
        }

        if (masked.Contains('(', StringComparison.Ordinal) && masked.Contains('[', StringComparison.Ordinal))
        {
            masked = GraphContainerPattern().Replace(masked, "[" + Masked + "(");
        }

        if (masked.Contains("arameter", StringComparison.Ordinal) || masked.Contains("pull access denied", StringComparison.Ordinal) || masked.Contains("anifest for", StringComparison.Ordinal))
        {
            masked = NamedAfterPattern().Replace(masked, static m => m.Groups["lead"].Value + Masked);
        }

        return masked;
    }

    // Delimiters of a path or query: what ends an image reference or URL in a message.
    private static bool EndsPath(char c) => char.IsWhiteSpace(c) || c is '"' or '\'' or '`' or ',' or ';' or '(' or ')' or '[' or ']' or '{' or '}';

    private static bool IsHostChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    /// <summary>
    /// host[:port]/path[?query]: a registry, a layer URL or an image reference; the path and query are names. One
    /// pass anchored on each '/', walking back over the host (a dotted name ending in a letters-only label, or
    /// localhost), so the cost is paid only where a slash is.
    /// </summary>
    private static string MaskHostPaths(string text)
    {
        System.Text.StringBuilder? output = null;
        var copied = 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        while (slash >= 0)
        {
            var hostEnd = slash;
            var p = slash;
            while (p > 0 && char.IsAsciiDigit(text[p - 1]))
            {
                p--;
            }

            if (p < slash && p > 0 && text[p - 1] == ':')
            {
                hostEnd = p - 1;
            }

            var hostStart = hostEnd;
            while (hostStart > 0 && IsHostChar(text[hostStart - 1]))
            {
                hostStart--;
            }

            var host = text.AsSpan(hostStart, hostEnd - hostStart);
            if (!IsHost(host) || hostStart < copied)
            {
                slash = text.IndexOf('/', slash + 1);
                continue;
            }

            var pathEnd = slash + 1;
            while (pathEnd < text.Length && !EndsPath(text[pathEnd]) && text[pathEnd] != '?')
            {
                pathEnd++;
            }

            var queryEnd = pathEnd;
            if (queryEnd < text.Length && text[queryEnd] == '?')
            {
                while (queryEnd < text.Length && !EndsPath(text[queryEnd]))
                {
                    queryEnd++;
                }
            }

            if (!IsDocumentationHost(host))
            {
                output ??= new System.Text.StringBuilder(text.Length);
                output.Append(text, copied, slash + 1 - copied);
                AppendMaskedPath(output, text.AsSpan(slash + 1, pathEnd - slash - 1));
                if (queryEnd > pathEnd)
                {
                    output.Append(MaskQuery(text[pathEnd..queryEnd]));
                }

                copied = queryEnd;
            }

            slash = queryEnd < text.Length ? text.IndexOf('/', queryEnd) : -1;
        }

        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsHost(ReadOnlySpan<char> host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dot = host.LastIndexOf('.');
        if (dot <= 0 || host[0] is '.' or '-')
        {
            return false;
        }

        var tld = host[(dot + 1)..];
        if (tld.Length < 2)
        {
            return false;
        }

        foreach (var c in tld)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendMaskedPath(System.Text.StringBuilder output, ReadOnlySpan<char> path)
    {
        // A trailing ':' or '.' is the sentence's, not the name's.
        var trimmed = path.TrimEnd([':', '.']);
        var first = true;
        foreach (var range in trimmed.Split('/'))
        {
            if (!first)
            {
                output.Append('/');
            }

            first = false;
            var segment = trimmed[range];
            output.Append(segment.Length == 0 || IsProtocolSegment(segment) ? segment : Masked);
        }

        output.Append(path[trimmed.Length..]);
    }

    private static string MaskQuery(string query) =>
        query.Length == 0 ? "" : "?" + Masked + query[query.TrimEnd(':', '.').Length..];

    // The registry HTTP API's own path words, which say what was being fetched.
    private static bool IsProtocolSegment(ReadOnlySpan<char> segment) =>
        segment is "v2" or "v1" or "manifests" or "blobs" or "tags" or "uploads" or "token" or "library" or "list";

    private static bool IsDocumentationHost(ReadOnlySpan<char> host) =>
        host.EndsWith("aws.amazon.com", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("docker.com", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("repost.aws", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("github.com", StringComparison.OrdinalIgnoreCase);

    // arn:partition:service:region:account: then an optional resource type, then the name(s): the name goes.
    [GeneratedRegex(@"(?<prefix>\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:(?:[a-z][a-z0-9-]*(?:/|:(?!\d)))?)[^\s""'`,;()\[\]{}]+", RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();

    // "(service orders-api)", "service [orders-api] was", "service orders-api is unable": the service's name.
    [GeneratedRegex(@"(?<lead>\([Ss]ervice |\b[Ss]ervice \[?)(?!(?:call|calls|scheduler|principal|account|quota|linked|connect|role|event|events|discovery|limit|is|was|has)\b)[^\s()\[\]]+(?<tail>\]?\)|\]?(?= (?:is|was|has|had|did|does|cannot|could) ))", RegexOptions.CultureInvariant)]
    private static partial Regex ServicePattern();

    // A service event that opens with the service's name: "orders-api has stopped 1 running tasks ...".
    [GeneratedRegex(@"^[^\s()\[\]]+(?<tail> has (?:started|stopped|reached|begun|been) )", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingServicePattern();

    // The agent's dependency graph writes each container as name(image).
    [GeneratedRegex(@"\[[^\s()\[\]]+\(", RegexOptions.CultureInvariant)]
    private static partial Regex GraphContainerPattern();

    // Names that follow a fixed lead-in: SSM parameters, an image named without its registry.
    [GeneratedRegex(@"(?<lead>\b[Ii]nvalid ?[Pp]arameters?: |\b[Pp]ull access denied for |(?<!matching )\b[Mm]anifest for )(?![^\s,'""/]*\.[^\s,'""/]*/)[^\s,'""]+", RegexOptions.CultureInvariant)]
    private static partial Regex NamedAfterPattern();
}
