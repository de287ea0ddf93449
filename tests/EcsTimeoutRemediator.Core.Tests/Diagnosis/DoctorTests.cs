using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using static EcsTimeoutRemediator.Tests.Diagnosis.HealthyAccount;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>Each check against an account where exactly one piece is broken: the report must name exactly that piece.</summary>
public class DoctorTests
{
    private static Finding OnlyProblem(DoctorReport report)
    {
        var problems = report.Findings.Where(f => f.IsProblem).ToList();
        Assert.True(problems.Count == 1, "expected one problem, got: " + string.Join(" | ", problems.Select(p => $"{p.Check}: {p.Message}")));
        Assert.Same(problems[0], report.Findings[0]);
        return problems[0];
    }

    [Fact]
    public async Task RunAsync_WhenEverythingIsInPlace_ShouldReportNoProblemAndEveryAreaOk()
    {
        var report = await DoctorAsync(Create());

        Assert.DoesNotContain(report.Findings, f => f.IsProblem || f.Status == FindingStatus.Unknown);
        foreach (var check in new[] { "route", "network-acl", "vpc-dns", "security-group-egress", "ecr-image", "execution-role", "log-group", "container-port", "load-balancer-security-group", "container-health-check" })
        {
            Assert.Contains(report.Findings, f => f.Check == check && f.Status == FindingStatus.Ok);
        }

        Assert.False(report.HasProblems);
        Assert.Equal([Subnet], report.Subnets);
    }

    [Fact]
    public async Task RunAsync_WhenEverythingIsInPlace_ShouldMakeEachDescribeCallOnce()
    {
        var a = WithEfs(Create());

        var report = await DoctorAsync(a);

        Assert.Equal(a.Calls.Count, report.ReadCalls);
        Assert.Single(a.Calls, c => c == "ec2:DescribeSubnets");
        Assert.Single(a.Calls, c => c == "iam:SimulatePrincipalPolicy" && a.Simulations.Count(s => s.Principal == ExecutionRole) == 1);
        // The task's groups were read with the endpoints' in the network check; EFS reads only its mount target's group.
        Assert.Equal(2, a.Calls.Count(c => c == "ec2:DescribeSecurityGroups"));
        Assert.InRange(report.ReadCalls, 1, ContextGatherer.MaxReadsPerDoctorRun);
    }

