using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using static EcsTimeoutRemediator.Tests.Diagnosis.HealthyAccount;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>The checks a stop's category chooses, through the gatherer and the diagnoser, with the full set of readers.</summary>
public partial class EventDiagnosisTests
{
    /// <summary>The healthy account, with the event's service and task definition (its container and image).</summary>
    private static (FakeAccount Account, TaskStoppedEvent Event, ClassificationResult Classification) ForEvent(string name, Action<FakeAccount>? breakIt = null)
    {
        var e = EventFiles.Load(name);
        var c = Classifier.Classify(e.Facts);
        var a = Create();
        var arn = e.Task.TaskDefinitionArn!;
        var container = e.Task.Containers is { Count: > 0 } cs ? cs[0] : null;
        var td = a.TaskDefinitions[TaskDefinitionArn];
        var image = container?.Image ?? Image;
        a.TaskDefinitions[arn] = td with
        {
            TaskDefinitionArn = arn,
            Containers = [td.Containers[0] with { Name = container?.Name ?? "api", Image = image }],
        };
        if (ImageReference.Parse(image) is { IsEcr: true } r)
        {
            a.Repositories[$"{r.RegistryId}/{r.Repository}"] = new() { [r.Tag ?? r.Digest!] = "application/vnd.docker.distribution.manifest.v2+json" };
        }

        if (e.ServiceName is { } service)
        {
            a.Services[service] = Scenarios.Service(service) with { TaskDefinitionArn = arn, PlatformVersion = "LATEST", LoadBalancers = [new ServiceLoadBalancer(Scenarios.TargetGroupArn, null, container?.Name ?? "api", 8080)] };
        }

        breakIt?.Invoke(a);
        return (a, e, c);
    }

    private static async Task<(InfrastructureContext Context, IReadOnlyList<Finding> Findings)> DiagnoseAsync(FakeAccount a, TaskStoppedEvent e, ClassificationResult c)
    {
        var context = await Gatherer(a).GatherAsync(e, c, CancellationToken.None);
        return (context, FindingSentences.AssertWellFormed(Diagnoser.Diagnose(e, c, context)));
    }

