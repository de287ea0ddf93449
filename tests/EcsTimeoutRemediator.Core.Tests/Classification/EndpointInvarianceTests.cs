using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Classification;

namespace EcsTimeoutRemediator.Tests.Classification;

/// <summary>
/// The same failure reads differently in another partition or through another endpoint: China and GovCloud ARNs
/// and hosts, ECR's FIPS and dual-stack (IPv6) endpoints, the services' dual-stack <c>api.aws</c> names and IPv6
/// addresses. Every line of every corpus, rewritten that way, must land where it landed before.
/// </summary>
public partial class EndpointInvarianceTests
{
    public static TheoryData<string> Variants() => ["ecr-dual-stack", "ecr-fips", "china", "govcloud", "ipv6", "service-dual-stack"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Classify_WhenTheLineUsesAnotherPartitionOrEndpoint_ShouldKeepItsCategory(string variant)
    {
        var changed = new List<string>();
        var rewritten = 0;
        foreach (var facts in Corpora.AllStops())
        {
            var other = facts with
            {
                StoppedReason = Rewrite(variant, facts.StoppedReason),
                Containers = facts.Containers?.Select(c => c with { Reason = Rewrite(variant, c.Reason) }).ToList(),
            };
            if (other.StoppedReason == facts.StoppedReason
                && (facts.Containers ?? []).Select(c => c.Reason).SequenceEqual((other.Containers ?? []).Select(c => c.Reason)))
            {
                continue;
            }

            rewritten++;
            var before = Classifier.Classify(facts).Category;
            var after = Classifier.Classify(other).Category;
            if (before != after)
            {
                changed.Add($"{before} → {after}: {other.StoppedReason}");
            }
        }

        Assert.True(rewritten >= 20, $"only {rewritten} lines could be rewritten as {variant}");
        Assert.True(changed.Count == 0, $"{changed.Count} of {rewritten} lines changed category as {variant}:\n{string.Join('\n', changed)}");
    }

    private static string? Rewrite(string variant, string? text) => text is null ? null : variant switch
    {
        "ecr-dual-stack" => EcrApi().Replace(EcrRegistry().Replace(text, "$1.dkr-ecr.$2.on.aws"), "ecr.$1.api.aws"),
        "ecr-fips" => EcrApi().Replace(text.Replace("dkr.ecr.", "dkr.ecr-fips.", StringComparison.Ordinal), "ecr-fips.$1.amazonaws.com"),
        "china" => ArnPartition().Replace(ComHost().Replace(text, ".amazonaws.com.cn"), "arn:aws-cn:"),
        "govcloud" => ArnPartition().Replace(text, "arn:aws-us-gov:"),
        "ipv6" => Ipv4WithPort().Replace(text, "[2600:1f18:4a3:6902::1]:$1"),
        "service-dual-stack" => ServiceHost().Replace(text, "$1.$2.api.aws"),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "not a variant"),
    };

    [GeneratedRegex(@"(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com")]
    private static partial Regex EcrRegistry();

    [GeneratedRegex(@"api\.ecr\.([a-z0-9-]+)\.amazonaws\.com")]
    private static partial Regex EcrApi();

    [GeneratedRegex(@"\.amazonaws\.com\b(?!\.cn)")]
    private static partial Regex ComHost();

    [GeneratedRegex(@"arn:aws:")]
    private static partial Regex ArnPartition();

    [GeneratedRegex(@"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:(\d+)")]
    private static partial Regex Ipv4WithPort();

    [GeneratedRegex(@"\b(ssm|logs|secretsmanager|sts|kms|ecs)\.([a-z0-9-]+)\.amazonaws\.com")]
    private static partial Regex ServiceHost();
}
