using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>Events from events/ through the real handler and the real <c>ecs-remediator handle</c> process to SNS and back out of SQS.</summary>
[Collection(MotoCollection.Name)]
public sealed class PipelineEndToEndTests(MotoServer moto) : IAsyncLifetime
{
    private BrokenAccount _account = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Dictionary<string, string> Environment(bool withTopic = true) => new()
    {
        ["AWS_REGION"] = MotoServer.Region,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_ENDPOINT_URL"] = moto.Url,
        ["AWS_MAX_ATTEMPTS"] = "2",
        ["ADVISORY_TOPIC_ARN"] = withTopic ? _account.TopicArn : "",
    };

    private Task<(int ExitCode, string Stdout, string Stderr)> HandleAsync(string eventJson, bool withTopic = true, params string[] extra) =>
        RunCliAsync(eventJson, Environment(withTopic), ["handle", "-", .. extra]);

    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(string stdin, Dictionary<string, string> environment, string[] args)
    {
        var cli = Path.GetFullPath(typeof(PipelineEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliAssembly").Value!);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        psi.Environment.Remove("AWS_PROFILE");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Handle_WhenAPrivateSubnetServiceCannotPull_ShouldPublishNoRouteToEcrWithTheRealIds()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);

        var r = await HandleAsync(_account.Event("image-pull-network", "api", _account.PrivateSubnet));

        Assert.True(r.ExitCode == 0, r.Stderr);
        using var decision = JsonDocument.Parse(r.Stdout);
        Assert.Equal("advised", decision.RootElement.GetProperty("decision").GetProperty("outcome").GetString());
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: image pull timed out (no route to ECR)", subject);
        Assert.Contains("image-pull/network", message, StringComparison.Ordinal);
        Assert.Contains($"{_account.PrivateSubnet} has no route to the internet ({_account.PrivateRouteTable}", message, StringComparison.Ordinal);
        Assert.Contains("ecr.api, ecr.dkr, s3", message, StringComparison.Ordinal);
        Assert.Contains($"--vpc-id {_account.VpcId} --vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids {_account.PrivateRouteTable}", message, StringComparison.Ordinal);
        Assert.Contains($"aws ec2 create-route --region us-east-1 --route-table-id {_account.PrivateRouteTable}", message, StringComparison.Ordinal);
        Assert.Contains("\"readCalls\"", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenAPublicSubnetServiceHasNoPublicIp_ShouldSayItAndGiveTheUpdateCommand()
    {
        await _account.CreateServiceAsync("api", _account.PublicSubnet, assignPublicIp: false);

        var r = await HandleAsync(_account.Event("image-pull-network", "api", _account.PublicSubnet));

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: image pull timed out (public subnet without public IP)", subject);
        Assert.Contains($"routes 0.0.0.0/0 to {_account.InternetGateway}", message.Replace("sends 0.0.0.0/0 to", "routes 0.0.0.0/0 to", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"awsvpcConfiguration={{subnets=[{_account.PublicSubnet}],securityGroups=[{_account.TaskSecurityGroup}],assignPublicIp=ENABLED}}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenHealthChecksKilledTheTask_ShouldReportTheTargetGroupAndGrace()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true);

        var r = await HandleAsync(_account.Event("health-elb", "api", _account.PrivateSubnet));

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.StartsWith("[ECS] payments/api: failed load balancer health checks", subject, StringComparison.Ordinal);
        Assert.Contains(_account.TargetGroupArn, message, StringComparison.Ordinal);
        Assert.Contains("grace period is 0 s", message, StringComparison.Ordinal);
        Assert.Contains("--health-check-grace-period-seconds", message, StringComparison.Ordinal);
    }

    /// <summary>A sample of events/service/ rewritten into the moto account (cluster payments, service api).</summary>
    private static string ServiceEvent(string name)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events-service", name + ".json"))
            .Replace("111122223333", MotoServer.AccountId, StringComparison.Ordinal);
        var node = JsonNode.Parse(text)!;
        node["id"] = Guid.NewGuid().ToString();
        return node.ToJsonString();
    }

    [Theory]
    [InlineData("service-task-placement-failure", "no capacity to place the task", "placement/capacity")]
    [InlineData("service-deployment-failed", "deployment circuit breaker tripped", "unknown")]
    public async Task Handle_WhenAServiceOrDeploymentEventArrives_ShouldPublishOnTheServicesIncident(string name, string headline, string category)
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);

        var r = await HandleAsync(ServiceEvent(name));

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.StartsWith($"[ECS] payments/api: {headline}", subject, StringComparison.Ordinal);
        Assert.Contains($"\"threadId\":\"{MotoServer.AccountId}:{MotoServer.Region}:payments:api:{category}\"", message, StringComparison.Ordinal);
        Assert.Contains("/services/api/events", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenAConfigurationFailureFindsASubnetOutOfAddresses_ShouldNameItAndPlaceTheServiceInTheOthers()
    {
        // moto counts the addresses of the subnet's network interfaces against AvailableIpAddressCount: one interface
        // with 10 secondary addresses fills a /28 (11 usable), another holds 10 of a second /28 (1 left).
        var full = await _account.CreateSubnetWithFreeAddressesAsync("10.0.30.0/28", "us-east-1a", taken: 11);
        var low = await _account.CreateSubnetWithFreeAddressesAsync("10.0.31.0/28", "us-east-1b", taken: 10);
        await _account.CreateServiceAsync("api", [full, low, _account.PrivateSubnet], desiredCount: 4, launchType: "FARGATE");
        var e = JsonNode.Parse(ServiceEvent("service-task-configuration-failure"))!;
        e["detail"]!["reason"] = $"Unexpected EC2 error while attempting to Create Network Interface in subnet '{full}': InsufficientFreeAddressesInSubnet";

        var r = await HandleAsync(e.ToJsonString());

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(2, JsonDocument.Parse(r.Stdout).RootElement.GetProperty("decision").GetProperty("readCalls").GetInt32());
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal($"[ECS] payments/api: network interface not provisioned (no free IP in {full})", subject);
        Assert.Contains($"{full} has no free IP address left", message, StringComparison.Ordinal);
        Assert.Contains($"{low} has only 1 free IP address, fewer than the service's desired count of 4", message, StringComparison.Ordinal);
        Assert.Contains($"Name=subnet-id,Values={full},{low}", message, StringComparison.Ordinal);
        Assert.Contains($"awsvpcConfiguration={{subnets=[{_account.PrivateSubnet}],securityGroups=[{_account.TaskSecurityGroup}],assignPublicIp=DISABLED}}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenAPlacementFailureMeetsAClusterWithoutInstances_ShouldSaySoAndThatManagedScalingIsOff()
    {
        // moto does not check that the Auto Scaling group exists, and the function does not read the group.
        using var ecs = _account.EcsSetup();
        await ecs.CreateCapacityProviderAsync("payments-asg",
            $"arn:aws:autoscaling:us-east-1:{MotoServer.AccountId}:autoScalingGroup:5f1c2a9e-7b3d-4e5f-a1c2-9d8e7f6a5b4c:autoScalingGroupName/payments-asg", managedScaling: false);
        await _account.CreateServiceAsync("api", [_account.PrivateSubnet], desiredCount: 2, launchType: "EC2");

        var r = await HandleAsync(ServiceEvent("service-task-placement-failure"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(3, JsonDocument.Parse(r.Stdout).RootElement.GetProperty("decision").GetProperty("readCalls").GetInt32());
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: no capacity to place the task (no container instance in payments)", subject);
        Assert.Contains("Cluster payments has no registered container instance (no instance of the Auto Scaling group payments-asg is running and registered)", message, StringComparison.Ordinal);
        Assert.Contains("Capacity provider payments-asg (Auto Scaling group payments-asg) has managed scaling DISABLED", message, StringComparison.Ordinal);
        Assert.Contains("aws ecs update-capacity-provider --region us-east-1 --name payments-asg --auto-scaling-group-provider", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenAnEniPlacementFailureHitsAnEc2Service_ShouldCheckItsSubnetsAndHintAtTrunking()
    {
        await _account.CreateServiceAsync("api", [_account.PrivateSubnet], desiredCount: 2, launchType: "EC2");

        var r = await HandleAsync(ServiceEvent("service-task-placement-failure-eni"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: no capacity to place the task (no container instance in payments)", subject);
        Assert.Contains($"{_account.PrivateSubnet} has 251 free IP addresses.", message, StringComparison.Ordinal);
        Assert.Contains("RESOURCE:ENI on the EC2 launch type", message, StringComparison.Ordinal);
        Assert.Contains("awsvpcTrunking", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenAConfigurationFailureNamesADeregisteredTaskDefinition_ShouldSayItIsInactive()
    {
        await _account.CreateServiceAsync("api", [_account.PrivateSubnet], desiredCount: 2, launchType: "FARGATE");
        using var ecs = _account.EcsSetup();
        await ecs.DeregisterTaskDefinitionAsync(_account.TaskDefinitionArn);
        var e = JsonNode.Parse(ServiceEvent("service-task-configuration-failure-task-definition"))!;
        e["detail"]!["reason"] = $"Unable to use task definition {_account.TaskDefinitionArn}: the task definition is INACTIVE.";

        var r = await HandleAsync(e.ToJsonString());

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: tasks could not be configured (task definition api:1 is INACTIVE)", subject);
        Assert.Contains($"The task definition {_account.TaskDefinitionArn} is INACTIVE (deregistered)", message, StringComparison.Ordinal);
        Assert.Contains("aws ecs list-task-definitions --region us-east-1 --family-prefix api --status ACTIVE", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenAConfigurationFailureNamesATaskDefinitionThatDoesNotExist_ShouldSaySo()
    {
        await _account.CreateServiceAsync("api", [_account.PrivateSubnet], desiredCount: 2, launchType: "FARGATE");
        var ghost = $"arn:aws:ecs:us-east-1:{MotoServer.AccountId}:task-definition/api:99";
        var e = JsonNode.Parse(ServiceEvent("service-task-configuration-failure-task-definition"))!;
        e["detail"]!["reason"] = $"Unable to use task definition {ghost}: the task definition does not exist.";

        var r = await HandleAsync(e.ToJsonString());

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: tasks could not be configured (task definition api:99 does not exist)", subject);
        Assert.Contains($"The task definition {ghost} does not exist", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenTheTaskBelongsToNoService_ShouldStillAdvise()
    {
        var r = await HandleAsync(_account.Event("exit-oom", null, _account.PrivateSubnet));

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.StartsWith("[ECS] payments/image-resizer: container out of memory", subject, StringComparison.Ordinal);
        Assert.Contains("OutOfMemoryError", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenTheStopIsBenign_ShouldPublishNothing()
    {
        var r = await HandleAsync(_account.Event("benign-scaling", "api", _account.PrivateSubnet));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("dropped", JsonDocument.Parse(r.Stdout).RootElement.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.Empty(await _account.ReadAdvisoriesAsync());
    }

    [Fact]
    public async Task Handle_WhenNotPublishing_ShouldPrintTheAdvisoryAndPublishNothing()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);

        var r = await HandleAsync(_account.Event("image-pull-network", "api", _account.PrivateSubnet), withTopic: false, "--no-publish");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var advisory = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("advisory");
        Assert.Equal("[ECS] payments/api: image pull timed out (no route to ECR)", advisory.GetProperty("subject").GetString());
        Assert.Empty(await _account.ReadAdvisoriesAsync());
    }

    [Fact]
    public async Task Handle_WhenTheTopicIsNotConfigured_ShouldExitTwoWithAClearMessage()
    {
        var r = await HandleAsync(_account.Event("image-pull-network", "api", _account.PrivateSubnet), withTopic: false);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("ADVISORY_TOPIC_ARN is not set", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearFix_WhenAFixDidNotCure_ShouldForgetItOnceAndSaySo()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true);
        var table = await EcsTimeoutRemediator.IntegrationTests.Ledger.LedgerTable.CreateAsync(moto);
        var ledger = new EcsTimeoutRemediator.Aws.Adapters.DynamoDbFixHistory(new EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable(EcsTimeoutRemediator.IntegrationTests.Ledger.LedgerTable.Client(moto), table));
        var key = $"{MotoServer.AccountId}:{MotoServer.Region}:{BrokenAccount.Cluster}/api";
        await ledger.RecordFixAsync(key, new EcsTimeoutRemediator.Ports.FixRecord("raise-health-check-grace", "health/elb", DateTimeOffset.UtcNow, "0", "60", Ineffective: true), default);
        var env = Environment();
        env["LEDGER_TABLE_NAME"] = table;
        string[] args = ["clear-fix", "--cluster", BrokenAccount.Cluster, "--service", "api", "--fix", "raise-health-check-grace"];

        var first = await RunCliAsync("", env, args);
        var second = await RunCliAsync("", env, args);
        var unknown = await RunCliAsync("", env, ["clear-fix", "--cluster", BrokenAccount.Cluster, "--service", "api", "--fix", "reboot-everything"]);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal("cleared raise-health-check-grace on payments/api: the function may apply it again\n", first.Stdout);
        Assert.Null(await ledger.GetFixAsync(key, "raise-health-check-grace", default));
        Assert.Equal("nothing to clear: raise-health-check-grace has no history on payments/api\n", second.Stdout);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown fix \"reboot-everything\"", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenTheEventIsMalformed_ShouldExitTwo()
    {
        var r = await HandleAsync("{\"detail-type\":");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("ecs-remediator: invalid:", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheLambdaHandlerGetsAnEvent_ShouldPublishAndReturnTheDecision()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        var saved = Environment().Keys.ToDictionary(k => k, System.Environment.GetEnvironmentVariable);
        foreach (var (k, v) in Environment())
        {
            System.Environment.SetEnvironmentVariable(k, v);
        }

        var logs = new StringWriter();
        var stdout = Console.Out;
        try
        {
            Console.SetOut(logs);
            using var root = CompositionRoot.ForLambda(Settings.FromEnvironment().RequireLambdaEnvironment(), Console.Out);
            var function = new Function(root.Pipeline);
            var input = Encoding.UTF8.GetBytes(_account.Event("secrets-network", "api", _account.PrivateSubnet, eventId: "e2e-lambda-1"));

            var output = await function.HandleAsync(input, CancellationToken.None);

            using var decision = JsonDocument.Parse(output);
            Assert.Equal("advised", decision.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("e2e-lambda-1", decision.RootElement.GetProperty("eventId").GetString());
        }
        finally
        {
            Console.SetOut(stdout);
            foreach (var (k, v) in saved)
            {
                System.Environment.SetEnvironmentVariable(k, v);
            }
        }

        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: secrets fetch timed out (no route to Secrets Manager / SSM)", subject);
        Assert.Contains("secretsmanager", message, StringComparison.Ordinal);
        var lines = logs.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.TryGetProperty("message", out var m) && m.GetString() == "advisory published" && l.GetProperty("correlationId").GetString() == "e2e-lambda-1");
        Assert.Contains(lines, l => l.TryGetProperty("_aws", out _) && l.TryGetProperty("AdvisoriesPublished", out _));
    }
}
