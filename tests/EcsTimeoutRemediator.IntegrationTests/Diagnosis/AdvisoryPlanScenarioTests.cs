using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// The advisory each broken world on moto gets, built as the pipeline builds it (production readers, the category's
/// checks, the plan): its first step is the change that fixes the missing or wrong piece, with the ids the diagnosis
/// found, and no step asks to look up a value a finding already states.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AdvisoryPlanScenarioTests(MotoServer moto) : IAsyncLifetime
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

    [Fact]
    public async Task Advise_WhenAPrivateSubnetHasNoRouteAndNoEndpoints_ShouldLeadWithTheEndpointsAndOfferTheNatRouteInstead()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);

        var advisory = await AdviseAsync("image-pull-network", _world.PrivateSubnet);

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.AddVpcEndpoints);
        Assert.Contains($"create-vpc-endpoint --region us-east-1 --vpc-id {_world.VpcId} --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.ecr.api --subnet-ids {_world.PrivateSubnet}", first.Command, StringComparison.Ordinal);
        var endpoints = advisory.NextSteps.Where(s => s.Group == StepGroup.Fix).Select(s => s.Command).ToList();
        Assert.Equal(5, endpoints.Count);
        Assert.Contains(endpoints, c => c.Contains($"--vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids {_world.PrivateRouteTable}", StringComparison.Ordinal));
        var nat = Assert.Single(advisory.NextSteps, s => s.Group == StepGroup.Alternative);
        Assert.Equal((FixId.AddNatRoute, StepKind.Change), (nat.Fix, nat.Kind));
        Assert.StartsWith($"aws ec2 create-route --region us-east-1 --route-table-id {_world.PrivateRouteTable} --destination-cidr-block 0.0.0.0/0", nat.Command, StringComparison.Ordinal);
        PlanAssert.DoesNotLookUp(advisory, "describe-subnets", "describe-vpc-endpoints", "describe-route-tables", "describe-tasks");
    }

    [Fact]
    public async Task Advise_WhenAPublicSubnetServiceHasNoPublicIp_ShouldLeadWithThePublicIp()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: false);

        var advisory = await AdviseAsync("image-pull-network", _world.PublicSubnet);

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.EnableAssignPublicIp);
        Assert.EndsWith($"--network-configuration 'awsvpcConfiguration={{subnets=[{_world.PublicSubnet}],securityGroups=[{_world.TaskSecurityGroup}],assignPublicIp=ENABLED}}'", first.Command, StringComparison.Ordinal);
        PlanAssert.DoesNotLookUp(advisory, "describe-route-tables", "describe-tasks");
    }

    [Fact]
    public async Task Advise_WhenTheEndpointsSecurityGroupIsClosedToTheTask_ShouldLeadWithTheRuleThatOpensIt()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);
        var endpointGroup = await _world.AddEndpointsAsync(_world.PrivateSubnet);

        var advisory = await AdviseAsync("image-pull-network", _world.PrivateSubnet);

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.OpenSecurityGroup);
        Assert.Equal(
            $"aws ec2 authorize-security-group-ingress --region us-east-1 --group-id {endpointGroup} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{{GroupId={_world.TaskSecurityGroup}}}]'",
            first.Command);
        PlanAssert.DoesNotLookUp(advisory, "describe-vpc-endpoints", "describe-security-groups", "networkConfiguration.awsvpcConfiguration");
    }

    [Fact]
    public async Task Advise_WhenTheS3GatewayEndpointIsNotOnTheTasksRouteTable_ShouldPutItThereInsteadOfCreatingEndpoints()
    {
        await _world.CreateServiceAsync(_world.PrivateSubnet, assignPublicIp: false);
        var endpointGroup = await _world.AddEndpointsAsync(_world.PrivateSubnet, s3OnPrivateTable: false);
        await _world.AllowAsync(endpointGroup, 443, fromGroup: _world.TaskSecurityGroup);

        var advisory = await AdviseAsync("image-pull-network", _world.PrivateSubnet);

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.AddVpcEndpoints);
        Assert.Matches($"^aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id vpce-[0-9a-f]+ --add-route-table-ids {_world.PrivateRouteTable}$", first.Command);
        Assert.DoesNotContain(advisory.NextSteps, s => s.Command.Contains("create-vpc-endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Advise_WhenTheNetworkAclDeniesOutbound443_ShouldAddAnAllowRuleAheadOfTheDeny()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);
        var acl = await _world.BlockOutbound443Async(_world.PublicSubnet);

        var advisory = await AdviseAsync("image-pull-network", _world.PublicSubnet);

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.OpenNetworkAcl);
        Assert.StartsWith($"aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id {acl} --egress --rule-number 89 --protocol tcp --port-range From=443,To=443", first.Command, StringComparison.Ordinal);
        PlanAssert.DoesNotLookUp(advisory, "describe-network-acls");
    }

    [Fact]
    public async Task Advise_WhenTheExecutionRoleMayNotReadTheSecret_ShouldLeadWithTheExactMissingPolicy()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);
        using var iam = IamStub.Start("secretsmanager:GetSecretValue");

        var advisory = await AdviseAsync("secrets-permission", _world.PublicSubnet, iam.Url, SecretDenied(DiagnosisWorld.Secret));

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.GrantExecutionRolePermissions);
        Assert.Equal(
            $"aws iam put-role-policy --role-name shopApiExecutionRole --policy-name ecs-task-start --policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"{DiagnosisWorld.Secret}\"}}]}}'",
            first.Command);
        PlanAssert.DoesNotLookUp(advisory, "taskDefinition.executionRoleArn");
    }

    [Fact]
    public async Task Advise_WhenTheSecretsKeyIsDisabled_ShouldLeadWithEnablingIt()
    {
        var (keyId, keyArn) = await _world.CreateKeyAsync();
        var secret = await _world.CreateSecretAsync("shop/db", keyId);
        await _world.DisableKeyAsync(keyId);
        await _world.RegisterTaskDefinitionAsync(null, [new EcsSecret("DB_PASSWORD", secret)]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);
        using var iam = IamStub.Start();

        var advisory = await AdviseAsync("secrets-permission", _world.PublicSubnet, iam.Url, SecretDenied(secret));

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.EnableKmsKey);
        Assert.Equal($"aws kms enable-key --region us-east-1 --key-id {keyArn}", first.Command);
        PlanAssert.DoesNotLookUp(advisory, "aws kms describe-key");
    }

    [Fact]
    public async Task Advise_WhenTheFileSystemHasNoMountTargetInTheTasksZone_ShouldCreateOneInTheTasksSubnet()
    {
        var fileSystem = await _world.CreateFileSystemAsync(_world.PrivateSubnet, _world.TaskSecurityGroup);
        await _world.RegisterTaskDefinitionAsync([new EcsVolume { Name = "data", EfsVolumeConfiguration = new EcsEfsVolumeConfiguration { FileSystemId = fileSystem } }]);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var advisory = await AdviseAsync("efs-network", _world.PublicSubnet);

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.AddEfsMountTarget);
        Assert.Equal($"aws efs create-mount-target --region us-east-1 --file-system-id {fileSystem} --subnet-id {_world.PublicSubnet} --security-groups '<mount-target-security-group-id>'", first.Command);
        PlanAssert.DoesNotLookUp(advisory, "describe-mount-targets");
    }

    [Fact]
    public async Task Advise_WhenTheTargetGroupChecksTheWrongPort_ShouldHealthCheckTheTrafficPort()
    {
        var (targetGroup, lbGroup) = await _world.CreateLoadBalancerAsync(port: 80, healthCheckPort: "80");
        await _world.AllowAsync(_world.TaskSecurityGroup, 8080, fromGroup: lbGroup);
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true,
            [new EcsLoadBalancer { TargetGroupArn = targetGroup, ContainerName = "api", ContainerPort = 8080 }]);

        var advisory = await AdviseAsync("health-elb", _world.PublicSubnet, targetGroup: targetGroup);

        var first = PlanAssert.LeadsWithTheFix(advisory, FixId.FixHealthCheck);
        Assert.Equal($"aws elbv2 modify-target-group --region us-east-1 --target-group-arn {targetGroup} --health-check-port traffic-port", first.Command);
        PlanAssert.DoesNotLookUp(advisory, "describe-target-groups", "describe-security-groups");
    }

    private static string SecretDenied(string secret) =>
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: "
        + $"service call has been retried 1 time(s): failed to fetch secret {secret} from secrets manager: AccessDeniedException: not authorized. status code: 400, request id: 5d9c1f2e";

    /// <summary>A sample event for the world's service, gathered, diagnosed and advised on as the pipeline does.</summary>
    private async Task<Advisory> AdviseAsync(string sample, string subnet, string? iamUrl = null, string? stoppedReason = null, string? targetGroup = null)
    {
        using var defaultIam = iamUrl is null ? IamStub.Start() : null;
        var gatherer = DiagnosisWorld.Gatherer(moto, _clients, iamUrl ?? defaultIam!.Url);
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", sample + ".json")))!;
        var detail = node["detail"]!;
        node["account"] = MotoServer.AccountId;
        detail["clusterArn"] = $"arn:aws:ecs:us-east-1:{MotoServer.AccountId}:cluster/{DiagnosisWorld.Cluster}";
        detail["group"] = "service:api";
        detail["taskDefinitionArn"] = _world.TaskDefinitionArn;
        var reason = stoppedReason ?? detail["stoppedReason"]!.GetValue<string>();
        detail["stoppedReason"] = targetGroup is null ? reason : System.Text.RegularExpressions.Regex.Replace(reason, "arn:aws:elasticloadbalancing:[^ )]+", targetGroup);
        foreach (var d in detail["attachments"]?.AsArray().SelectMany(a => a!["details"]?.AsArray() ?? []) ?? [])
        {
            if (d!["name"]!.GetValue<string>() == "subnetId")
            {
                d["value"] = subnet;
            }
        }

        var e = ((ParseResult.Parsed)EventParser.Parse(node.ToJsonString())).Event;
        var c = Classifier.Classify(e.Facts);
        var context = await gatherer.GatherAsync(e, c, CancellationToken.None);
        return AdvisoryBuilder.Decide(e, c, Diagnoser.Diagnose(e, c, context), context);
    }
}

