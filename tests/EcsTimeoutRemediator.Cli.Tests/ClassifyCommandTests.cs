using System.Text;
using System.Text.Json;

namespace EcsTimeoutRemediator.Cli.Tests;

public class ClassifyCommandTests
{
    [Fact]
    public async Task Classify_WhenGivenAReasonAndStopCode_ShouldPrintOneJsonObject()
    {
        var r = await CliProcess.RunAsync(null, "classify", "--reason", "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef)", "--stop-code", "ServiceSchedulerInitiated");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.TrimEnd('\n').Split('\n');
        var only = Assert.Single(lines);
        using var doc = JsonDocument.Parse(only);
        Assert.Equal("health/elb", doc.RootElement.GetProperty("category").GetString());
        Assert.Equal("health", doc.RootElement.GetProperty("family").GetString());
        Assert.True(doc.RootElement.GetProperty("actionable").GetBoolean());
        Assert.Contains("raise-health-check-grace", doc.RootElement.GetProperty("fixes").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Classify_WhenReadingJsonLines_ShouldWriteOneLinePerInputInOrderAndKeepGoingAfterABadLine()
    {
        var evt = JsonSerializer.Serialize(JsonDocument.Parse(await File.ReadAllTextAsync(CliProcess.EventPath("exit-oom"))).RootElement);
        var input = new StringBuilder()
            .AppendLine("""{"stoppedReason":"Task stopped by user","stopCode":"UserInitiated"}""")
            .AppendLine("{not json")
            .AppendLine(evt)
            .AppendLine("""{"stoppedReason":"Essential container in task exited","containers":[{"name":"w","exitCode":1}]}""")
            .AppendLine("")
            .AppendLine("""{"source":"aws.ecs","detail-type":"ECS Task State Change","detail":{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/t","lastStatus":"RUNNING"}}""")
            .Append("""{"stoppedReason":"Timeout waiting for network interface provisioning to complete."}""")
            .ToString();

        var r = await CliProcess.RunAsync(input, "classify");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(7, lines.Length);
        Assert.Equal("benign/user", lines[0].GetProperty("category").GetString());
        Assert.False(lines[0].GetProperty("actionable").GetBoolean());
        Assert.StartsWith("line 2: invalid", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("exit/oom", lines[2].GetProperty("category").GetString());
        Assert.Equal("exit/essential", lines[3].GetProperty("category").GetString());
        Assert.Contains("empty", lines[4].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("ignored", lines[5].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("eni/timeout", lines[6].GetProperty("category").GetString());
        foreach (var ok in lines.Where(l => l.TryGetProperty("category", out _)))
        {
            Assert.True(ok.TryGetProperty("summary", out _));
            Assert.True(ok.TryGetProperty("actionable", out _));
        }
    }

    [Fact]
    public async Task Classify_WhenReadingServiceAndDeploymentEvents_ShouldClassifyTheirReasons()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "events-service");
        string Line(string name) => JsonSerializer.Serialize(JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name + ".json"))).RootElement);
        var input = string.Join('\n', Line("service-task-placement-failure"), Line("service-task-start-impaired"), Line("service-deployment-failed"));

        var r = await CliProcess.RunAsync(input, "classify");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(new[] { "placement/capacity", "unknown", "unknown" }, lines.Select(l => l.GetProperty("category").GetString()!).ToArray());
        Assert.All(lines, l => Assert.True(l.GetProperty("actionable").GetBoolean()));
        Assert.Equal("DeploymentCircuitBreakerRule", lines[2].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Classify_WhenAskedForUnknownStops_ShouldWriteEachDistinctOneMaskedAndCounted()
    {
        // A DescribeTasks task, an event and a bare reason; two unknown stops mask to the same sample.
        var input = new StringBuilder()
            .AppendLine("""{"stoppedReason":"Error response from daemon: create data: VolumeMount: something odd for arn:aws:iam::210987654321:role/payments-exec","stopCode":"TaskFailedToStart"}""")
            .AppendLine("""{"taskArn":"arn:aws:ecs:eu-west-1:210987654321:task/prod/0a1b","stoppedReason":"Error response from daemon: create data: VolumeMount: something odd for arn:aws:iam::109876543210:role/ledger-exec","stopCode":"TaskFailedToStart","containers":[{"name":"app","exitCode":null}]}""")
            .AppendLine("""{"stoppedReason":"Task stopped by user","stopCode":"UserInitiated"}""")
            .AppendLine("{not json")
            .AppendLine("""{"stoppedReason":"Internal weirdness for ops@acme.example.com token Zk9pQ2xhdXNlTm90QVNlY3JldDEyMw","stopCode":null}""")
            .ToString();

        var r = await CliProcess.RunAsync(input, "classify", "--unknown");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal(2, lines[0].GetProperty("count").GetInt32());
        Assert.Equal("unknown", lines[0].GetProperty("classifiedAs").GetString());
        Assert.Equal("TaskFailedToStart", lines[0].GetProperty("stopCode").GetString());
        var first = lines[0].GetProperty("stoppedReason").GetString()!;
        Assert.Contains("VolumeMount: something odd", first, StringComparison.Ordinal);
        Assert.DoesNotContain("210987654321", first, StringComparison.Ordinal);
        Assert.DoesNotContain("payments", first, StringComparison.Ordinal);
        var second = lines[1].GetProperty("stoppedReason").GetString()!;
        Assert.DoesNotContain("acme", second, StringComparison.Ordinal);
        Assert.DoesNotContain("Zk9pQ2xhdXNl", second, StringComparison.Ordinal);
        Assert.Equal(1, lines[1].GetProperty("count").GetInt32());
        Assert.Contains("line 4: invalid", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("4 stops read, 3 unknown (2 distinct after masking)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_WhenUnknownIsGivenAReason_ShouldRefuseWithUsage()
    {
        var r = await CliProcess.RunAsync(null, "classify", "--unknown", "--reason", "x");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--unknown reads JSON Lines on stdin", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_WhenStdinIsEmpty_ShouldWriteNothingAndExitZero()
    {
        var r = await CliProcess.RunAsync("", "classify");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Classify_WhenStopCodeIsGivenWithoutReason_ShouldExitTwo()
    {
        var r = await CliProcess.RunAsync("", "classify", "--stop-code", "UserInitiated");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--stop-code needs --reason", r.Stderr, StringComparison.Ordinal);
    }
}
