using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>
/// Service action and deployment events through the gatherer and the diagnoser: what each reason lets the function
/// prove (subnet addresses, the task definition, the cluster's capacity, the failed deployment), in how many reads.
/// </summary>
public sealed class ServiceEventDiagnosisTests
{
    private const string SubnetA = "subnet-0aaaa000000000001";
    private const string SubnetB = "subnet-0bbbb000000000002";
    private const string SubnetC = "subnet-0cccc000000000003";
    private const string ClusterArn = "arn:aws:ecs:us-east-1:111122223333:cluster/payments";
    private const string AsgArn = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:5f1c2a9e-7b3d-4e5f-a1c2-9d8e7f6a5b4c:autoScalingGroupName/payments-asg";
    private const string FailedDeployment = "ecs-svc/6174913220145829901";
    private const string RollbackDeployment = "ecs-svc/1837465029384756102";
    private const string FailedRevision = "arn:aws:ecs:us-east-1:111122223333:task-definition/api:8";
    private const string PreviousRevision = "arn:aws:ecs:us-east-1:111122223333:task-definition/api:7";

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events-service", name + ".json"));

    private static TaskStoppedEvent Load(string name, Action<JsonNode>? change = null)
    {
        var json = JsonNode.Parse(Read(name))!;
        change?.Invoke(json);
        return EventParser.Parse(json.ToJsonString()) is ParseResult.Parsed p ? p.Event : throw new InvalidOperationException($"{name} did not parse");
    }

    /// <summary>Service api on three subnets (A out of addresses, B with 2 free, C with 120) and desired count 4.</summary>
    private static FakeAccount Account(Func<ServiceFacts, ServiceFacts>? service = null)
    {
        var a = new FakeAccount();
        var api = Scenarios.Service("api") with { DesiredCount = 4, Network = new AwsVpcFacts([SubnetA, SubnetB, SubnetC], [Scenarios.TaskSg], false) };
        a.Services["api"] = service is null ? api : service(api);
        a.Subnets.Add(new SubnetFacts(SubnetA, Scenarios.Vpc, "us-east-1a", "10.0.1.0/28", 0, false));
        a.Subnets.Add(new SubnetFacts(SubnetB, Scenarios.Vpc, "us-east-1b", "10.0.2.0/28", 2, false));
        a.Subnets.Add(new SubnetFacts(SubnetC, Scenarios.Vpc, "us-east-1c", "10.0.3.0/24", 120, false));
        a.TaskDefinitions[PreviousRevision] = HealthyAccount.TaskDefinition() with { Status = "ACTIVE" };
        a.Clusters["payments"] = new ClusterFacts(ClusterArn, "payments", "ACTIVE", 0) { CapacityProviders = ["payments-asg"] };
        a.CapacityProviders["payments-asg"] = new CapacityProviderFacts("payments-asg", "arn:aws:ecs:us-east-1:111122223333:capacity-provider/payments-asg", "ACTIVE")
        {
            AutoScalingGroupArn = AsgArn,
            ManagedScalingStatus = "DISABLED",
            TargetCapacity = 100,
        };
        return a;
    }

    private static async Task<(InfrastructureContext Context, IReadOnlyList<Finding> Findings, ClassificationResult Classification)> DiagnoseAsync(FakeAccount a, TaskStoppedEvent e)
    {
        var c = Classifier.Classify(e.Facts);
        var context = await new ContextGatherer(a, a, a, a.Inspectors).GatherAsync(e, c, CancellationToken.None);
        return (context, FindingSentences.AssertWellFormed(Diagnoser.Diagnose(e, c, context)), c);
    }

    /// <summary>The advisory as the pipeline builds it: ranked fixes, their next steps.</summary>
    private static Advisory AdviseOn(TaskStoppedEvent e, ClassificationResult c, IReadOnlyList<Finding> findings, InfrastructureContext context)
    {
        var ranked = c with { Fixes = FixRanking.Rank(c.Fixes, findings, context) };
        return AdvisoryBuilder.Build(TaskIdentity.From(e), ranked, findings, NextSteps.For(e, ranked, context));
    }

