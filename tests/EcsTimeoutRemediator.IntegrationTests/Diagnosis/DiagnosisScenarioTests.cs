using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// A VPC per scenario on moto, the production readers and checks: each broken setup must come out with exactly its
/// missing piece named, and the correct setups clean.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DiagnosisScenarioTests(MotoServer moto) : IAsyncLifetime
{
    private DiagnosisWorld _world = null!;
    private AwsClients _clients = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _world = await DiagnosisWorld.CreateAsync(moto);
        var options = new AwsClientsOptions { Credentials = MotoServer.Credentials, ServiceUrl = moto.Url, AuthenticationRegion = MotoServer.Region };
        _clients = AwsClients.Create(options);
    }

    public Task DisposeAsync()
    {
        _world.Dispose();
        _clients.Dispose();
        return Task.CompletedTask;
    }

    private async Task<DoctorReport> DoctorAsync(params string[] deniedToTheExecutionRole) =>
        (await DoctorWithSimulationsAsync(deniedToTheExecutionRole)).Report;

    /// <summary>The doctor run and the SimulatePrincipalPolicy requests the IAM stub received during it.</summary>
    private async Task<(DoctorReport Report, IReadOnlyList<Simulation> Simulations)> DoctorWithSimulationsAsync(params string[] deniedToTheExecutionRole)
    {
        using var iam = IamStub.Start(deniedToTheExecutionRole);
        var gatherer = DiagnosisWorld.Gatherer(moto, _clients, iam.Url);
        var report = await Doctor.RunAsync(gatherer, new DiagnosisTarget { Region = MotoServer.Region, Cluster = DiagnosisWorld.Cluster, ServiceName = "api" }, CancellationToken.None);
        Assert.DoesNotContain(report.Findings, f => f.Status == FindingStatus.Unknown);
        return (report, iam.Simulations);
    }

    private static string DecryptPolicy(string keyArn) =>
        $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"{keyArn}\"}}]}}";

    /// <summary>The execution role's one simulation asked for kms:Decrypt with the key ARN among the resources.</summary>
    private static Simulation AssertDecryptSimulated(IReadOnlyList<Simulation> simulations, string keyArn)
    {
        var simulation = Assert.Single(simulations, s => s.PolicySourceArn == DiagnosisWorld.ExecutionRole);
        Assert.Contains("kms:Decrypt", simulation.ActionNames);
        Assert.Contains(keyArn, simulation.ResourceArns);
        return simulation;
    }

    private static Finding OnlyProblem(DoctorReport report)
    {
        var problems = report.Findings.Where(f => f.IsProblem).ToList();
        Assert.True(problems.Count == 1, "expected exactly one problem, got: " + string.Join(" | ", problems.Select(p => $"{p.Check}: {p.Message}")));
        Assert.Same(problems[0], report.Findings[0]);

        // The fix of the problem comes first and starts with the change that cures it; no step reads what a finding states.
        var fix = report.Fixes[0];
        Assert.Equal((problems[0].Fix, Advisories.StepGroup.Fix, Advisories.StepKind.Change), (fix.Fix, fix.Group, fix.Steps[0].Kind));
        PlanAssert.AnswersNothingTwice(report.Findings, [.. report.Fixes.SelectMany(f => f.Steps)]);
        return problems[0];
    }

    [Fact]
    public async Task Doctor_WhenAPublicSubnetServiceHasAPublicIp_ShouldComeOutClean()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var report = await DoctorAsync();

        Assert.False(report.HasProblems, string.Join(" | ", report.Findings.Where(f => f.IsProblem).Select(f => f.Message)));
        foreach (var check in new[] { "route", "network-acl", "vpc-dns", "security-group-egress", "ecr-image", "execution-role", "log-group" })
        {
            Assert.Contains(report.Findings, f => f.Check == check && f.Status == FindingStatus.Ok);
        }
    }

    [Fact]
    public async Task Doctor_WhenAPrivateSubnetHasEveryEndpointOpenToTheTask_ShouldComeOutClean()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);
        var endpointGroup = await _world.AddEndpointsAsync(_world.PrivateSubnet);
        await _world.AllowAsync(endpointGroup, 443, fromGroup: _world.TaskSecurityGroup);

        var report = await DoctorAsync();

        Assert.False(report.HasProblems, string.Join(" | ", report.Findings.Where(f => f.IsProblem).Select(f => f.Message)));
        Assert.Contains(report.Findings, f => f.Check == "endpoint-security-group" && f.Status == FindingStatus.Ok);
    }

    [Fact]
    public async Task Doctor_WhenAPublicSubnetServiceHasNoPublicIp_ShouldNameThePublicIp()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: false);

        var problem = OnlyProblem(await DoctorAsync());

        Assert.Equal("public-ip", problem.Check);
        Assert.Contains(_world.PublicSubnet, problem.Resources);
    }

    [Fact]
    public async Task Doctor_WhenAPrivateSubnetHasNoNatAndNoEndpoints_ShouldNameTheEndpoints()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);

        var problem = OnlyProblem(await DoctorAsync());

        Assert.Equal("vpc-endpoints", problem.Check);
        Assert.EndsWith("lacks the endpoints ecr.api, ecr.dkr, s3, secretsmanager, logs.", problem.Message, StringComparison.Ordinal);
        Assert.Contains(_world.PrivateRouteTable, problem.Resources);
    }

    [Fact]
    public async Task Doctor_WhenTheEndpointsSecurityGroupIsClosedToTheTask_ShouldNameThatGroup()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);
        var endpointGroup = await _world.AddEndpointsAsync(_world.PrivateSubnet);

        var problem = OnlyProblem(await DoctorAsync());

        Assert.Equal("endpoint-security-group", problem.Check);
        Assert.Contains(endpointGroup, problem.Resources);
        Assert.Contains(_world.TaskSecurityGroup, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WhenTheS3GatewayEndpointIsNotOnTheTasksRouteTable_ShouldNameS3()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);
        var endpointGroup = await _world.AddEndpointsAsync(_world.PrivateSubnet, s3OnPrivateTable: false);
        await _world.AllowAsync(endpointGroup, 443, fromGroup: _world.TaskSecurityGroup);

        var problem = OnlyProblem(await DoctorAsync());

        Assert.Equal("vpc-endpoints", problem.Check);
        Assert.EndsWith("lacks the endpoints s3.", problem.Message, StringComparison.Ordinal);
        Assert.Equal("S3 gateway endpoint not on the route table", problem.Headline);
    }

    [Fact]
    public async Task Doctor_WhenTheNetworkAclBlocksOutbound443_ShouldNameTheAclAndItsRule()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);
        var acl = await _world.BlockOutbound443Async(_world.PublicSubnet);

        var problem = OnlyProblem(await DoctorAsync());

        Assert.Equal("network-acl", problem.Check);
        Assert.Contains(acl, problem.Resources);
        Assert.Contains("(rule 90)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WhenTheFileSystemHasNoMountTargetInTheTasksZone_ShouldNameTheZone()
    {
        var efsGroup = _world.TaskSecurityGroup;
        var fileSystem = await _world.CreateFileSystemAsync(_world.PrivateSubnet, efsGroup);
        await _world.RegisterTaskDefinitionAsync(
        [
            new EcsVolume { Name = "data", EfsVolumeConfiguration = new EcsEfsVolumeConfiguration { FileSystemId = fileSystem } },
        ]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var problem = OnlyProblem(await DoctorAsync());

        Assert.Equal("efs-mount-target", problem.Check);
        Assert.Equal("no EFS mount target in us-east-1a", problem.Headline);
        Assert.Contains(fileSystem, problem.Resources);
    }

    [Fact]
    public async Task Doctor_WhenTheTargetGroupChecksTheWrongPort_ShouldNameBothPorts()
    {
        var (targetGroup, lbGroup) = await _world.CreateLoadBalancerAsync(port: 80, healthCheckPort: "80");
        await _world.AllowAsync(_world.TaskSecurityGroup, 8080, fromGroup: lbGroup);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true,
            [new EcsLoadBalancer { TargetGroupArn = targetGroup, ContainerName = "api", ContainerPort = 8080 }]);

        var report = await DoctorAsync();
        var problem = OnlyProblem(report);

        Assert.Equal("health-check-port", problem.Check);
        Assert.Equal("health check on port 80, container on 8080", problem.Headline);
        Assert.Contains(report.Findings, f => f.Check == "load-balancer-security-group" && f.Status == FindingStatus.Ok);
    }

    [Fact]
    public async Task Doctor_WhenTheExecutionRoleMayNotReadTheSecret_ShouldGiveTheExactMissingPolicy()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var problem = OnlyProblem(await DoctorAsync("secretsmanager:GetSecretValue"));

        Assert.Equal("execution-role", problem.Check);
        Assert.Equal(
            $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"{DiagnosisWorld.Secret}\"}}]}}",
            problem.Detail);
    }

    [Fact]
    public async Task Doctor_WhenTheExecutionRoleMayReadTheSecretButNotDecryptItsCustomerManagedKey_ShouldGiveTheDecryptPolicyOnTheKey()
    {
        var (keyId, keyArn) = await _world.CreateKeyAsync();
        var secret = await _world.CreateSecretAsync("shop/db", keyId);
        await _world.RegisterTaskDefinitionAsync(null, [new EcsSecret("DB_PASSWORD", secret)]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var (report, simulations) = await DoctorWithSimulationsAsync("kms:Decrypt");
        var problem = OnlyProblem(report);

        Assert.Equal("execution-role", problem.Check);
        Assert.Equal(FindingStatus.Missing, problem.Status);
        Assert.Equal(DecryptPolicy(keyArn), problem.Detail);
        Assert.Contains(keyArn, problem.Resources);
        var simulation = AssertDecryptSimulated(simulations, keyArn);
        Assert.Contains("secretsmanager:GetSecretValue", simulation.ActionNames);
        Assert.Contains(secret, simulation.ResourceArns);
    }

    [Fact]
    public async Task Doctor_WhenTheExecutionRoleMayDecryptTheSecretsCustomerManagedKey_ShouldComeOutCleanWithTheKeyOk()
    {
        var (keyId, keyArn) = await _world.CreateKeyAsync();
        var secret = await _world.CreateSecretAsync("shop/db", keyId);
        await _world.RegisterTaskDefinitionAsync(null, [new EcsSecret("DB_PASSWORD", secret)]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var (report, simulations) = await DoctorWithSimulationsAsync();

        Assert.False(report.HasProblems, string.Join(" | ", report.Findings.Where(f => f.IsProblem).Select(f => f.Message)));
        var key = Assert.Single(report.Findings, f => f.Check == "secret-key");
        Assert.Equal(FindingStatus.Ok, key.Status);
        Assert.Equal([keyArn], key.Resources);
        Assert.Contains(keyArn, key.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Check == "execution-role" && f.Status == FindingStatus.Ok && f.Message.Contains("kms:Decrypt", StringComparison.Ordinal));
        AssertDecryptSimulated(simulations, keyArn);
    }

    [Fact]
    public async Task Doctor_WhenTheSecretsCustomerManagedKeyIsDisabled_ShouldNameTheKeyAndItsEnableFix()
    {
        var (keyId, keyArn) = await _world.CreateKeyAsync();
        var secret = await _world.CreateSecretAsync("shop/db", keyId);
        await _world.DisableKeyAsync(keyId);
        await _world.RegisterTaskDefinitionAsync(null, [new EcsSecret("DB_PASSWORD", secret)]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var report = await DoctorAsync();
        var problem = OnlyProblem(report);

        Assert.Equal("secret-key", problem.Check);
        Assert.Equal(FindingStatus.Wrong, problem.Status);
        Assert.Equal("enable-kms-key", problem.Fix);
        Assert.Contains("Disabled", problem.Message, StringComparison.Ordinal);
        Assert.Contains(keyArn, problem.Resources);
        Assert.Contains(secret, problem.Resources);
        var fix = Assert.Single(report.Fixes);
        Assert.Equal("enable-kms-key", fix.Fix);
        Assert.Contains(fix.Steps, s => s.Command.Contains($"aws kms enable-key --region {MotoServer.Region} --key-id {keyArn}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_WhenASecureStringParametersKeyIsGivenAsAnAliasAndTheRoleMayNotDecrypt_ShouldGiveTheDecryptPolicyOnTheKeyArn()
    {
        var (_, keyArn) = await _world.CreateKeyAsync(alias: "alias/shop-params");
        var parameter = await _world.PutSecureParameterAsync("/shop/db-password", "alias/shop-params");
        await _world.RegisterTaskDefinitionAsync(null, [new EcsSecret("DB_PASSWORD", parameter)]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var (report, simulations) = await DoctorWithSimulationsAsync("kms:Decrypt");
        var problem = OnlyProblem(report);

        Assert.Equal("execution-role", problem.Check);
        Assert.Equal(FindingStatus.Missing, problem.Status);
        Assert.Equal(DecryptPolicy(keyArn), problem.Detail);
        Assert.DoesNotContain("alias/", problem.Detail, StringComparison.Ordinal);
        var simulation = AssertDecryptSimulated(simulations, keyArn);
        Assert.Contains("ssm:GetParameters", simulation.ActionNames);
        Assert.Contains(parameter, simulation.ResourceArns);
        Assert.DoesNotContain(simulation.ResourceArns, r => r.Contains("alias/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gather_WhenAnImagePullTimesOutInAPrivateSubnet_ShouldStayWithinTenReads()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);
        using var iam = IamStub.Start();
        var gatherer = DiagnosisWorld.Gatherer(moto, _clients, iam.Url);
        var e = Events.EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(ImagePullEvent())) as Events.ParseResult.Parsed;
        var c = Classification.Classifier.Classify(e!.Event.Facts);

        var context = await gatherer.GatherAsync(e.Event, c, CancellationToken.None);
        var findings = Diagnoser.Diagnose(e.Event, c, context);

        Assert.InRange(context.ReadCalls, 1, ContextGatherer.MaxReadsPerEvent);
        Assert.Equal("vpc-endpoints", findings[0].Check);
    }

    [Fact]
    public async Task Gather_WhenASecretCannotBeDecryptedWithItsCustomerManagedKey_ShouldNameTheDecryptPolicyWithinTenReads()
    {
        var (keyId, keyArn) = await _world.CreateKeyAsync();
        var secret = await _world.CreateSecretAsync("shop/db", keyId);
        await _world.RegisterTaskDefinitionAsync(null, [new EcsSecret("DB_PASSWORD", secret)]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);
        using var iam = IamStub.Start("kms:Decrypt");
        var gatherer = DiagnosisWorld.Gatherer(moto, _clients, iam.Url);
        var e = Events.EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(SecretsPermissionEvent(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: "
            + $"service call has been retried 1 time(s): failed to fetch secret {secret} from secrets manager: AccessDeniedException: Access to KMS is not allowed. "
            + "status code: 400, request id: 5d9c1f2e"))) as Events.ParseResult.Parsed;
        var c = Classification.Classifier.Classify(e!.Event.Facts);

        var context = await gatherer.GatherAsync(e.Event, c, CancellationToken.None);
        var findings = Diagnoser.Diagnose(e.Event, c, context);

        Assert.Equal(Classification.Category.SecretsPermission, c.Category);
        Assert.InRange(context.ReadCalls, 1, ContextGatherer.MaxReadsPerEvent);
        var problem = Assert.Single(findings, f => f.IsProblem);
        Assert.Same(problem, findings[0]);
        Assert.Equal("execution-role", problem.Check);
        Assert.Equal(DecryptPolicy(keyArn), problem.Detail);
        AssertDecryptSimulated(iam.Simulations, keyArn);
    }

    private string ImagePullEvent()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "image-pull-network.json")))!;
        node["account"] = MotoServer.AccountId;
        node["detail"]!["clusterArn"] = $"arn:aws:ecs:us-east-1:{MotoServer.AccountId}:cluster/{DiagnosisWorld.Cluster}";
        node["detail"]!["group"] = "service:api";
        node["detail"]!["taskDefinitionArn"] = _world.TaskDefinitionArn;
        return node.ToJsonString();
    }

    private string SecretsPermissionEvent(string stoppedReason)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "secrets-permission.json")))!;
        node["account"] = MotoServer.AccountId;
        node["detail"]!["clusterArn"] = $"arn:aws:ecs:us-east-1:{MotoServer.AccountId}:cluster/{DiagnosisWorld.Cluster}";
        node["detail"]!["group"] = "service:api";
        node["detail"]!["taskDefinitionArn"] = _world.TaskDefinitionArn;
        node["detail"]!["stoppedReason"] = stoppedReason;
        return node.ToJsonString();
    }
}
