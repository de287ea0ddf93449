using System.Text;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// AWS failing under <c>ecs-remediator handle</c> (the real process) and the Lambda handler, through the fault proxy
/// in front of moto: exit 1 with one line naming the service and the error, never an unhandled exception; the Lambda
/// invocation fails so that Lambda retries the event.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class HandleFailureEndToEndTests(MotoServer moto) : IAsyncLifetime
{
    private BrokenAccount _account = null!;
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        _proxy = FaultProxy.Start(moto.Url);
    }

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    private async Task<CliOutcome> HandleAsync(bool withLedger = false, params string[] extra)
    {
        var environment = CliRun.AwsEnvironment(_proxy.Url);
        environment["ADVISORY_TOPIC_ARN"] = _account.TopicArn;
        if (withLedger)
        {
            environment["LEDGER_TABLE_NAME"] = await LedgerTable.CreateAsync(moto);
        }

        return await CliRun.RunAsync(_account.Event("image-pull-network", "api", _account.PrivateSubnet), environment, ["handle", "-", .. extra]);
    }

    private static void AssertOneLineWithoutStackTrace(CliOutcome r)
    {
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}: {r.Stderr}");
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("ecs-remediator: AWS ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", r.Stderr.Replace(line, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Handle_WhenEveryEc2CallAnswers503_ShouldExitOneWithOneLineNamingEc2AndTheRetry()
    {
        _proxy.FailFromNth(CallMatch.Service(SigningName.Ec2), 1, Fault.ServiceUnavailable);

        var r = await HandleAsync();

        AssertOneLineWithoutStackTrace(r);
        var line = r.StderrLines[0];
        Assert.StartsWith("ecs-remediator: AWS EC2 Describe", line, StringComparison.Ordinal);
        Assert.Contains(" failed: Unavailable (HTTP 503): The service is unavailable; the event was not handled: retry it", line, StringComparison.Ordinal);

        // The line comes after the SDK's own retries (AWS_MAX_ATTEMPTS=2), and nothing was published.
        var ec2 = _proxy.CallsTo(CallMatch.Service(SigningName.Ec2));
        Assert.Equal([1, 2], ec2.Select(c => c.Attempt!.Value));
        Assert.Contains($"EC2 {ec2[0].Operation} failed", line, StringComparison.Ordinal);
        Assert.Empty(_proxy.CallsTo(CallMatch.Service(SigningName.Sns)));
        Assert.Empty(await _account.ReadAdvisoriesAsync());
    }

    [Theory]
    [InlineData(SigningName.Ecs, FaultKind.ResetConnection, "AWS ECS DescribeServices failed: NetworkError: ")]
    [InlineData(SigningName.Ecs, FaultKind.InternalError, "AWS ECS DescribeServices failed: InternalFailure (HTTP 500): ")]
    [InlineData(SigningName.Ec2, FaultKind.ResetConnection, "AWS EC2 DescribeSubnets failed: NetworkError: ")]
    [InlineData(SigningName.Sns, FaultKind.Throttling, "AWS SNS Publish failed: Throttling (HTTP 400): Rate exceeded; the event was not handled: retry it")]
    [InlineData(SigningName.Sns, FaultKind.TooManyRequests, "AWS SNS Publish failed: TooManyRequestsException (HTTP 429): ")]
    public async Task Handle_WhenAServiceKeepsFailing_ShouldExitOneWithOneLineNamingItAndItsError(string service, FaultKind kind, string expected)
    {
        _proxy.FailFromNth(CallMatch.Service(service), 1, new Fault(kind));

        var r = await HandleAsync();

        AssertOneLineWithoutStackTrace(r);
        Assert.Contains(expected, r.StderrLines[0], StringComparison.Ordinal);
        Assert.EndsWith("; the event was not handled: retry it", r.StderrLines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FaultKind.InternalError, "InternalFailure (HTTP 500): ")]
    [InlineData(FaultKind.ResetConnection, "NetworkError: ")]
    public async Task Handle_WhenTheLedgerTableFails_ShouldExitOneWithOneLineNamingDynamoDb(FaultKind kind, string expected)
    {
        _proxy.FailFromNth(CallMatch.Service(SigningName.DynamoDb), 1, new Fault(kind));

        var r = await HandleAsync(withLedger: true);

        AssertOneLineWithoutStackTrace(r);
        var first = _proxy.CallsTo(CallMatch.Service(SigningName.DynamoDb))[0];
        Assert.Contains($"AWS DynamoDB {first.Operation} failed: {expected}", r.StderrLines[0], StringComparison.Ordinal);
        Assert.Empty(await _account.ReadAdvisoriesAsync());
    }

    [Fact]
    public async Task Handle_WhenVerbose_ShouldWriteTheLogLinesAndEndWithTheOneErrorLine()
    {
        _proxy.FailFromNth(CallMatch.Service(SigningName.Ec2), 1, Fault.ServiceUnavailable);

        var r = await HandleAsync(false, "--verbose");

        Assert.Equal(1, r.ExitCode);
        var lines = r.StderrLines;
        Assert.StartsWith("ecs-remediator: AWS EC2 ", lines[^1], StringComparison.Ordinal);
        Assert.Contains(lines[..^1], l => l.Contains("\"message\":\"task classified\"", StringComparison.Ordinal));
        Assert.All(lines[..^1], l => Assert.StartsWith("{", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_WhenAnEc2CallIsDenied_ShouldStillAdviseAndExitZero()
    {
        _proxy.FailFromNth(CallMatch.Call(SigningName.Ec2, "DescribeVpcEndpoints"), 1, Fault.AccessDenied);

        var r = await HandleAsync();

        Assert.True(r.ExitCode == 0, r.Stderr);
        var (_, message, _) = Assert.Single(await _account.ReadAdvisoriesAsync());
        Assert.Contains("ec2:DescribeVpcEndpoints", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LambdaHandler_WhenEveryEc2CallAnswers503_ShouldFailTheInvocationWithTheEc2Error()
    {
        var environment = CliRun.AwsEnvironment(_proxy.Url);
        environment["ADVISORY_TOPIC_ARN"] = _account.TopicArn;
        var saved = environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        _proxy.FailFromNth(CallMatch.Service(SigningName.Ec2), 1, Fault.ServiceUnavailable);
        Exception? error;
        try
        {
            foreach (var (k, v) in environment)
            {
                Environment.SetEnvironmentVariable(k, v);
            }

            using var root = CompositionRoot.ForLambda(Settings.FromEnvironment().RequireLambdaEnvironment(), TextWriter.Null);
            var function = new Function(root.Pipeline);
            error = await Record.ExceptionAsync(() => function.HandleAsync(Encoding.UTF8.GetBytes(_account.Event("image-pull-network", "api", _account.PrivateSubnet)), CancellationToken.None));
        }
        finally
        {
            foreach (var (k, v) in saved)
            {
                Environment.SetEnvironmentVariable(k, v);
            }
        }

        Assert.NotNull(error);
        var aws = AwsErrorCodes.Describe(error);
        Assert.NotNull(aws);
        Assert.Equal(("EC2", "Unavailable", 503, true), (aws.Service, aws.ErrorCode, aws.StatusCode, aws.IsRetryable));
        Assert.StartsWith("Describe", aws.Operation, StringComparison.Ordinal);
        Assert.Empty(await _account.ReadAdvisoriesAsync());
    }
}
