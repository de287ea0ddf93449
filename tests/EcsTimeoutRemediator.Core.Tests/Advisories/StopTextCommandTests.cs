using System.Reflection;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Tests.Diagnosis;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Advisories;

/// <summary>
/// Commands carry only ids the diagnosis or the event's own fields named: a value extracted from a stop message
/// (image, registry host, secret, log group, file system, endpoint host, target group) never reaches one. Where the
/// infrastructure was read its value is used, even when the stop message names another; else a quoted placeholder.
/// </summary>
public sealed partial class StopTextCommandTests
{
    private const string EvilImage = "evil;rm -rf ~";
    private const string OtherImage = "999999999999.dkr.ecr.us-east-1.amazonaws.com/evil/api:6.6.6";
    private const string OtherTargetGroup = "arn:aws:elasticloadbalancing:us-east-1:999999999999:targetgroup/evil-tg/0000000000000000";
    private const string OtherSecret = "arn:aws:secretsmanager:us-east-1:999999999999:secret:evil/api-key";
    private const string EvilSecret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:x;rm -rf ~";
    private const string OtherFileSystem = "fs-0e0e0e0e0e0e0e0e0";
    private const string EvilLogGroup = "/ecs/evil$(id)";
    private const string EvilHost = "evil.example.com";

    /// <summary>Every value the stop message smuggles in, by a token no real id of the tests holds.</summary>
    private static readonly string[] Smuggled = ["evil", "999999999999", OtherFileSystem, "rm -rf"];

    private static readonly string[] Events =
        [.. Category.All.Where(x => !Category.IsBenign(x)).Select(EventFiles.NameOf)];

    private static readonly string[] Fixes =
        [.. typeof(FixId).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];

    /// <summary>The evidence as a stop message carrying hostile or other values would leave it.</summary>
    private static Evidence Hostile(Evidence e) => e with
    {
        Image = EvilImage,
        RegistryHost = EvilHost,
        TargetGroupArn = OtherTargetGroup,
        SecretArns = [OtherSecret, EvilSecret],
        LogGroup = EvilLogGroup,
        FileSystemId = OtherFileSystem,
        EndpointHost = EvilHost,
    };

    [Fact]
    public async Task For_WhenTheStopMessageCarriesHostileOrOtherValues_ShouldKeepThemOutOfEveryCommandOfEveryFix()
    {
        var steps = new List<NextStep>();
        foreach (var name in Events)
        {
            var e = Load(name, stripImages: true);
            var c = Classifier.Classify(e.Facts);
            var context = await ContextAsync(e, c);
            var hostile = c with { Actionable = true, Fixes = Fixes, Evidence = Hostile(c.Evidence) };
            steps.AddRange(NextSteps.For(e, hostile));
            steps.AddRange(NextSteps.For(e, hostile, context));
            steps.AddRange(NextSteps.For(null, hostile));
        }

        var leaks = steps.Where(s => Smuggled.Any(x => s.Command.Contains(x, StringComparison.Ordinal) || s.Title.Contains(x, StringComparison.Ordinal)))
            .Select(s => $"{s.Fix}: {s.Title} :: {s.Command}").Distinct().ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        Assert.True(steps.Count > 1000, $"only {steps.Count} steps");

        // Each command still pastes exactly: split by bash, it gives back its argv.
        var distinct = steps.DistinctBy(s => s.Command, StringComparer.Ordinal).ToList();
        var split = CommandQuotingTests.ShellSplit([.. distinct.Select(s => s.Command)]);
        Assert.Equal(distinct.Count, split.Count);
        for (var i = 0; i < distinct.Count; i++)
        {
            Assert.Equal(distinct[i].Argv.SelectMany(argv => argv).ToList(), split[i]);
        }
    }

    [Theory]
    [InlineData(FixId.FixImageReference)]
    [InlineData(FixId.MatchRuntimePlatform)]
    [InlineData(FixId.RebuildImage)]
    public async Task For_WhenTheStopMessageNamesAnotherImage_ShouldUseTheTaskDefinitionsImage(string fix)
    {
        var e = Load("image-pull-not-found", stripImages: true, reason => reason.Replace("docker.io/acme/storefront:v3.1.0-rc1", OtherImage, StringComparison.Ordinal));
        var c = Classifier.Classify(e.Facts) with { Fixes = [fix] };
        Assert.Equal(OtherImage, c.Evidence.Image);

        var read = Commands(NextSteps.For(e, c, await ContextAsync(e, c)), fix);
        var unread = Commands(NextSteps.For(e, c), fix);

        Assert.Contains(read, x => x.Contains("payments/api", StringComparison.Ordinal) || x.Contains(HealthyAccount.Image, StringComparison.Ordinal));
        Assert.Contains(unread, x => x.Contains("'<image>'", StringComparison.Ordinal));
        Assert.DoesNotContain(read.Concat(unread), x => x.Contains("evil", StringComparison.Ordinal) || x.Contains("999999999999", StringComparison.Ordinal));
    }