/// <summary>What every advisory with a proven cause must do: lead with its fix, and not ask for what the findings state.</summary>
internal static class PlanAssert
{
    /// <summary>The first problem's fix is <paramref name="fix"/>, and the advisory's first step is a change of that fix.</summary>
    public static NextStep LeadsWithTheFix(Advisory advisory, string fix)
    {
        var problem = advisory.Findings.FirstOrDefault(f => f.IsProblem);
        Assert.True(problem is not null, "no problem was found: " + string.Join(" | ", advisory.Findings.Select(f => $"{f.Check} {f.Status}: {f.Message}")));
        Assert.Equal(fix, problem.Fix);
        Assert.NotEmpty(advisory.NextSteps);
        var first = advisory.NextSteps[0];
        Assert.Equal((fix, StepGroup.Fix, StepKind.Change), (first.Fix, first.Group, first.Kind));
        AnswersNothingTwice(advisory.Findings, advisory.NextSteps);
        return first;
    }

    /// <summary>No step reads a value one of the findings holds.</summary>
    public static void AnswersNothingTwice(IReadOnlyList<Finding> findings, IReadOnlyList<NextStep> steps)
    {
        var held = findings.SelectMany(Fact.HeldBy).ToHashSet(StringComparer.Ordinal);
        Assert.All(steps, s => Assert.False(s.LooksUp is { } fact && held.Contains(fact), $"\"{s.Title}\" looks up {s.LooksUp}, which a finding states"));
    }

    /// <summary>None of the steps' commands contains any of <paramref name="reads"/>.</summary>
    public static void DoesNotLookUp(Advisory advisory, params string[] reads) =>
        Assert.All(advisory.NextSteps, s => Assert.All(reads, read => Assert.DoesNotContain(read, s.Command, StringComparison.Ordinal)));
}
