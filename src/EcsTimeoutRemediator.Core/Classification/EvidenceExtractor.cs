using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Classification;

/// <summary>Pulls the concrete facts (hosts, ARNs, ids, codes) out of the stop messages for the chosen rule.</summary>
public static partial class EvidenceExtractor
{
    private const int MaxMatchedText = 1024;

    /// <param name="reasonSignals">The signals of the stopped reason.</param>
    /// <param name="containerSignals">The signals of each container's reason, in the order of <c>facts.Containers</c>.</param>
    public static Evidence Extract(StopFacts facts, ClassificationRule? rule, in StopSignals signals, Signal reasonSignals, Signal[] containerSignals)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(containerSignals);
        var containers = facts.Containers ?? [];
        var decisive = rule?.Decisive ?? Signal.None;

        // The container that carries the decisive message, else the first that failed.
        ContainerDetail? container = null;
        var containerIsDecisive = false;
        if (decisive != Signal.None)
        {
            for (var i = 0; i < containers.Count && i < containerSignals.Length; i++)
            {
                if ((containerSignals[i] & decisive) != 0)
                {
                    container = containers[i];
                    containerIsDecisive = true;
                    break;
                }
            }
        }

        container ??= FirstFailed(containers);

        // The container's own message when it carries the decision (EC2 launch type), else the stopped reason.
        var matched = containerIsDecisive ? container!.Reason
            : decisive != Signal.None && (reasonSignals & decisive) != 0 ? facts.StoppedReason
            : container?.Reason ?? facts.StoppedReason;

        var text = Join(facts.StoppedReason, containers);
        var category = rule?.Category ?? Category.Unknown;
        var family = rule?.Family ?? Category.Unknown;

        string? image = container?.Image;
        string? registryHost = null;
        if (family is "image-pull" || signals.Step is Step.Pull or Step.RegistryAuth)
        {
            image ??= ImageFromText(text) ?? FirstImage(containers);
            registryHost = text.Contains(".dkr.ecr", StringComparison.OrdinalIgnoreCase) && EcrHost().Match(text) is { Success: true } m
                ? m.Value
                : RegistryOf(image);
        }