    [Fact]
    public async Task For_WhenTheStopMessageNamesAHostileImage_ShouldUseTheTaskDefinitionsImageOrThePlaceholder()
    {
        var e = Load("image-pull-not-found", stripImages: true);
        var c = Classifier.Classify(e.Facts) with { Fixes = [FixId.FixImageReference, FixId.MatchRuntimePlatform, FixId.RebuildImage] };
        c = c with { Evidence = c.Evidence with { Image = EvilImage } };

        var read = NextSteps.For(e, c, await ContextAsync(e, c)).Select(s => s.Command).ToList();
        var unread = NextSteps.For(e, c).Select(s => s.Command).ToList();

        Assert.Contains(read, x => x.Contains("--repository-name payments/api --image-ids imageTag=1.42.0", StringComparison.Ordinal));
        Assert.Contains($"docker manifest inspect {HealthyAccount.Image}", read);
        Assert.Contains("docker manifest inspect '<image>'", unread);
        Assert.DoesNotContain(read.Concat(unread), x => x.Contains("evil", StringComparison.Ordinal) || x.Contains("rm -rf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task For_WhenTheStopMessageNamesATargetGroupTheServiceDoesNotUse_ShouldUseTheServicesTargetGroup()
    {
        var e = Load("health-elb", stripImages: false, reason => reason.Replace(Scenarios.TargetGroupArn, OtherTargetGroup, StringComparison.Ordinal));
        var c = Classifier.Classify(e.Facts) with { Fixes = [FixId.FixHealthCheck] };
        Assert.Equal(OtherTargetGroup, c.Evidence.TargetGroupArn);
        var context = await ContextAsync(e, c);
        Assert.Equal(OtherTargetGroup, context.LoadBalancer?.TargetGroup?.TargetGroupArn);

        var read = Commands(NextSteps.For(e, c, context), FixId.FixHealthCheck);
        var unread = Commands(NextSteps.For(e, c), FixId.FixHealthCheck);

        Assert.Contains($"aws elbv2 describe-target-health --region us-east-1 --target-group-arn {Scenarios.TargetGroupArn}", read);
        Assert.Contains("aws elbv2 describe-target-health --region us-east-1 --target-group-arn '<target-group-arn>'", unread);
        Assert.DoesNotContain(read.Concat(unread), x => x.Contains(OtherTargetGroup, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("efs-network", FixId.AddEfsMountTarget)]
    [InlineData("efs-permission", FixId.GrantTaskRolePermissions)]
    public async Task For_WhenTheStopMessageNamesAnotherFileSystem_ShouldUseTheTaskDefinitionsFileSystem(string name, string fix)
    {
        var e = Load(name, stripImages: false, reason => FileSystemIn().IsMatch(reason) ? FileSystemIn().Replace(reason, OtherFileSystem) : $"{reason} ({OtherFileSystem})");
        var c = Classifier.Classify(e.Facts) with { Fixes = [fix] };
        Assert.Equal(OtherFileSystem, c.Evidence.FileSystemId);

        var read = Commands(NextSteps.For(e, c, await ContextAsync(e, c)), fix);
        var unread = Commands(NextSteps.For(e, c), fix);

        Assert.Contains(read, x => x.Contains($"--file-system-id {HealthyAccount.FileSystem}", StringComparison.Ordinal));
        Assert.Contains(unread, x => x.Contains("--file-system-id '<file-system-id>'", StringComparison.Ordinal));
        Assert.DoesNotContain(read.Concat(unread), x => x.Contains(OtherFileSystem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task For_WhenTheStopMessageNamesAnotherSecret_ShouldCheckTheTaskDefinitionsSecrets()
    {
        var original = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payouts/api-key";
        var e = Load("secrets-not-found", stripImages: false, reason => reason.Replace(original, OtherSecret, StringComparison.Ordinal));
        var c = Classifier.Classify(e.Facts) with { Fixes = [FixId.FixSecretReference] };
        Assert.Equal([OtherSecret], c.Evidence.SecretArns);

        var read = Commands(NextSteps.For(e, c, await ContextAsync(e, c)), FixId.FixSecretReference);
        var unread = Commands(NextSteps.For(e, c), FixId.FixSecretReference);

        Assert.Equal([$"aws secretsmanager describe-secret --region us-east-1 --secret-id {HealthyAccount.Secret}"], read);
        Assert.Equal(["aws secretsmanager describe-secret --region us-east-1 --secret-id '<secret-or-parameter-arn>'"], unread);
    }

    [Fact]
    public async Task For_WhenTheStopMessageNamesOneOfTheTaskDefinitionsSecrets_ShouldCheckThatOneByItsOwnArn()
    {
        var e = Load("secrets-not-found", stripImages: false);
        var c = Classifier.Classify(e.Facts) with { Fixes = [FixId.FixSecretReference] };
        var named = c.Evidence.SecretArns![0];
        var context = await ContextAsync(e, c, td => td with
        {
            Containers = [td.Containers[0] with { SecretValueFrom = [$"{named}:password::", HealthyAccount.Secret, "/prod/payouts/token"] }],
        });

        var read = Commands(NextSteps.For(e, c, context), FixId.FixSecretReference);
        var all = Commands(NextSteps.For(e, c with { Evidence = c.Evidence with { SecretArns = null } }, context), FixId.FixSecretReference);

        Assert.Equal([$"aws secretsmanager describe-secret --region us-east-1 --secret-id {named}"], read);
        Assert.Equal(
            [
                $"aws secretsmanager describe-secret --region us-east-1 --secret-id {named}",
                $"aws secretsmanager describe-secret --region us-east-1 --secret-id {HealthyAccount.Secret}",
                "aws ssm get-parameters --region us-east-1 --names /prod/payouts/token --query InvalidParameters",
            ],
            all);
    }

    [Fact]
    public async Task For_WhenTheStopMessageNamesAnotherLogGroup_ShouldCreateTheTaskDefinitionsLogGroup()
    {
        var e = Load("logs-not-found", stripImages: false);
        var c = Classifier.Classify(e.Facts) with { Fixes = [FixId.CreateLogGroup] };
        c = c with { Evidence = c.Evidence with { LogGroup = EvilLogGroup } };

        var read = Commands(NextSteps.For(e, c, await ContextAsync(e, c)), FixId.CreateLogGroup);
        var unread = Commands(NextSteps.For(e, c), FixId.CreateLogGroup);

        Assert.Contains($"aws logs create-log-group --region us-east-1 --log-group-name {HealthyAccount.LogGroup}", read);
        Assert.Contains("aws logs create-log-group --region us-east-1 --log-group-name '<log-group>'", unread);
        Assert.DoesNotContain(read.Concat(unread), x => x.Contains("evil", StringComparison.Ordinal));
    }

    private static List<string> Commands(IEnumerable<NextStep> steps, string fix) =>
        [.. steps.Where(s => s.Fix == fix).Select(s => s.Command)];

    [System.Text.RegularExpressions.GeneratedRegex("fs-[0-9a-f]{8,17}")]
    private static partial System.Text.RegularExpressions.Regex FileSystemIn();

    /// <summary>An event file, its containers without images when <paramref name="stripImages"/> (so only the task
    /// definition names the image), its stop reason changed by <paramref name="reason"/>.</summary>
    private static TaskStoppedEvent Load(string name, bool stripImages, Func<string, string>? reason = null)
    {
        var json = JsonNode.Parse(EventFiles.Read(name))!;
        var detail = json["detail"]!;
        if (reason is not null)
        {
            detail["stoppedReason"] = reason((string?)detail["stoppedReason"] ?? "");
            foreach (var container in detail["containers"]?.AsArray() ?? [])
            {
                if (container?["reason"] is { } r)
                {
                    container["reason"] = reason((string?)r ?? "");
                }
            }
        }

        if (stripImages)
        {
            foreach (var container in detail["containers"]?.AsArray() ?? [])
            {
                container?.AsObject().Remove("image");
            }
        }

        return EventParser.Parse(json.ToJsonString()) is ParseResult.Parsed p ? p.Event : throw new InvalidOperationException($"{name} no longer parses");
    }

    /// <summary>
    /// The healthy account (with an EFS volume) under the event's task definition and service; the target group
    /// the tests' stop messages name instead exists too, but the service does not send traffic to it.
    /// </summary>
    private static Task<InfrastructureContext> ContextAsync(TaskStoppedEvent e, ClassificationResult c, Func<TaskDefinitionFacts, TaskDefinitionFacts>? change = null)
    {
        var a = HealthyAccount.Create();
        var arn = e.Task.TaskDefinitionArn ?? HealthyAccount.TaskDefinitionArn;
        var container = e.Task.Containers is { Count: > 0 } cs && cs[0].Name is { Length: > 0 } n ? n : "api";
        var td = a.TaskDefinitions[HealthyAccount.TaskDefinitionArn];
        td = td with { TaskDefinitionArn = arn, Containers = [td.Containers[0] with { Name = container }] };
        a.TaskDefinitions[arn] = change is null ? td : change(td);
        HealthyAccount.WithEfs(a);
        if (e.ServiceName is { } service)
        {
            a.Services[service] = Scenarios.Service(service) with
            {
                TaskDefinitionArn = arn,
                PlatformVersion = "LATEST",
                LoadBalancers = [new ServiceLoadBalancer(Scenarios.TargetGroupArn, null, container, 8080)],
            };
        }

        a.TargetGroups[OtherTargetGroup] = a.TargetGroups[Scenarios.TargetGroupArn] with { TargetGroupArn = OtherTargetGroup };
        return HealthyAccount.Gatherer(a).GatherAsync(e, c, CancellationToken.None);
    }
}