    public static TheoryData<string> ActionableEvents()
    {
        var data = new TheoryData<string>();
        foreach (var category in Category.All.Where(x => !Category.IsBenign(x)))
        {
            data.Add(EventFiles.NameOf(category));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActionableEvents))]
    public async Task GatherAsync_WhenAnyActionableEventIsDiagnosedWithEveryReader_ShouldStayWithinTenReads(string name)
    {
        var (a, e, c) = ForEvent(name, x => WithEfs(x));

        var (context, _) = await DiagnoseAsync(a, e, c);

        Assert.InRange(a.Calls.Count, 0, ContextGatherer.MaxReadsPerEvent);
        Assert.Equal(a.Calls.Count, context.ReadCalls);
        Assert.Equal(a.Calls.Count, a.Calls.Distinct().Count() + a.Calls.Count(x => x == "ec2:DescribeVpcAttribute") - (a.Calls.Contains("ec2:DescribeVpcAttribute") ? 1 : 0));
    }

    [Fact]
    public async Task Diagnose_WhenAnImagePullIsDeniedAndTheRoleLacksBatchGetImage_ShouldLeadWithTheMissingPolicy()
    {
        var (a, e, c) = ForEvent("image-pull-permission", x => x.Roles[ExecutionRole].Remove((RolePermissions.BatchGetImage, "*")));

        var (context, findings) = await DiagnoseAsync(a, e, c);
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        var advisory = AdvisoryBuilder.Build(TaskIdentity.From(e), ranked, findings, NextSteps.For(e, ranked, context));

        Assert.Equal("execution-role", findings[0].Check);
        Assert.EndsWith("(execution role lacks ecr:BatchGetImage)", advisory.Subject, StringComparison.Ordinal);
        var policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/payments/ledger\"}]}";
        Assert.Equal(policy, findings[0].Detail);
        Assert.Contains(advisory.NextSteps, s => s.Command.Contains("aws iam put-role-policy --role-name apiExecutionRole", StringComparison.Ordinal) && s.Command.Contains(policy, StringComparison.Ordinal));
        // Only the ECR permissions were simulated for an image pull, not the logs or secrets ones.
        var simulation = Assert.Single(a.Simulations);
        Assert.DoesNotContain(RolePermissions.GetSecretValue, simulation.Actions);
    }

    [Fact]
    public async Task Diagnose_WhenSecretsTimedOutBehindAClosedEndpointGroup_ShouldLeadWithTheEndpointGroup()
    {
        var (a, e, c) = ForEvent("secrets-network", x =>
        {
            WithEndpointsOnly(x);
            x.SecurityGroups[^1] = x.SecurityGroups[^1] with { Inbound = [] };
        });

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.Equal("endpoint-security-group", findings[0].Check);
        Assert.Single(findings, f => f.IsProblem);
        Assert.Contains("secretsmanager (vpce-secretsmanager)", findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnose_WhenTheLogGroupIsMissing_ShouldLeadWithIt()
    {
        var (a, e, c) = ForEvent("logs-not-found", x => x.LogGroupNames.Clear());

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.Equal("log-group", findings[0].Check);
        Assert.Equal(FindingStatus.Missing, findings[0].Status);
        Assert.Contains("logs:DescribeLogGroups", a.Calls);
        Assert.DoesNotContain("ec2:DescribeRouteTables", a.Calls);
    }

    [Fact]
    public async Task Diagnose_WhenEfsHasNoMountTargetInTheZone_ShouldLeadWithTheZone()
    {
        var (a, e, c) = ForEvent("efs-network", x =>
        {
            WithEfs(x);
            x.MountTargets[0] = x.MountTargets[0] with { AvailabilityZone = "us-east-1c" };
        });

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.Equal("efs-mount-target", findings[0].Check);
        Assert.Single(findings, f => f.IsProblem);
        Assert.Contains("ec2:DescribeVpcAttribute", a.Calls);
    }

    [Fact]
    public async Task Diagnose_WhenHealthChecksProbeTheWrongPort_ShouldNameThePortAndTheGrace()
    {
        var (a, e, c) = ForEvent("health-elb", x => x.TargetGroups[Scenarios.TargetGroupArn] = x.TargetGroups[Scenarios.TargetGroupArn] with { HealthCheckPort = "80" });

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.Contains(findings, f => f.Check == "health-check-port" && f.Status == FindingStatus.Wrong);
        Assert.Contains(findings, f => f.Check == "load-balancer-security-group" && f.Status == FindingStatus.Ok);
        Assert.Contains("elasticloadbalancing:DescribeLoadBalancers", a.Calls);
    }

    [Fact]
    public async Task Diagnose_WhenTheContainerDiedWithinItsHealthCheckWindow_ShouldBlameTheStartPeriod()
    {
        var (a, e, c) = ForEvent("health-container");

        var (_, findings) = await DiagnoseAsync(a, e, c);

        var lead = findings[0];
        Assert.Equal("container-health-start-period", lead.Check);
        Assert.Equal(FixId.RaiseContainerHealthStartPeriod, lead.Fix);
    }

    [Fact]
    public async Task Diagnose_WhenTheImageIsMissingFromEcr_ShouldNameTheTag()
    {
        var (a, e, c) = ForEvent("image-pull-permission", x => x.Repositories.Clear());

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.Contains(findings, f => f.Check == "ecr-repository" && f.IsProblem);
    }

    [Fact]
    public async Task Diagnose_WhenTheNetworkAclBlocks443OnAPrivateNatPath_ShouldOfferTheAclFixFirst()
    {
        var (a, e, c) = ForEvent("image-pull-network", x =>
            x.NetworkAcls[0] = x.NetworkAcls[0] with { Entries = [new NetworkAclEntry(50, true, "-1", "0.0.0.0/0", null, null, false), .. x.NetworkAcls[0].Entries] });

        var (context, findings) = await DiagnoseAsync(a, e, c);
        var fixes = FixRanking.Rank(c.Fixes, findings, context);

        Assert.Equal("network-acl", findings[0].Check);
        Assert.Equal(FixId.OpenNetworkAcl, fixes[0]);
        Assert.Contains(NextSteps.For(e, c with { Fixes = fixes }, context), s => s.Command.Contains("create-network-acl-entry", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("X86_64", "linux/arm64", FindingStatus.Wrong)]
    [InlineData("ARM64", "linux/amd64,linux/arm64/v8", FindingStatus.Ok)]
    public async Task Diagnose_WhenAMultiPlatformImageIsPulledForAPlatform_ShouldCompareItsPlatformsWithTheTask(string cpu, string built, FindingStatus expected)
    {
        const string ListType = "application/vnd.docker.distribution.manifest.list.v2+json";
        var (a, e, c) = ForEvent("image-pull-platform", a =>
        {
            foreach (var (arn, td) in a.TaskDefinitions.ToList())
            {
                a.TaskDefinitions[arn] = td with { CpuArchitecture = cpu, OperatingSystemFamily = "LINUX" };
            }

            foreach (var repo in a.Repositories.Values)
            {
                foreach (var tag in repo.Keys.ToList())
                {
                    repo[tag] = ListType;
                }
            }

            a.ImagePlatforms["111122223333/batch/report-builder:2026.11.2"] = built.Split(',');
        });

        var (context, findings) = await DiagnoseAsync(a, e, c);

        Assert.Contains("ecr:BatchGetImage", a.Calls);
        Assert.Equal(built.Split(','), context.Registry!.Images[0].Platforms);
        var platform = Assert.Single(findings, f => f.Check == "image-platform");
        Assert.Equal(expected, platform.Status);
        if (expected == FindingStatus.Wrong)
        {
            Assert.Equal(FixId.MatchRuntimePlatform, platform.Fix);
            Assert.Equal("image has no linux/amd64 variant", platform.Headline);
            Assert.Same(platform, findings[0]);
        }
    }

    [Theory]
    [InlineData("ARM64", "linux/amd64", FindingStatus.Wrong)]
    [InlineData("ARM64", "linux/arm64", FindingStatus.Ok)]
    [InlineData(null, "linux/amd64", FindingStatus.Ok)]
    public async Task Diagnose_WhenASinglePlatformImageIsPulled_ShouldCompareTheArchitectureOfItsConfigurationWithTheTask(string? cpu, string built, FindingStatus expected)
    {
        var (a, e, c) = ForEvent("image-pull-platform", a =>
        {
            foreach (var (arn, td) in a.TaskDefinitions.ToList())
            {
                a.TaskDefinitions[arn] = td with { CpuArchitecture = cpu, OperatingSystemFamily = "LINUX" };
            }

            a.ConfigPlatforms["111122223333/batch/report-builder:2026.11.2"] = built;
        });

        var (context, findings) = await DiagnoseAsync(a, e, c);

        Assert.Equal(1, a.Calls.Count(x => x == "ecr:BatchGetImage"));
        Assert.Equal(1, a.Calls.Count(x => x == "ecr:GetDownloadUrlForLayer"));
        Assert.Equal([built], context.Registry!.Images[0].Platforms);
        var platform = Assert.Single(findings, f => f.Check == "image-platform");
        Assert.Equal(expected, platform.Status);
        if (expected == FindingStatus.Wrong)
        {
            Assert.Equal(FixId.MatchRuntimePlatform, platform.Fix);
            Assert.Equal("image has no linux/arm64 variant", platform.Headline);
            Assert.Same(platform, findings[0]);
        }
    }

    [Fact]
    public async Task Diagnose_WhenASinglePlatformImageNamesNoConfiguration_ShouldSayUnknownWithoutDownloadingAnything()
    {
        var (a, e, c) = ForEvent("image-pull-platform");

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.Contains("ecr:BatchGetImage", a.Calls);
        Assert.DoesNotContain("ecr:GetDownloadUrlForLayer", a.Calls);
        Assert.Equal(FindingStatus.Unknown, Assert.Single(findings, f => f.Check == "image-platform").Status);
    }

    [Fact]
    public async Task Diagnose_WhenTheConfigurationMayNotBeDownloaded_ShouldReportTheMissingPermissionAndThePlatformUnknown()
    {
        var (a, e, c) = ForEvent("image-pull-platform", a => a.ConfigPlatforms["111122223333/batch/report-builder:2026.11.2"] = "linux/amd64");
        a.Denied.Add("ecr:GetDownloadUrlForLayer");

        var (_, findings) = await DiagnoseAsync(a, e, c);

        Assert.Equal(FindingStatus.Unknown, Assert.Single(findings, f => f.Check == "image-platform").Status);
        Assert.Contains(findings, f => f.Status == FindingStatus.Unknown && f.Message.StartsWith("unknown (missing permission ecr:GetDownloadUrlForLayer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GatherAsync_WhenThePullFailedForAnotherReason_ShouldNotDownloadTheImageConfiguration()
    {
        var (a, e, c) = ForEvent("image-pull-permission", a => a.ConfigPlatforms["111122223333/payments/ledger:2.0.3"] = "linux/amd64");

        await DiagnoseAsync(a, e, c);

        Assert.Contains("ecr:DescribeImages", a.Calls);
        Assert.DoesNotContain("ecr:BatchGetImage", a.Calls);
        Assert.DoesNotContain("ecr:GetDownloadUrlForLayer", a.Calls);
    }
}
