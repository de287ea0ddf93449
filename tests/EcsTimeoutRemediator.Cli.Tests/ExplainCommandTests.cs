using System.Text.Json;

namespace EcsTimeoutRemediator.Cli.Tests;

public class ExplainCommandTests
{
    [Fact]
    public async Task Explain_WhenGivenTheHealthElbEvent_ShouldPrintCauseEvidenceAndFilledCommands()
    {
        var r = await CliProcess.RunAsync(null, "explain", CliProcess.EventPath("health-elb"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("FAILURE: health/elb on payments/api", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("targetgroup/payments-api-tg/73e2d6bc24d8a067", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("aws ecs update-service --region us-east-1 --cluster payments --service api --health-check-grace-period-seconds", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("aws ecs describe-tasks --region us-east-1 --cluster payments --tasks arn:aws:ecs:us-east-1:111122223333:task/payments/", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WhenAskedForJsonFromStdin_ShouldPrintTheSameFindingAsJson()
    {
        var json = await File.ReadAllTextAsync(CliProcess.EventPath("image-pull-network"));

        var r = await CliProcess.RunAsync(json, "explain", "-", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var c = doc.RootElement.GetProperty("classification");
        Assert.Equal("image-pull/network", c.GetProperty("category").GetString());
        Assert.True(c.GetProperty("actionable").GetBoolean());
        Assert.Equal("111122223333.dkr.ecr.us-east-1.amazonaws.com", c.GetProperty("evidence").GetProperty("registryHost").GetString());
        Assert.Equal("api", doc.RootElement.GetProperty("task").GetProperty("service").GetString());
        Assert.Contains(doc.RootElement.GetProperty("nextSteps").EnumerateArray(), s => s.GetProperty("command").GetString()!.Contains("describe-vpc-endpoints", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Explain_WhenGivenADeploymentFailure_ShouldNameTheDeploymentAndPointToTheServiceEvents()
    {
        var r = await CliProcess.RunAsync(null, "explain", Path.Combine(AppContext.BaseDirectory, "events-service", "service-deployment-failed.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("FAILURE: unknown on payments/api", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("SERVICE_DEPLOYMENT_FAILED", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("ecs-svc/6174913220145829901", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("circuit breaker", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("aws ecs describe-services --region us-east-1 --cluster payments --services api", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WhenGivenAPlacementFailureAsJson_ShouldClassifyItsReason()
    {
        var r = await CliProcess.RunAsync(null, "explain", Path.Combine(AppContext.BaseDirectory, "events-service", "service-task-placement-failure.json"), "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("placement/capacity", doc.RootElement.GetProperty("classification").GetProperty("category").GetString());
        Assert.Equal("SERVICE_TASK_PLACEMENT_FAILURE", doc.RootElement.GetProperty("task").GetProperty("eventName").GetString());
        Assert.False(doc.RootElement.GetProperty("task").TryGetProperty("taskArn", out _));
    }

    [Fact]
    public async Task Explain_WhenTheStopIsBenign_ShouldSayNoActionIsNeeded()
    {
        var r = await CliProcess.RunAsync(null, "explain", CliProcess.EventPath("benign-spot"));

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("NO ACTION NEEDED: benign/spot", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WhenTheFileIsMissing_ShouldExitTwoWithOneLineOnStderr()
    {
        var r = await CliProcess.RunAsync(null, "explain", "/nonexistent/event.json");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("ecs-remediator: cannot read /nonexistent/event.json", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Explain_WhenStdinIsNotJson_ShouldExitTwoAndSayInvalid()
    {
        var r = await CliProcess.RunAsync("this is not json", "explain", "-");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("ecs-remediator: invalid:", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WhenTheTaskIsRunning_ShouldExitTwoAndSayIgnored()
    {
        var running = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "events-other", "task-running.json"));

        var r = await CliProcess.RunAsync(running, "explain", "-");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("ignored: task lastStatus is \"RUNNING\"", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("explain")]
    [InlineData("explain", "a.json", "b.json")]
    [InlineData("explain", "a.json", "--format", "yaml")]
    [InlineData("explain", "a.json", "--colour", "on")]
    [InlineData("frobnicate")]
    [InlineData("explain", "a.json", "--format")]
    public async Task Run_WhenUsageIsWrong_ShouldExitTwo(params string[] args)
    {
        var r = await CliProcess.RunAsync(null, args);

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("ecs-remediator: ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenAskedForHelp_ShouldPrintUsageAndExitZero()
    {
        var r = await CliProcess.RunAsync(null, "--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("explain FILE|-", r.Stdout, StringComparison.Ordinal);
    }
}
