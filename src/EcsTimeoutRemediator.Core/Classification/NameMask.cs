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

        var masked = ArnPattern().Replace(text, static m => m.Groups["prefix"].Value + Masked);
        masked = HostPathPattern().Replace(masked, MaskHostPath);
        masked = ServicePattern().Replace(masked, static m => m.Groups["lead"].Value + Masked + m.Groups["tail"].Value);
        masked = LeadingServicePattern().Replace(masked, static m => Masked + m.Groups["tail"].Value);
        masked = GraphContainerPattern().Replace(masked, "[" + Masked + "(");
        masked = NamedAfterPattern().Replace(masked, static m => m.Groups["lead"].Value + Masked);
        return masked;
    }

    private static string MaskHostPath(Match m)
    {
        var host = m.Groups["host"].Value;
        if (IsDocumentationHost(host))
        {
            return m.Value;
        }

        var path = m.Groups["path"].Value;
        var trimmed = path.TrimEnd(':', '.');
        var segments = trimmed.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Length > 0 && !IsProtocolSegment(segments[i]))
            {
                segments[i] = Masked;
            }
        }

        return host + "/" + string.Join('/', segments) + path[trimmed.Length..] + MaskQuery(m.Groups["query"].Value);
    }

    private static string MaskQuery(string query) =>
        query.Length == 0 ? "" : "?" + Masked + query[query.TrimEnd(':', '.').Length..];

    // The registry HTTP API's own path words, which say what was being fetched.
    private static bool IsProtocolSegment(string segment) =>
        segment is "v2" or "v1" or "manifests" or "blobs" or "tags" or "uploads" or "token" or "library" or "list";

    private static bool IsDocumentationHost(string host) =>
        host.EndsWith("aws.amazon.com", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("docker.com", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("repost.aws", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("github.com", StringComparison.OrdinalIgnoreCase);

    // arn:partition:service:region:account: then an optional resource type, then the name(s): the name goes.
    [GeneratedRegex(@"(?<prefix>\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:(?:[a-z][a-z0-9-]*(?:/|:(?!\d)))?)[^\s""'`,;()\[\]{}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();

    // host[:port]/path[?query]: a registry, a layer URL or an image reference; the path and query are names.
    [GeneratedRegex(@"(?<host>\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?|\blocalhost(?::\d+)?)/(?<path>[^\s""'`,;()\[\]{}?]*)(?<query>\?[^\s""'`,;()\[\]{}]*)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostPathPattern();

    // "(service orders-api)", "service [orders-api] was", "service orders-api is unable": the service's name.
    [GeneratedRegex(@"(?<lead>\(service |\bservice \[?)(?!(?:call|calls|scheduler|principal|account|quota|linked|connect|role|event|events|discovery|limit|is|was|has)\b)[^\s()\[\]]+(?<tail>\]?\)|\]?(?= (?:is|was|has|had|did|does|cannot|could) ))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ServicePattern();

    // A service event that opens with the service's name: "orders-api has stopped 1 running tasks ...".
    [GeneratedRegex(@"^[^\s()\[\]]+(?<tail> has (?:started|stopped|reached|begun|been) )", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingServicePattern();

    // The agent's dependency graph writes each container as name(image).
    [GeneratedRegex(@"\[[^\s()\[\]]+\(", RegexOptions.CultureInvariant)]
    private static partial Regex GraphContainerPattern();

    // Names that follow a fixed lead-in: SSM parameters, an image named without its registry.
    [GeneratedRegex(@"(?<lead>\binvalid ?parameters?: |\bpull access denied for |(?<!matching )\bmanifest for )(?![^\s,'""/]*\.[^\s,'""/]*/)[^\s,'""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamedAfterPattern();
}
