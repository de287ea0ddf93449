using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.IntegrationTests.EndToEnd;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;
using EcsTimeoutRemediator.IntegrationTests.Template;

namespace EcsTimeoutRemediator.IntegrationTests.LambdaRuntime;

/// <summary>
/// The package the Makefile builds for `sam build`, started as Lambda starts it (both builds; the Native AOT one on
/// dotnet10 and on provided.al2023), with the template's environment, against the Runtime API emulator and moto:
/// several events in one process.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class PackagedFunctionTests(MotoServer moto) : IAsyncLifetime
{
    private BrokenAccount _account = null!;
    private string _ledger = "";

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
        _ledger = await LedgerTable.CreateAsync(moto);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The function's variables as template.yaml sets them (parameter defaults, this world's topic and table), and the role's credentials.</summary>
    private Dictionary<string, string> FunctionEnvironment()
    {
        var template = TemplateFiles.Template;
        var variables = new TemplateEvaluator(template, new Dictionary<string, string> { ["AdvisoryTopic"] = _account.TopicArn, ["LedgerTable"] = _ledger })
            .Resolve(template.Resource("RemediatorFunction")["Properties"]!["Environment"]!["Variables"])!.AsObject();
        var environment = variables.ToDictionary(v => v.Key, v => v.Value!.ToString());
        environment["AWS_REGION"] = MotoServer.Region;
        environment["AWS_DEFAULT_REGION"] = MotoServer.Region;
        environment["AWS_ACCESS_KEY_ID"] = "ASIATESTING";
        environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        environment["AWS_SESSION_TOKEN"] = "testing-session";
        environment["AWS_ENDPOINT_URL"] = moto.Url;
        environment["AWS_MAX_ATTEMPTS"] = "2";
        return environment;
    }

    public static TheoryData<string, string> Builds => new()
    {
        { "aot", "dotnet10" },
        { "aot", "provided.al2023" },
        { "jit", "dotnet10" },
    };

    [Theory]
    [MemberData(nameof(Builds))]
    public async Task Package_WhenStartedByTheLambdaRuntime_ShouldServeBenignMalformedAndFailingEventsInOneProcess(string build, string runtime)
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        var package = await LambdaPackage.DirectoryAsync(build);
        await using var lambda = new RuntimeApiEmulator();
        await using var function = LambdaProcess.Start(package, runtime, "EcsTimeoutRemediator", lambda.HostAndPort, FunctionEnvironment());

        var benign = await Invoke(lambda, function, _account.Event("benign-scaling", "api", _account.PrivateSubnet, eventId: "pkg-benign"), "req-benign");
        var malformed = await Invoke(lambda, function, "{\"detail-type\":", "req-malformed");
        var failure = await Invoke(lambda, function, _account.Event("image-pull-network", "api", _account.PrivateSubnet, eventId: "pkg-pull"), "req-pull");

        Assert.Equal("dropped", Outcome(benign));
        Assert.Equal("benign stop", Decision(benign).GetProperty("reason").GetString());
        Assert.Equal("invalid", Outcome(malformed));
        Assert.Equal("advised", Outcome(failure));
        Assert.Equal("image-pull/network", Decision(failure).GetProperty("category").GetString());
        var (subject, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Equal("[ECS] payments/api: image pull timed out (no route to ECR)", subject);
        Assert.Contains(_account.PrivateSubnet, message, StringComparison.Ordinal);
        Assert.False(function.HasExited, function.Stderr);
        Assert.Equal(4, lambda.NextCalls);
        var logLines = function.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(logLines, l => l.TryGetProperty("requestId", out var r) && r.GetString() == "req-pull"
            && l.TryGetProperty("correlationId", out var c) && c.GetString() == "pkg-pull");
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public async Task Package_WhenTheDeadlineLeavesNoTime_ShouldPostADeadlineErrorAndServeTheNextEvent(string build, string runtime)
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        var package = await LambdaPackage.DirectoryAsync(build);
        await using var lambda = new RuntimeApiEmulator();
        await using var function = LambdaProcess.Start(package, runtime, "EcsTimeoutRemediator", lambda.HostAndPort, FunctionEnvironment());

        // DEADLINE_MARGIN_MS is 3000 in the template: a deadline 2 s away is already inside the margin.
        var late = await lambda.InvokeAsync(Encoding.UTF8.GetBytes(_account.Event("image-pull-network", "api", _account.PrivateSubnet, eventId: "pkg-late")), TimeSpan.FromSeconds(2))
            .WaitAsync(TimeSpan.FromMinutes(1));
        var retried = await Invoke(lambda, function, _account.Event("image-pull-network", "api", _account.PrivateSubnet, eventId: "pkg-late"), "req-retry");

        Assert.True(late.Failed, function.Stderr);
        Assert.Equal("InvocationDeadlineExceededException", late.ErrorType);
        Assert.Equal("advised", Outcome(retried));
        Assert.Single(await _account.ReadAdvisoriesAsync());
    }

    [Theory]
    [InlineData("aot", "dotnet10")]
    [InlineData("jit", "dotnet10")]
    public async Task Package_WhenTheTopicIsNotConfigured_ShouldReportAnInitErrorAndExit(string build, string runtime)
    {
        var package = await LambdaPackage.DirectoryAsync(build);
        await using var lambda = new RuntimeApiEmulator();
        var environment = FunctionEnvironment();
        environment.Remove("ADVISORY_TOPIC_ARN");
        await using var function = LambdaProcess.Start(package, runtime, "EcsTimeoutRemediator", lambda.HostAndPort, environment);

        var error = await lambda.InitError.WaitAsync(TimeSpan.FromMinutes(1));
        var exitCode = await function.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.Contains("ADVISORY_TOPIC_ARN is not set", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
        Assert.Equal(0, lambda.NextCalls);
    }

    private static async Task<InvocationOutcome> Invoke(RuntimeApiEmulator lambda, LambdaProcess function, string eventJson, string requestId)
    {
        var outcome = lambda.InvokeAsync(Encoding.UTF8.GetBytes(eventJson), TimeSpan.FromSeconds(60), requestId);
        var finished = await Task.WhenAny(outcome, Task.Delay(TimeSpan.FromMinutes(1)));
        Assert.True(finished == outcome, $"no answer to {requestId}; exited: {function.HasExited}\n{function.Stderr}\n{function.Stdout}");
        var result = await outcome;
        Assert.False(result.Failed, $"{requestId} failed: {result.ErrorType}: {result.ErrorMessage}\n{function.Stdout}");
        return result;
    }

    private static JsonElement Decision(InvocationOutcome outcome) => JsonDocument.Parse(outcome.Response!).RootElement;

    private static string? Outcome(InvocationOutcome outcome) => Decision(outcome).GetProperty("outcome").GetString();
}
