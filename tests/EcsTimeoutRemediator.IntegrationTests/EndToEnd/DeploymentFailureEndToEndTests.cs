using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// A moto server of its own that reports 3 failed tasks for every deployment (its MOTO_ECS_SERVICE_FAILED_TASKS
/// switch: moto has no API that fails tasks of a deployment).
/// </summary>
public sealed class FailingDeploymentsMoto : IAsyncLifetime
{
    public const int FailedTasks = 3;

    public MotoServer Server { get; } = new(new Dictionary<string, string> { ["MOTO_ECS_SERVICE_FAILED_TASKS"] = FailedTasks.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}

/// <summary>events/service/service-deployment-failed.json through <c>ecs-remediator handle</c> against a moto service whose deployment failed.</summary>
public sealed class DeploymentFailureEndToEndTests(FailingDeploymentsMoto fixture) : IClassFixture<FailingDeploymentsMoto>, IAsyncLifetime
{
    private MotoServer Moto => fixture.Server;

    private BrokenAccount _account = null!;

    public async Task InitializeAsync()
    {
        await Moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(Moto);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Handle_WhenTheCircuitBreakerFailedADeployment_ShouldNameItWithFailedOfThresholdAndTheRollback()
    {
        // Desired count 6: the circuit breaker's threshold is max(3, 6 / 2) = 3. moto keeps the deployment
        // configuration that UpdateService sets; its deployment stays IN_PROGRESS (it never fails one), and it lists no
        // second deployment, so the rolled-back case (and rolloutState FAILED) is covered by the unit tests' fakes.
        await _account.CreateServiceAsync("api", [_account.PrivateSubnet], desiredCount: 6, launchType: "FARGATE");
        using var ecs = _account.EcsSetup();
        var service = await ecs.UpdateServiceAsync(new UpdateServiceInput
        {
            Cluster = BrokenAccount.Cluster,
            Service = "api",
            DeploymentConfiguration = new EcsDeploymentConfiguration
            {
                DeploymentCircuitBreaker = new EcsDeploymentCircuitBreaker { Enable = true, Rollback = true },
                MaximumPercent = 200,
                MinimumHealthyPercent = 100,
            },
        });
        var deployment = Assert.Single(service.Deployments).Id!;
        var e = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events-service", "service-deployment-failed.json"))
            .Replace("111122223333", MotoServer.AccountId, StringComparison.Ordinal))!;
        e["id"] = Guid.NewGuid().ToString();
        e["detail"]!["deploymentId"] = deployment;

        var r = await PipelineEndToEndTests.RunCliAsync(e.ToJsonString(), new Dictionary<string, string>
        {
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_ENDPOINT_URL"] = Moto.Url,
            ["AWS_MAX_ATTEMPTS"] = "2",
            ["ADVISORY_TOPIC_ARN"] = _account.TopicArn,
        }, ["handle", "-"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(1, JsonDocument.Parse(r.Stdout).RootElement.GetProperty("decision").GetProperty("readCalls").GetInt32());
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: deployment circuit breaker tripped (3 of threshold 3 tasks failed, rolling back)", subject);
        Assert.Contains($"Deployment {deployment} (task definition api:1) failed: 3 of threshold 3 tasks failed to start", message, StringComparison.Ordinal);
        Assert.Contains("Rollback is on: ECS rolls the service back to its last completed deployment.", message, StringComparison.Ordinal);
        Assert.Contains($"aws ecs list-tasks --region us-east-1 --cluster payments --started-by {deployment} --desired-status STOPPED", message, StringComparison.Ordinal);
        Assert.Contains("https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/payments/services/api/events?region=us-east-1", message, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"ECS deployment failed on payments/api: deployment circuit breaker tripped\"", message, StringComparison.Ordinal);
    }
}