        return new Evidence
        {
            MatchedText = Truncate(matched),
            StopCode = string.IsNullOrEmpty(facts.StopCode) ? null : facts.StopCode,
            ContainerName = container?.Name,
            ExitCode = container?.ExitCode,
            Image = image,
            RegistryHost = registryHost,
            TargetGroupArn = category == Category.HealthElb && text.Contains(":targetgroup/", StringComparison.Ordinal) && TargetGroupArn().Match(text) is { Success: true } tg ? tg.Value : null,
            SecretArns = family == "secrets" && text.Contains("arn:", StringComparison.Ordinal) ? SecretArnsIn(text) : null,
            LogGroup = family == "logs" && LogGroupName().Match(text) is { Success: true } lg ? lg.Groups[1].Value : null,
            FileSystemId = family == "efs" && text.Contains("fs-", StringComparison.Ordinal) && FileSystemIdPattern().Match(text) is { Success: true } fs ? fs.Value : null,
            HttpStatus = HttpStatusIn(text),
            EndpointHost = Category.IsBenign(category) ? null : EndpointHostIn(text),
        };
    }

    private static ContainerDetail? FirstFailed(IReadOnlyList<ContainerDetail> containers)
    {
        foreach (var c in containers)
        {
            if (!string.IsNullOrEmpty(c.Reason))
            {
                return c;
            }
        }

        foreach (var c in containers)
        {
            if (c.ExitCode is { } code && code != 0)
            {
                return c;
            }
        }

        return containers.Count == 1 ? containers[0] : null;
    }

    private static string? FirstImage(IReadOnlyList<ContainerDetail> containers)
    {
        foreach (var c in containers)
        {
            if (!string.IsNullOrEmpty(c.Image))
            {
                return c.Image;
            }
        }

        return null;
    }

    private static string Join(string? reason, IReadOnlyList<ContainerDetail> containers)
    {
        if (containers.Count == 0)
        {
            return reason ?? "";
        }

        var parts = new List<string>(containers.Count + 1);
        if (!string.IsNullOrEmpty(reason))
        {
            parts.Add(reason);
        }

        foreach (var c in containers)
        {
            if (!string.IsNullOrEmpty(c.Reason))
            {
                parts.Add(c.Reason);
            }
        }

        return string.Join('\n', parts);
    }

    private static string? Truncate(string? s) => s is null || s.Length <= MaxMatchedText ? s : s[..MaxMatchedText] + "…";

    /// <summary>The registry host of an image reference (<c>docker.io</c> when the reference names none).</summary>
    public static string? RegistryOf(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return null;
        }

        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return "docker.io";
        }

        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first
            : "docker.io";
    }

    private static string? ImageFromText(string text)
    {
        foreach (var regex in (ReadOnlySpan<Regex>)[PullAccessDeniedFor(), ResolveRef(), ImageQuoted(), ManifestFor()])
        {
            if (regex.Match(text) is { Success: true } m)
            {
                return m.Groups[1].Value.TrimEnd(':', '.', ',');
            }
        }

        return null;
    }

    private static List<string>? SecretArnsIn(string text)
    {
        List<string>? arns = null;
        foreach (Match m in SecretArn().Matches(text))
        {
            arns ??= [];
            if (!arns.Contains(m.Value))
            {
                arns.Add(m.Value);
            }
        }

        return arns;
    }

    private static int? HttpStatusIn(string text)
    {
        if (!text.AsSpan().ContainsAny(StatusHints))
        {
            return null;
        }

        var m = HttpStatus().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var digits = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
        return int.TryParse(digits, out var status) ? status : null;
    }

    private static readonly System.Buffers.SearchValues<string> StatusHints = System.Buffers.SearchValues.Create(
        ["status", "api error (", "http/1", "401 ", "403 ", "404 ", "429 ", "500 ", "502 ", "503 ", "504 "], StringComparison.OrdinalIgnoreCase);

    private static string? EndpointHostIn(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        var m = UrlHost().Match(text);
        return m.Success ? m.Groups[1].Value : null;
    }

    [GeneratedRegex(@"\b\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EcrHost();

    [GeneratedRegex(@"pull access denied for ([^\s,]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PullAccessDeniedFor();

    [GeneratedRegex(@"failed to resolve ref(?:erence)?:? ""?([^\s"",]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ResolveRef();

    [GeneratedRegex(@"(?:pull image|pulling image|image)(?: manifest has been retried \d+ time\(s\): [a-z ]+)? ""([^\s""]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImageQuoted();

    [GeneratedRegex(@"manifest for ([^\s,]+) not found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ManifestFor();

    [GeneratedRegex(@"arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[A-Za-z0-9-]+/[0-9a-f]+", RegexOptions.CultureInvariant)]
    private static partial Regex TargetGroupArn();

    [GeneratedRegex(@"arn:aws[a-z-]*:(?:secretsmanager|ssm):[a-z0-9-]+:\d{12}:(?:secret:|parameter/)[^\s,""'\]\)]+", RegexOptions.CultureInvariant)]
    private static partial Regex SecretArn();

    [GeneratedRegex(@"(?:log group|awslogs-group)[ =:'""]+(?!does\b)(/?[A-Za-z0-9_./#-]{2,}[A-Za-z0-9_#-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LogGroupName();

    [GeneratedRegex(@"\bfs-[0-9a-f]{8,17}\b", RegexOptions.CultureInvariant)]
    private static partial Regex FileSystemIdPattern();

    [GeneratedRegex(@"(?:API error \(|status(?: code)?:? ?|statuscode: ?|HTTP/1\.[01] )([1-5]\d\d)\b|\b(40[13]|404|429|50[0234]) (?:Unauthorized|Forbidden|Not Found|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpStatus();

    [GeneratedRegex(@"https?://([A-Za-z0-9.-]+\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex UrlHost();
}
