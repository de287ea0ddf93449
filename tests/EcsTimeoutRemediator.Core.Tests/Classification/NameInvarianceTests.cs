using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcsTimeoutRemediator.Tests.Classification;

/// <summary>
/// Users name their repositories, secrets, roles, log groups and services as they like, and a name made of the
/// words the classifier reads ("efs-sync", "timeout-proxy", "error-reporter") must not change what a failure means.
/// Every line of every corpus is classified again with its names replaced, and must land where it landed before; a
/// benign stop may become advised (a name that reads as a failure is not proof of harm, and silence needs proof).
/// </summary>
public partial class NameInvarianceTests
{
    // Words that mean something in a stop message, as they occur in real resource names.
    private static readonly string[] Words =
    [
        "efs", "nfs", "timeout", "timed-out", "spot", "deployment", "maintenance", "user", "healthcheck", "unhealthy",
        "error", "failed", "logs", "log-group", "secret", "secrets", "ssm", "kms", "denied", "unauthorized", "forbidden",
        "notfound", "not-found", "oom", "memory", "arm64", "platform", "eni", "retire", "scale-in", "draining", "throttle",
        "429", "x509", "unpack", "placement", "capacity", "firelens", "awslogs", "envoy", "ecr", "docker-login", "elb",
        "target-group", "cni", "fs-0", "invalid", "cannot", "crash", "ratelimit", "stoptask", "autoscaling",
    ];

    private static readonly Lazy<IReadOnlyList<StopFacts>> Lines = new(() => [.. Corpora.AllStops()]);

    private static Arbitrary<string> ResourceNames() =>
        Gen.Elements(Words).ListOf().Where(w => w.Count is >= 1 and <= 3)
            .Zip(Gen.Elements("-", "_", "."), (w, sep) => string.Join(sep, w))
            .ToArbitrary();

    [Property(MaxTest = 60)]
    public Property Classify_WhenNamesInACorpusLineAreReplaced_ShouldKeepItsCategory() =>
        Prop.ForAll(ResourceNames(), name =>
        {
            var changed = new List<string>();
            var renamedAny = 0;
            foreach (var facts in Lines.Value)
            {
                var renamed = facts with
                {
                    StoppedReason = Rename(facts.StoppedReason, name),
                    Containers = facts.Containers?.Select(c => c with { Reason = Rename(c.Reason, name) }).ToList(),
                };
                if (renamed.StoppedReason == facts.StoppedReason
                    && (facts.Containers ?? []).Select(c => c.Reason).SequenceEqual((renamed.Containers ?? []).Select(c => c.Reason)))
                {
                    continue;
                }

                renamedAny++;
                var before = Classifier.Classify(facts).Category;
                var after = Classifier.Classify(renamed).Category;
                // A name may keep a benign stop from being silenced (it is not proof of harm, but silence needs proof),
                // never the reverse, and it never moves a failure to another category.
                if (before != after && !(Category.IsBenign(before) && !Category.IsBenign(after)))
                {
                    changed.Add($"{before} → {after}: {renamed.StoppedReason} | {string.Join(" | ", (renamed.Containers ?? []).Select(c => c.Reason))}");
                }
            }

            return (renamedAny > 150 && changed.Count == 0).Label($"{renamedAny} lines renamed to '{name}', {changed.Count} changed:\n{string.Join('\n', changed.Take(5))}");
        });