    [Fact]
    public async Task RunAsync_WhenTheTasksGetNoPublicIpInAPublicSubnet_ShouldNameThePublicIp()
    {
        var a = Create();
        a.RouteTables[0] = a.RouteTables[1] with { RouteTableId = PrivateTable, SubnetIds = [Subnet] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("public-ip", problem.Check);
        Assert.Equal("public subnet without public IP", problem.Headline);
    }

    [Fact]
    public async Task RunAsync_WhenTheNatGatewaySitsInAPrivateSubnet_ShouldSayTheNatCannotReachTheInternet()
    {
        var a = Create();
        a.NatGateways[0] = a.NatGateways[0] with { SubnetId = Subnet };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("nat-public-subnet", problem.Check);
        Assert.Contains($"{Nat} sits in {Subnet}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheNetworkAclDeniesOutbound443_ShouldNameTheAclAndTheRule()
    {
        var a = Create();
        a.NetworkAcls[0] = a.NetworkAcls[0] with { Entries = [new NetworkAclEntry(90, true, "6", "0.0.0.0/0", 443, 443, false), .. a.NetworkAcls[0].Entries] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("network-acl", problem.Check);
        Assert.Equal(FindingStatus.Wrong, problem.Status);
        Assert.Contains("denies outbound TCP 443", problem.Message, StringComparison.Ordinal);
        Assert.Contains("(rule 90)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(FixId.OpenNetworkAcl, problem.Fix);
    }

    [Fact]
    public async Task RunAsync_WhenTheNetworkAclLetsOnly443Back_ShouldNameTheReturnPorts()
    {
        var a = Create();
        a.NetworkAcls[0] = a.NetworkAcls[0] with
        {
            Entries =
            [
                new NetworkAclEntry(100, true, "6", "0.0.0.0/0", 443, 443, true),
                new NetworkAclEntry(100, false, "6", "0.0.0.0/0", 443, 443, true),
            ],
        };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("network-acl", problem.Check);
        Assert.Equal(FindingStatus.Missing, problem.Status);
        Assert.Contains("inbound TCP 32768", problem.Message, StringComparison.Ordinal);
        Assert.Equal("network ACL blocks the return ports", problem.Headline);
    }

    [Fact]
    public async Task RunAsync_WhenTheSubnetUsesEndpointsThatAreComplete_ShouldReportNoProblem()
    {
        var report = await DoctorAsync(WithEndpointsOnly(Create()));

        Assert.DoesNotContain(report.Findings, f => f.IsProblem);
        Assert.Contains(report.Findings, f => f.Check == "endpoint-security-group" && f.Status == FindingStatus.Ok);
        Assert.Contains(report.Findings, f => f.Check == "vpc-endpoints" && f.Message.Contains("ecr.api, ecr.dkr, s3, secretsmanager, logs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenTheEndpointSecurityGroupIsClosedToTheTask_ShouldNameTheGroupAndEndpoints()
    {
        var a = WithEndpointsOnly(Create());
        a.SecurityGroups[^1] = a.SecurityGroups[^1] with { Inbound = [new SecurityGroupRule("tcp", 443, 443, [], [], ["sg-0someoneelse"])] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("endpoint-security-group", problem.Check);
        Assert.Contains(EndpointSg, problem.Resources);
        Assert.Contains("ecr.api (vpce-ecr-api)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(FixId.OpenSecurityGroup, problem.Fix);
    }

    [Fact]
    public async Task RunAsync_WhenTheEndpointSecurityGroupAdmitsTheSubnetCidr_ShouldAcceptIt()
    {
        var a = WithEndpointsOnly(Create());
        a.SecurityGroups[^1] = a.SecurityGroups[^1] with { Inbound = [new SecurityGroupRule("tcp", 443, 443, ["10.0.0.0/16"], [], [])] };

        var report = await DoctorAsync(a);

        Assert.DoesNotContain(report.Findings, f => f.IsProblem);
    }

    [Fact]
    public async Task RunAsync_WhenAnEndpointHasPrivateDnsOff_ShouldSaySo()
    {
        var a = WithEndpointsOnly(Create());
        a.Endpoints[0] = a.Endpoints[0] with { PrivateDnsEnabled = false };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("endpoint-private-dns", problem.Check);
        Assert.Contains("ecr.api (vpce-ecr-api)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheS3GatewayIsNotOnTheTasksRouteTable_ShouldNameS3Only()
    {
        var a = WithEndpointsOnly(Create());
        a.Endpoints[^1] = a.Endpoints[^1] with { RouteTableIds = [PublicTable] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("vpc-endpoints", problem.Check);
        Assert.EndsWith("lacks the endpoints s3.", problem.Message, StringComparison.Ordinal);
        Assert.Equal("S3 gateway endpoint not on the route table", problem.Headline);
    }

    [Fact]
    public async Task RunAsync_WhenDnsHostnamesAreOffWithPrivateDnsEndpoints_ShouldNameTheVpcDns()
    {
        var a = WithEndpointsOnly(Create());
        a.DnsHostnames = false;

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("vpc-dns", problem.Check);
        Assert.Contains("enableDnsHostnames", problem.Message, StringComparison.Ordinal);
        Assert.Equal(FixId.EnableVpcDns, problem.Fix);
    }

    [Fact]
    public async Task RunAsync_WhenDnsResolutionIsOff_ShouldReportItMissing()
    {
        var a = Create();
        a.DnsSupport = false;

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("vpc-dns", problem.Check);
        Assert.Equal(FindingStatus.Missing, problem.Status);
    }

    [Fact]
    public async Task RunAsync_WhenTheTaskSecurityGroupHasNoEgress_ShouldReportOutbound443()
    {
        var a = Create();
        a.SecurityGroups[0] = a.SecurityGroups[0] with { Outbound = [] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("security-group-egress", problem.Check);
    }

    [Fact]
    public async Task RunAsync_WhenTheRepositoryDoesNotExist_ShouldNameTheRepository()
    {
        var a = Create();
        a.Repositories.Clear();

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("ecr-repository", problem.Check);
        Assert.Equal("repository payments/api does not exist", problem.Headline);
    }

    [Fact]
    public async Task RunAsync_WhenTheTagDoesNotExist_ShouldNameTheTag()
    {
        var a = Create();
        a.Repositories[$"{Account}/payments/api"] = new() { ["1.41.0"] = "application/vnd.oci.image.manifest.v1+json" };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("ecr-image", problem.Check);
        Assert.Contains("no image with tag 1.42.0", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheExecutionRoleCannotReadTheSecret_ShouldGiveTheExactMissingPolicy()
    {
        var a = Create();
        a.Roles[ExecutionRole].Remove((RolePermissions.GetSecretValue, "*"));

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("execution-role", problem.Check);
        Assert.Equal("execution role lacks secretsmanager:GetSecretValue", problem.Headline);
        Assert.Equal(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"" + Secret + "\"}]}",
            problem.Detail);
        Assert.Contains(problem.Detail!, problem.Message, StringComparison.Ordinal);
        var simulation = Assert.Single(a.Simulations, s => s.Principal == ExecutionRole);
        Assert.Contains(Secret, simulation.Resources);
        Assert.Contains("arn:aws:ecr:us-east-1:111122223333:repository/payments/api", simulation.Resources);
    }

    [Fact]
    public async Task RunAsync_WhenTheExecutionRoleDoesNotExist_ShouldSayItDoesNotExist()
    {
        var a = Create();
        a.Roles.Remove(ExecutionRole);

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("execution-role", problem.Check);
        Assert.Equal(FindingStatus.Wrong, problem.Status);
        Assert.Contains("does not exist", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheTaskDefinitionHasNoExecutionRole_ShouldReportItMissing()
    {
        var a = Create();
        a.TaskDefinitions[TaskDefinitionArn] = a.TaskDefinitions[TaskDefinitionArn] with { ExecutionRoleArn = null };

        var report = await DoctorAsync(a);

        var problem = Assert.Single(report.Findings, f => f.IsProblem && f.Check == "execution-role");
        Assert.Equal(FindingStatus.Missing, problem.Status);
        Assert.DoesNotContain(a.Simulations, s => s.Principal == ExecutionRole);
    }

    [Fact]
    public async Task RunAsync_WhenTheLogGroupIsMissing_ShouldNameItAndOfferToCreateIt()
    {
        var a = Create();
        a.LogGroupNames.Clear();

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("log-group", problem.Check);
        Assert.Equal(FixId.CreateLogGroup, problem.Fix);
        Assert.Equal($"log group {LogGroup} missing", problem.Headline);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task RunAsync_WhenTheDriverCreatesTheLogGroup_ShouldDependOnCreateLogGroupPermission(bool allowed, bool problem)
    {
        var a = Create();
        a.LogGroupNames.Clear();
        var td = a.TaskDefinitions[TaskDefinitionArn];
        var container = td.Containers[0];
        a.TaskDefinitions[TaskDefinitionArn] = td with
        {
            Containers = [container with { LogOptions = new Dictionary<string, string>(container.LogOptions) { ["awslogs-create-group"] = "true" } }],
        };
        if (!allowed)
        {
            a.Roles[ExecutionRole].Remove((RolePermissions.CreateLogGroup, "*"));
        }

        var report = await DoctorAsync(a);

        var finding = Assert.Single(report.Findings, f => f.Check == "log-group");
        Assert.Equal(problem, finding.IsProblem);
        Assert.Equal(problem, finding.Message.Contains("may not logs:CreateLogGroup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenNoMountTargetIsInTheTasksZone_ShouldNameTheZone()
    {
        var a = WithEfs(Create());
        a.MountTargets[0] = a.MountTargets[0] with { AvailabilityZone = "us-east-1b", SubnetId = "subnet-0other" };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("efs-mount-target", problem.Check);
        Assert.Equal("no EFS mount target in us-east-1a", problem.Headline);
        Assert.Contains("(it has them in us-east-1b)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheMountTargetIsClosedOn2049_ShouldNameItsSecurityGroup()
    {
        var a = WithEfs(Create());
        a.SecurityGroups[^1] = a.SecurityGroups[^1] with { Inbound = [new SecurityGroupRule("tcp", 443, 443, [], [], [TaskSg])] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("efs-mount-target-sg", problem.Check);
        Assert.Contains(EfsSg, problem.Resources);
    }

    [Fact]
    public async Task RunAsync_WhenTheFargatePlatformIsOlderThan140_ShouldAskForAnUpgrade()
    {
        var a = WithEfs(Create());
        a.Services["api"] = a.Services["api"] with { PlatformVersion = "1.3.0" };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("efs-platform-version", problem.Check);
        Assert.Equal(FixId.UpgradePlatformVersion, problem.Fix);
    }

    [Fact]
    public async Task RunAsync_WhenEfsIamAuthorizationLacksClientMount_ShouldGiveTheTaskRolePolicy()
    {
        var a = WithEfs(Create(), iam: true);
        a.Roles[TaskRole].Clear();
        a.Roles[TaskRole].Add(("s3:GetObject", "*"));

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("efs-iam", problem.Check);
        Assert.Contains($"arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/{FileSystem}", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheHealthCheckProbesAnotherPort_ShouldNameBothPorts()
    {
        var a = Create();
        a.TargetGroups[Scenarios.TargetGroupArn] = a.TargetGroups[Scenarios.TargetGroupArn] with { Port = 80, HealthCheckPort = "80" };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("health-check-port", problem.Check);
        Assert.Equal("health check on port 80, container on 8080", problem.Headline);
    }

    [Fact]
    public async Task RunAsync_WhenOnlyTheTargetGroupsOwnPortDiffers_ShouldNotBlameIt()
    {
        var a = Create();
        a.TargetGroups[Scenarios.TargetGroupArn] = a.TargetGroups[Scenarios.TargetGroupArn] with { Port = 80 };

        var report = await DoctorAsync(a);

        Assert.DoesNotContain(report.Findings, f => f.IsProblem);
        Assert.Contains(report.Findings, f => f.Check == "container-port" && f.Message.Contains("its own port 80 is only a default", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenTheTaskSecurityGroupIgnoresTheLoadBalancer_ShouldSayHealthChecksTimeOut()
    {
        var a = Create();
        a.SecurityGroups[0] = a.SecurityGroups[0] with { Inbound = [new SecurityGroupRule("tcp", 8080, 8080, [], [], ["sg-0other"])] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("load-balancer-security-group", problem.Check);
        Assert.Contains(LbSg, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheContainerHealthCheckIsMalformed_ShouldSayHowItMustStart()
    {
        var a = Create();
        var td = a.TaskDefinitions[TaskDefinitionArn];
        a.TaskDefinitions[TaskDefinitionArn] = td with { Containers = [td.Containers[0] with { HealthCheckCommand = ["curl -f http://localhost:8080/health"] }] };

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("container-health-check", problem.Check);
        Assert.Contains("CMD-SHELL", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheServiceDoesNotExistYet_ShouldCheckTheTaskDefinitionInTheGivenNetwork()
    {
        var a = Create();
        var target = new DiagnosisTarget
        {
            Region = "us-east-1",
            TaskDefinitionArn = TaskDefinitionArn,
            Subnets = [Subnet],
            SecurityGroups = [TaskSg],
            AssignPublicIp = false,
            LaunchType = "FARGATE",
        };

        var report = await DoctorAsync(a, target);

        Assert.DoesNotContain("ecs:DescribeServices", a.Calls);
        Assert.DoesNotContain(report.Findings, f => f.IsProblem);
        Assert.Contains(report.Findings, f => f.Check == "execution-role" && f.Status == FindingStatus.Ok);
        Assert.Contains(report.Findings, f => f.Check == "route" && f.Status == FindingStatus.Ok);
    }

    [Fact]
    public async Task RunAsync_WhenTheServiceIsNotFound_ShouldReportItMissing()
    {
        var a = Create();
        a.Services.Clear();

        var report = await DoctorAsync(a);

        Assert.Equal("service", report.Findings[0].Check);
        Assert.Equal(FindingStatus.Missing, report.Findings[0].Status);
    }

    [Fact]
    public async Task RunAsync_WhenAReadIsDenied_ShouldReportUnknownAndGoOn()
    {
        var a = Create();
        a.Denied.Add("iam:SimulatePrincipalPolicy");
        a.Denied.Add("ec2:DescribeNetworkAcls");

        var report = await DoctorAsync(a);

        Assert.Contains(report.Findings, f => f.Status == FindingStatus.Unknown && f.Message.StartsWith("unknown (missing permission iam:SimulatePrincipalPolicy", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Status == FindingStatus.Unknown && f.Message.StartsWith("unknown (missing permission ec2:DescribeNetworkAcls", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Findings, f => f.Check is "execution-role" or "network-acl");
        Assert.Contains(report.Findings, f => f.Check == "log-group" && f.Status == FindingStatus.Ok);
        Assert.Equal(FindingStatus.Unknown, report.Findings[^1].Status);
    }

    [Fact]
    public async Task RunAsync_WhenTheImageWasBuiltForAnotherArchitecture_ShouldNameThePlatformMismatch()
    {
        var a = Create();
        a.TaskDefinitions[TaskDefinitionArn] = a.TaskDefinitions[TaskDefinitionArn] with { CpuArchitecture = "ARM64", OperatingSystemFamily = "LINUX" };
        a.ConfigPlatforms[$"{Account}/payments/api:1.42.0"] = "linux/amd64";

        var problem = OnlyProblem(await DoctorAsync(a));

        Assert.Equal("image-platform", problem.Check);
        Assert.Equal(FixId.MatchRuntimePlatform, problem.Fix);
        Assert.Contains("linux/amd64 only; the task runs on linux/arm64", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheImagePlatformCannotBeRead_ShouldNotReportItUnknown()
    {
        var a = Create();

        var report = await DoctorAsync(a);

        // The manifest was read (it names no configuration), and doctor stays quiet about what it could not learn.
        Assert.Contains("ecr:BatchGetImage", a.Calls);
        Assert.DoesNotContain("ecr:GetDownloadUrlForLayer", a.Calls);
        Assert.DoesNotContain(report.Findings, f => f.Check == "image-platform");
    }

    [Fact]
    public async Task RunAsync_WhenIamAnswersAServerErrorAfterItsRetries_ShouldLeaveTheRoleUnknownAndReportEveryOtherArea()
    {
        var a = Create();
        a.Unanswered["iam:SimulatePrincipalPolicy"] = new ServiceFailure("IAM", 500, "InternalFailure", 3);

        var report = await DoctorAsync(a);

        var role = Assert.Single(report.Findings, f => f.Check == "execution-role");
        Assert.Equal(FindingStatus.Unknown, role.Status);
        Assert.StartsWith("unknown (IAM answered 500 after 3 attempts)", role.Message, StringComparison.Ordinal);
        Assert.Contains(ExecutionRole, role.Resources);
        foreach (var check in new[] { "route", "network-acl", "vpc-dns", "security-group-egress", "ecr-image", "log-group", "container-port", "load-balancer-security-group", "container-health-check" })
        {
            Assert.Contains(report.Findings, f => f.Check == check && f.Status == FindingStatus.Ok);
        }

        Assert.False(report.NothingRead);
        Assert.False(report.HasProblems);
        Assert.Equal(FindingStatus.Unknown, report.Findings[^1].Status);
    }

    [Fact]
    public async Task RunAsync_WhenTheNetworkReadsAreThrottled_ShouldLeaveOnlyTheNetworkUnknown()
    {
        var a = Create();
        a.Unanswered["ec2:DescribeNetworkAcls"] = new ServiceFailure("EC2", 400, "RequestLimitExceeded", 2);

        var report = await DoctorAsync(a);

        var acl = Assert.Single(report.Findings, f => f.Check == "network-acl");
        Assert.Equal(FindingStatus.Unknown, acl.Status);
        Assert.StartsWith("unknown (EC2 answered 400 RequestLimitExceeded after 2 attempts)", acl.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Check == "execution-role" && f.Status == FindingStatus.Ok);
        Assert.Contains(report.Findings, f => f.Check == "route" && f.Status == FindingStatus.Ok);
        Assert.False(report.NothingRead);
    }

    [Fact]
    public async Task RunAsync_WhenTheFirstReadIsNotAnswered_ShouldSayNothingWasReadAndNotCallTheServiceMissing()
    {
        var a = Create();
        a.Unanswered["ecs:DescribeServices"] = new ServiceFailure("ECS", 0, "RequestTimeout", null);

        var report = await DoctorAsync(a);

        Assert.True(report.NothingRead);
        Assert.DoesNotContain(report.Findings, f => f.IsProblem);
        var service = Assert.Single(report.Findings);
        Assert.Equal(("service", FindingStatus.Unknown), (service.Check, service.Status));
        Assert.StartsWith("unknown (ECS did not answer (RequestTimeout) after the SDK's retries (the number of attempts is not known))", service.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatherAsync_WhenAnEventsReadIsNotAnswered_ShouldFailSoThatLambdaRetries()
    {
        var a = Create();
        a.Unanswered["ecs:DescribeServices"] = new ServiceFailure("ECS", 503, "ServiceUnavailable", 3);
        var e = EventFiles.Load("image-pull-network");
        var c = Classifier.Classify(e.Facts);

        var error = await Assert.ThrowsAsync<ServiceFailureException>(() => Gatherer(a).GatherAsync(e, c, CancellationToken.None));

        Assert.Equal(("ECS", 503, 3), (error.Failure.Service, error.Failure.Status, error.Failure.Attempts));
        Assert.Equal("ecs:DescribeServices", error.Action);
    }
}