    [Fact]
    public async Task Diagnose_WhenASubnetOfTheServiceHasNoFreeAddress_ShouldNameItAndReadOnlyTheServiceAndItsSubnets()
    {
        var a = Account();
        var e = Load("service-task-configuration-failure");

        var (context, findings, c) = await DiagnoseAsync(a, e);

        Assert.Equal(["ecs:DescribeServices", "ec2:DescribeSubnets"], a.Calls);
        Assert.Equal(2, context.ReadCalls);
        var exhausted = findings[0];
        Assert.Equal((FindingStatus.Missing, "subnet-addresses"), (exhausted.Status, exhausted.Check));
        Assert.Equal([SubnetA], exhausted.Resources);
        Assert.Equal($"no free IP in {SubnetA}", exhausted.Headline);
        var low = Assert.Single(findings, f => f.Status == FindingStatus.Wrong);
        Assert.Equal([SubnetB], low.Resources);
        Assert.Contains("only 2 free IP addresses, fewer than the service's desired count of 4", low.Message, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Status == FindingStatus.Ok && f.Resources.SequenceEqual([SubnetC]));
        Assert.DoesNotContain(findings, f => f.Check is "route" or "route-table" or "vpc-endpoints");

        var advisory = AdviseOn(e, c, findings, context);
        Assert.Equal($"[ECS] payments/api: network interface not provisioned (no free IP in {SubnetA})", advisory.Subject);
        var update = Assert.Single(advisory.NextSteps, s => s.Command.Contains("update-service", StringComparison.Ordinal));
        Assert.Contains($"awsvpcConfiguration={{subnets=[{SubnetC}],securityGroups=[{Scenarios.TaskSg}],assignPublicIp=DISABLED}}", update.Command, StringComparison.Ordinal);
        Assert.Contains(advisory.NextSteps, s => s.Command.Contains($"describe-network-interfaces --region us-east-1 --filters Name=subnet-id,Values={SubnetA},{SubnetB}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnose_WhenAServiceSubnetNoLongerExists_ShouldSayItIsGoneRatherThanFull()
    {
        var a = Account();
        a.Subnets.RemoveAll(s => s.SubnetId == SubnetA);
        var e = Load("service-task-configuration-failure");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        var gone = findings[0];
        Assert.Equal(FindingStatus.Missing, gone.Status);
        Assert.Equal($"{SubnetA} does not exist, so ECS cannot create the tasks' network interfaces in it.", gone.Message);
        Assert.DoesNotContain(findings, f => f.Message.Contains($"{SubnetA} has no free", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnose_WhenEverySubnetHasRoomForTheDesiredCount_ShouldFindNoProblem()
    {
        var a = Account();
        a.Subnets.Clear();
        a.Subnets.AddRange(new[] { SubnetA, SubnetB, SubnetC }.Select(id => new SubnetFacts(id, Scenarios.Vpc, "us-east-1a", "10.0.0.0/24", 4, false)));
        var e = Load("service-task-configuration-failure");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        Assert.DoesNotContain(findings, f => f.IsProblem);
        Assert.Equal(3, findings.Count(f => f.Check == "subnet-addresses" && f.Status == FindingStatus.Ok));
    }

    [Fact]
    public async Task Diagnose_WhenResourceEniFailsAnEc2Service_ShouldCheckSubnetsAndClusterAndGiveTheTrunkingHint()
    {
        var a = Account(s => s with { LaunchType = "EC2" });
        var e = Load("service-task-placement-failure-eni");

        var (context, findings, _) = await DiagnoseAsync(a, e);

        Assert.Equal(["ecs:DescribeServices", "ec2:DescribeSubnets", "ecs:DescribeClusters"], a.Calls);
        Assert.Equal(3, context.ReadCalls);
        var hint = Assert.Single(findings, f => f.Check == "eni-trunking");
        Assert.Equal(FindingStatus.Unknown, hint.Status);
        Assert.Contains("awsvpcTrunking", hint.Message, StringComparison.Ordinal);
        Assert.Null(hint.Fix);
        Assert.Contains(findings, f => f.Check == "cluster-instances" && f.Status == FindingStatus.Missing);
    }

    [Fact]
    public async Task Diagnose_WhenResourceEniFailsAFargateService_ShouldNotHintAtTrunkingNorReadTheCluster()
    {
        var a = Account();
        var e = Load("service-task-placement-failure-eni");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        Assert.DoesNotContain(findings, f => f.Check == "eni-trunking");
        Assert.DoesNotContain("ecs:DescribeClusters", a.Calls);
        Assert.Contains(findings, f => f.Check == "capacity-provider" && f.Status == FindingStatus.Ok && f.Message.Contains("AWS Fargate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnose_WhenTheTaskDefinitionIsInactive_ShouldSaySoAfterTwoReads()
    {
        var a = Account();
        a.TaskDefinitions[PreviousRevision] = a.TaskDefinitions[PreviousRevision] with { Status = "INACTIVE" };
        var e = Load("service-task-configuration-failure-task-definition");

        var (context, findings, c) = await DiagnoseAsync(a, e);

        Assert.Equal(["ecs:DescribeServices", "ecs:DescribeTaskDefinition"], a.Calls);
        var finding = findings[0];
        Assert.Equal((FindingStatus.Wrong, "task-definition"), (finding.Status, finding.Check));
        Assert.Equal("task definition api:7 is INACTIVE", finding.Headline);
        Assert.Equal(FixId.UseActiveTaskDefinition, finding.Fix);

        var advisory = AdviseOn(e, c, findings, context);
        Assert.Equal("[ECS] payments/api: tasks could not be configured (task definition api:7 is INACTIVE)", advisory.Subject);
        Assert.Contains(advisory.NextSteps, s => s.Command == "aws ecs list-task-definitions --region us-east-1 --family-prefix api --status ACTIVE --sort DESC --max-items 5");
        Assert.Contains(advisory.NextSteps, s => s.Command == "aws ecs update-service --region us-east-1 --cluster payments --service api --task-definition 'api:<revision>'");
    }

    [Fact]
    public async Task Diagnose_WhenTheTaskDefinitionTheReasonNamesDoesNotExist_ShouldSayItDoesNotExist()
    {
        var a = Account();
        a.TaskDefinitions.Clear();
        var e = Load("service-task-configuration-failure-task-definition");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        var finding = findings[0];
        Assert.Equal(FindingStatus.Missing, finding.Status);
        Assert.Equal($"The task definition {PreviousRevision} does not exist (deregistered and deleted, or never registered), so ECS has nothing to start.", finding.Message);
    }

    [Fact]
    public async Task Diagnose_WhenTheTaskDefinitionIsActive_ShouldRuleItOut()
    {
        var a = Account();
        var e = Load("service-task-configuration-failure-task-definition");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        var finding = Assert.Single(findings);
        Assert.Equal(FindingStatus.Ok, finding.Status);
        Assert.Equal($"The task definition {PreviousRevision} exists and is ACTIVE.", finding.Message);
    }

    [Fact]
    public async Task Diagnose_WhenTheTaskDefinitionCannotBeRead_ShouldReportTheGapAndNotClaimItIsGone()
    {
        var a = Account();
        a.Denied.Add("ecs:DescribeTaskDefinition");
        var e = Load("service-task-configuration-failure-task-definition");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        var gap = Assert.Single(findings);
        Assert.Equal(FindingStatus.Unknown, gap.Status);
        Assert.Equal($"unknown (missing permission ecs:DescribeTaskDefinition on {PreviousRevision})", gap.Message);
    }

    [Fact]
    public async Task Diagnose_WhenTheClusterHasNoInstancesAndManagedScalingIsOff_ShouldLeadWithTheMissingInstances()
    {
        var a = Account(s => s with { LaunchType = "EC2" });
        var e = Load("service-task-placement-failure");

        var (context, findings, c) = await DiagnoseAsync(a, e);

        Assert.Equal(["ecs:DescribeServices", "ecs:DescribeClusters", "ecs:DescribeCapacityProviders"], a.Calls);
        Assert.Equal(3, context.ReadCalls);
        Assert.Equal("event", context.ServiceEvent!.CapacityProvidersFrom);
        var instances = findings[0];
        Assert.Equal((FindingStatus.Missing, "cluster-instances"), (instances.Status, instances.Check));
        Assert.Equal("Cluster payments has no registered container instance (no instance of the Auto Scaling group payments-asg is running and registered): there is no EC2 capacity to place the service's tasks on.", instances.Message);
        var scaling = Assert.Single(findings, f => f.Check == "managed-scaling");
        Assert.Equal(FindingStatus.Wrong, scaling.Status);
        Assert.Equal(FixId.EnableManagedScaling, scaling.Fix);

        var advisory = AdviseOn(e, c, findings, context);
        Assert.Equal("[ECS] payments/api: no capacity to place the task (no container instance in payments)", advisory.Subject);
        Assert.Contains(advisory.NextSteps, s => s.Command == "aws ecs update-capacity-provider --region us-east-1 --name payments-asg --auto-scaling-group-provider 'managedScaling={status=ENABLED,targetCapacity=100}'");
        Assert.Contains(advisory.NextSteps, s => s.Command.StartsWith("aws autoscaling describe-auto-scaling-groups --region us-east-1 --auto-scaling-group-names payments-asg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnose_WhenTheClusterHasInstancesAndTheProviderScales_ShouldRuleBothOut()
    {
        var a = Account(s => s with { LaunchType = "EC2" });
        a.Clusters["payments"] = a.Clusters["payments"] with { RegisteredContainerInstancesCount = 3 };
        a.CapacityProviders["payments-asg"] = a.CapacityProviders["payments-asg"] with { ManagedScalingStatus = "ENABLED" };
        var e = Load("service-task-placement-failure");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        Assert.DoesNotContain(findings, f => f.IsProblem);
        Assert.Contains(findings, f => f.Message == "Cluster payments has 3 registered container instances: the placement failure is about what they have free (RESOURCE:MEMORY).");
    }

    [Fact]
    public async Task Diagnose_WhenTheEventsProviderDoesNotExist_ShouldSaySo()
    {
        var a = Account(s => s with { LaunchType = "EC2" });
        a.CapacityProviders.Clear();
        var e = Load("service-task-placement-failure");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        Assert.Contains(findings, f => f.Status == FindingStatus.Missing && f.Message == "Capacity provider payments-asg, which the event names, does not exist.");
    }

    [Fact]
    public async Task Diagnose_WhenTheServiceHasNeitherLaunchTypeNorStrategy_ShouldUseTheClustersDefaultStrategy()
    {
        var a = Account(s => s with { LaunchType = null });
        a.Clusters["payments"] = a.Clusters["payments"] with { DefaultStrategy = ["payments-asg"] };
        var e = Load("service-task-placement-failure", json => json["detail"]!.AsObject().Remove("capacityProviderArns"));

        var (context, findings, _) = await DiagnoseAsync(a, e);

        Assert.Equal("cluster default", context.ServiceEvent!.CapacityProvidersFrom);
        Assert.Equal(["payments-asg"], context.ServiceEvent.CapacityProviderNames);
        Assert.Contains(findings, f => f.Check == "managed-scaling" && f.Status == FindingStatus.Wrong);
    }

    [Fact]
    public async Task Diagnose_WhenClusterAndProvidersCannotBeRead_ShouldReportBothGapsAndNoCapacityClaim()
    {
        var a = Account(s => s with { LaunchType = "EC2" });
        a.Denied.UnionWith(["ecs:DescribeClusters", "ecs:DescribeCapacityProviders"]);
        var e = Load("service-task-placement-failure");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        Assert.DoesNotContain(findings, f => f.IsProblem);
        Assert.Contains(findings, f => f.Message == $"unknown (missing permission ecs:DescribeClusters on {ClusterArn})");
        Assert.Contains(findings, f => f.Message == "unknown (missing permission ecs:DescribeCapacityProviders on payments-asg)");
    }

    private static FakeAccount FailedDeploymentAccount(bool rollback, bool rolledBack = true) => Account(s => s with
    {
        CircuitBreaker = new CircuitBreakerFacts(true, rollback),
        MaximumPercent = 200,
        MinimumHealthyPercent = 50,
        Deployments =
        [
            .. rolledBack ? [new DeploymentFacts(RollbackDeployment, "PRIMARY", "IN_PROGRESS", 4, 1, 0) { TaskDefinitionArn = PreviousRevision }] : Array.Empty<DeploymentFacts>(),
            new DeploymentFacts(FailedDeployment, rolledBack ? "ACTIVE" : "PRIMARY", "FAILED", 4, 0, 3)
            {
                TaskDefinitionArn = FailedRevision,
                RolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.",
            },
            .. rolledBack ? Array.Empty<DeploymentFacts>() : [new DeploymentFacts(RollbackDeployment, "ACTIVE", "COMPLETED", 4, 4, 0) { TaskDefinitionArn = PreviousRevision }],
        ],
    });

    [Fact]
    public async Task Diagnose_WhenTheCircuitBreakerFailedADeploymentAndRolledItBack_ShouldStateTheCountThresholdAndRollback()
    {
        var a = FailedDeploymentAccount(rollback: true);
        var e = Load("service-deployment-failed");

        var (context, findings, c) = await DiagnoseAsync(a, e);

        Assert.Equal(["ecs:DescribeServices"], a.Calls);
        var deployment = Assert.Single(findings);
        Assert.Equal((FindingStatus.Wrong, "deployment"), (deployment.Status, deployment.Check));
        Assert.Equal("3 of threshold 3 tasks failed, rolled back", deployment.Headline);
        Assert.Equal(
            $"Deployment {FailedDeployment} (task definition api:8) failed: 3 of threshold 3 tasks failed to start (the circuit breaker fails a deployment once half the service's desired count (4) of its tasks failed, at least 3 and at most 200); rollout state FAILED (ECS deployment circuit breaker: tasks failed to start.). Rollback is on: ECS rolled the service back to deployment {RollbackDeployment} (task definition api:7).",
            deployment.Message);

        var advisory = AdviseOn(e, c, findings, context);
        Assert.Equal("deployment circuit breaker tripped", advisory.Headline);
        Assert.Equal("[ECS] payments/api: deployment circuit breaker tripped (3 of threshold 3 tasks failed, rolled back)", advisory.Subject);
        Assert.StartsWith("ECS deployment failed: deployment circuit breaker tripped", advisory.Body, StringComparison.Ordinal);
        Assert.Equal("https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/api/events?region=us-east-1", advisory.ConsoleUrl);
        // The finding states the deployment's state, so the advisory does not ask to read it; ECS rolled back, so the fix is to find out why the tasks failed.
        Assert.DoesNotContain(advisory.NextSteps, s => s.Command.Contains("describe-services", StringComparison.Ordinal));
        Assert.Equal($"aws ecs list-tasks --region us-east-1 --cluster payments --started-by {FailedDeployment} --desired-status STOPPED", advisory.NextSteps[0].Command);
        Assert.Equal((FixId.RollBackDeployment, StepGroup.Fix), (advisory.NextSteps[0].Fix, advisory.NextSteps[0].Group));
        Assert.DoesNotContain(advisory.NextSteps, s => s.Command.Contains("update-service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnose_WhenRollbackIsOff_ShouldSayNotRolledBackAndGiveTheRollbackCommands()
    {
        var a = FailedDeploymentAccount(rollback: false, rolledBack: false);
        var e = Load("service-deployment-failed");

        var (context, findings, c) = await DiagnoseAsync(a, e);

        var deployment = Assert.Single(findings);
        Assert.Equal("3 of threshold 3 tasks failed, no rollback", deployment.Headline);
        Assert.EndsWith("Rollback is off: the service stays on the failed deployment and keeps trying to start its tasks until it is rolled back by hand.", deployment.Message, StringComparison.Ordinal);
        var advisory = AdviseOn(e, c, findings, context);
        Assert.Equal("[ECS] payments/api: deployment circuit breaker tripped (3 of threshold 3 tasks failed, no rollback)", advisory.Subject);
        Assert.Contains(advisory.NextSteps, s => s.Command == $"aws ecs update-service --region us-east-1 --cluster payments --service api --task-definition {PreviousRevision}");
        Assert.Contains(advisory.NextSteps, s => s.Command == "aws ecs update-service --region us-east-1 --cluster payments --service api --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=50'");
    }

    [Fact]
    public async Task Diagnose_WhenTheFailedDeploymentIsNoLongerListed_ShouldStillGiveTheThresholdAndRollback()
    {
        var a = FailedDeploymentAccount(rollback: true);
        a.Services["api"] = a.Services["api"] with { DesiredCount = 10, Deployments = [.. a.Services["api"].Deployments.Where(d => d.Id != FailedDeployment)] };
        var e = Load("service-deployment-failed");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        var deployment = Assert.Single(findings);
        Assert.Equal("threshold 5 failed tasks, rolled back", deployment.Headline);
        Assert.StartsWith($"Deployment {FailedDeployment} failed and is no longer among the service's deployments", deployment.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnose_WhenTheServiceHasNoCircuitBreaker_ShouldSayTheAlarmsFailedTheDeployment()
    {
        var a = FailedDeploymentAccount(rollback: false, rolledBack: false);
        a.Services["api"] = a.Services["api"] with { CircuitBreaker = null };
        var e = Load("service-deployment-failed");

        var (_, findings, _) = await DiagnoseAsync(a, e);

        Assert.EndsWith("The deployment circuit breaker is off on this service, so the deployment failed on its CloudWatch alarms (or was stopped).", Assert.Single(findings).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 4)]
    [InlineData(10, 5)]
    [InlineData(399, 200)]
    [InlineData(1000, 200)]
    public void Threshold_WhenGivenADesiredCount_ShouldBeHalfRoundedUpBetweenThreeAndTwoHundred(int desired, int threshold) =>
        Assert.Equal(threshold, ServiceEventChecks.Threshold(desired));

    public static TheoryData<string> ServiceSamples() =>
    [
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events-service"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(ServiceSamples))]
    public async Task GatherAsync_WhenAServiceSampleIsDiagnosedOnEc2_ShouldStayWithinFourReadsEachMadeOnce(string name)
    {
        var a = FailedDeploymentAccount(rollback: true);
        a.Services["api"] = a.Services["api"] with { LaunchType = "EC2" };
        var e = Load(name);

        var (context, _, _) = await DiagnoseAsync(a, e);

        Assert.InRange(a.Calls.Count, 1, 4);
        Assert.Equal(a.Calls.Count, context.ReadCalls);
        Assert.Equal(a.Calls.Count, a.Calls.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(ServiceSamples))]
    public async Task GatherAsync_WhenEveryReadOfAServiceSampleIsDenied_ShouldRecordGapsOnlyForDeclaredActions(string name)
    {
        var a = FailedDeploymentAccount(rollback: true);
        a.Services["api"] = a.Services["api"] with { LaunchType = "EC2" };
        a.DenyEverythingUnnamed = true;
        var e = Load(name);

        var (context, findings, _) = await DiagnoseAsync(a, e);

        Assert.NotEmpty(context.Gaps);
        Assert.All(context.Gaps, g => Assert.Contains(g.Action, ContextGatherer.ReadActions));
        Assert.DoesNotContain(findings, f => f.IsProblem);
    }

    public static TheoryData<string> StoppedSamples()
    {
        var data = new TheoryData<string>();
        foreach (var category in Category.All.Where(x => !Category.IsBenign(x)))
        {
            data.Add(EventFiles.NameOf(category));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StoppedSamples))]
    public async Task GatherAsync_WhenEveryReadOfAStoppedTaskIsDenied_ShouldRecordGapsOnlyForDeclaredActions(string name)
    {
        var a = HealthyAccount.Create();
        HealthyAccount.WithEfs(a);
        a.DenyEverythingUnnamed = true;
        var e = EventFiles.Load(name);
        var c = Classifier.Classify(e.Facts);

        var context = await HealthyAccount.Gatherer(a).GatherAsync(e, c, CancellationToken.None);

        Assert.All(context.Gaps, g => Assert.Contains(g.Action, ContextGatherer.ReadActions));
    }

    [Fact]
    public void ScopeFor_WhenTheReasonNamesNothingProvable_ShouldFallBackToTheCategorysChecks()
    {
        var e = Load("service-task-configuration-failure", json => json["detail"]!["reason"] = "Timeout waiting for network interface provisioning to complete.");
        var c = Classifier.Classify(e.Facts);

        Assert.Equal(Category.EniTimeout, c.Category);
        Assert.Equal(DiagnosisScope.NetworkPath, ServiceEventChecks.ScopeFor(e, c));
    }

    [Theory]
    [InlineData("Unable to use task definition arn:aws:ecs:us-east-1:111122223333:task-definition/api:7: the task definition is INACTIVE.", "arn:aws:ecs:us-east-1:111122223333:task-definition/api:7")]
    [InlineData("TaskDefinition 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web-app:12' not found.", "arn:aws:ecs:eu-west-1:111122223333:task-definition/web-app:12")]
    [InlineData("The task definition is inactive.", null)]
    [InlineData("arn:aws:ecs:us-east-1:111122223333:service/payments/api failed", null)]
    public void TaskDefinitionIn_WhenAReasonNamesOne_ShouldReturnItsArnWithoutPunctuation(string reason, string? arn) =>
        Assert.Equal(arn, ServiceEventChecks.TaskDefinitionIn(reason));
}