    [Theory]
    [InlineData("Stopped by user arn:aws:iam::111122223333:user/release-bot", "UserInitiated", Category.BenignUser)]
    [InlineData("Stopped by user arn:aws:iam::111122223333:user/error-reporter", "UserInitiated", Category.Unknown)]
    [InlineData("CannotPullContainerError: Error response from daemon: pull access denied for 123456789012.dkr.ecr.eu-west-1.amazonaws.com/efs-sync, repository does not exist or may require 'docker login': denied: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: ecr:BatchGetImage", null, Category.ImagePullPermission)]
    [InlineData("CannotPullContainerError: Error response from daemon: manifest for 123456789012.dkr.ecr.eu-west-1.amazonaws.com/log-router:timeout-fix not found: manifest unknown: Requested image not found", null, Category.ImagePullNotFound)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:efs-timeout-config-Ab12Cd from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.", "TaskFailedToStart", Category.SecretsNotFound)]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: /prod/timeout-seconds", "TaskFailedToStart", Category.SecretsNotFound)]
    [InlineData("CannotPullContainerError: inspect image has been retried 1 time(s): httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/acme/timeout-proxy/manifests/sha256:2d964e1d: 503 Service Unavailable", "TaskFailedToStart", Category.Unknown)]
    [InlineData("(service healthcheck-api) is unable to consistently start tasks successfully.", null, Category.Unknown)]
    public void Classify_WhenANameIsMadeOfMarkerWords_ShouldClassifyByWhatECSWrote(string reason, string? stopCode, string expected) =>
        Assert.Equal(expected, Classifier.Classify(reason, stopCode).Category);

    [Theory]
    [InlineData("pull access denied for 123456789012.dkr.ecr.eu-west-1.amazonaws.com/efs-sync, repository", "pull access denied for 123456789012.dkr.ecr.eu-west-1.amazonaws.com/x, repository")]
    [InlineData("Get https://registry-1.docker.io/v2/library/efs/manifests/latest: 429 Too Many Requests", "Get https://registry-1.docker.io/v2/library/x/manifests/x: 429 Too Many Requests")]
    [InlineData("failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:efs-db-Ab12Cd from secrets manager", "failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:x from secrets manager")]
    [InlineData("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/spot-web/0123abcd)", "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x)")]
    [InlineData("(service deploy-bot) was unable to place a task.", "(service x) was unable to place a task.")]
    [InlineData("service [timeout-worker] was unable to place a task", "service [x] was unable to place a task")]
    [InlineData("unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: /app/efs-token", "unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: x")]
    [InlineData("dependency graph: failed to resolve container ordering dependency [efs-init(quay.io/acme/init:1) (STOPPED->STOPPED) - Exit: 1]", "dependency graph: failed to resolve container ordering dependency [x(quay.io/x/x) (STOPPED->STOPPED) - Exit: 1]")]
    [InlineData("failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Ftimeout%3Apull&service=ghcr.io: 401", "failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?x: 401")]
    public void Apply_WhenTheTextNamesResources_ShouldMaskOnlyTheNames(string text, string expected) =>
        Assert.Equal(expected, NameMask.Apply(text));

    [Theory]
    [InlineData("Timeout waiting for network interface provisioning to complete.")]
    [InlineData("CannotPullContainerError: toomanyrequests: see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html")]
    [InlineData("the service scheduler has stopped 1 running tasks")]
    [InlineData("ResourceInitializationError: unable to pull secrets or registry auth: service call has been retried 3 time(s): dial tcp 52.94.48.112:443: i/o timeout")]
    public void Apply_WhenTheTextNamesNothingAUserChose_ShouldLeaveItAsItIs(string text) =>
        Assert.Equal(text, NameMask.Apply(text));

    private static string? Rename(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }

        // Only the name of each resource changes: the ARN's service and resource type, and the registry host, stay.
        var renamed = ArnName().Replace(text, m => m.Groups["head"].Value + name);
        renamed = RepositoryName().Replace(renamed, m => m.Groups["head"].Value + name);
        return ServiceName().Replace(renamed, m => m.Groups["head"].Value + name + ")");
    }

    [GeneratedRegex(@"(?<head>arn:aws[\w-]*:[\w-]+:[\w-]*:\d*:(?:secret:|parameter/|assumed-role/|role/|user/|targetgroup/|log-group:/ecs/|repository/|service/[\w-]+/))[\w.+=@-]+?(?=-[A-Za-z0-9]{6}\b|[/\s:,'""]|$)")]
    private static partial Regex ArnName();

    [GeneratedRegex(@"(?<head>(?:\d{12}\.dkr\.ecr\.[\w-]+\.amazonaws\.com|registry-1\.docker\.io/v2|docker\.io|ghcr\.io|quay\.io|public\.ecr\.aws|registry\.gitlab\.com)/(?:library/)?(?:[a-z0-9-]+/)?)[a-z0-9][a-z0-9._-]*(?=[:/@""\s,]|$)")]
    private static partial Regex RepositoryName();

    [GeneratedRegex(@"(?<head>\(service )[\w-]+\)")]
    private static partial Regex ServiceName();
}
