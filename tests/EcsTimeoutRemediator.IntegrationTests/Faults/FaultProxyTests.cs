using System.Diagnostics;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.Efs;
using EcsTimeoutRemediator.Aws.Clients.Sns;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Faults;

/// <summary>The fault proxy itself: real SDK clients (AWSSDK.EC2, AWSSDK.DynamoDBv2 and the product's own) through it to moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class FaultProxyTests(MotoServer moto) : IAsyncLifetime
{
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _proxy = FaultProxy.Start(moto.Url);
    }

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    private AmazonEC2Client Ec2(int retries = 0, TimeSpan? timeout = null)
    {
        var config = _proxy.Configure(new AmazonEC2Config { MaxErrorRetry = retries });
        if (timeout is { } t)
        {
            // The SDK shares one HttpClient between clients of like configuration; a timeout needs its own.
            config.Timeout = t;
            config.CacheHttpClient = false;
        }

        return new AmazonEC2Client(MotoServer.Credentials, config);
    }

    private AmazonDynamoDBClient Dynamo(int retries = 0) =>
        new(MotoServer.Credentials, _proxy.Configure(new AmazonDynamoDBConfig { MaxErrorRetry = retries }));

    private async Task<int> VpcCountInMotoAsync()
    {
        using var direct = moto.CreateEc2Client();
        return (await direct.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Count;
    }

    [Fact]
    public async Task Forward_WhenNothingIsArmed_ShouldPassEveryCallThroughAndLogServiceOperationAndStatus()
    {
        using var ec2 = Ec2();
        using var dynamo = Dynamo();
        var sns = new SnsSetupClient(MotoServer.Credentials, _proxy.Configure(new SnsClientConfig()));
        using var ecs = new EcsClient(MotoServer.Credentials, _proxy.Configure(new EcsClientConfig()));

        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.9.0.0/16" })).Vpc.VpcId;
        var described = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpc] });
        var tables = await dynamo.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest());
        var topic = await sns.CreateTopicAsync("through-the-proxy");
        var services = await Record.ExceptionAsync(() => ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "default", Services = ["web"] }));

        Assert.Equal(vpc, Assert.Single(described.Vpcs).VpcId);
        Assert.Empty(tables.TableNames);
        Assert.EndsWith(":through-the-proxy", topic, StringComparison.Ordinal);
        Assert.Equal(AwsErrorKind.ClusterNotFound, Assert.IsType<AwsApiException>(services).Kind);
        using var direct = moto.CreateEc2Client();
        Assert.Contains((await direct.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs, v => v.VpcId == vpc);
        Assert.Equal(
            ["ec2:CreateVpc:200", "ec2:DescribeVpcs:200", "dynamodb:ListTables:200", "sns:CreateTopic:200", "ecs:DescribeServices:400"],
            _proxy.Calls.Select(c => $"{c.Service}:{c.Operation}:{c.Status}"));
        Assert.All(_proxy.Calls, c => Assert.True(c.Forwarded && c.Fault is null && c.Attempt == 1));
        Assert.Equal(Enumerable.Range(1, 5), _proxy.Calls.Select(c => c.Sequence));
    }

    [Fact]
    public async Task FailNth_WhenTheSecondDescribeVpcsIsThrottled_ShouldFailOnlyThatCallAndCountOnlyMatchingCalls()
    {
        using var ec2 = Ec2();
        var rule = _proxy.FailNth(CallMatch.Call(SigningName.Ec2, "DescribeVpcs"), 2, Fault.Throttling);

        await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.8.0.0/16" });
        var second = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        Assert.Equal("RequestLimitExceeded", second.ErrorCode);
        Assert.Equal(400, (int)second.StatusCode);
        Assert.Equal((3, 1), (rule.Matched, rule.Fired));
        Assert.Equal([200, 200, 400, 200], _proxy.Calls.Select(c => c.Status));
        Assert.Equal(FaultKind.Throttling, _proxy.Calls[2].Fault);
        Assert.False(_proxy.Calls[2].Forwarded);
    }

    [Fact]
    public async Task FailFromNth_WhenEveryEc2CallAnswers503_ShouldFailAfterTheSdkRetriesAndShowThemInTheLog()
    {
        using var ec2 = Ec2(retries: 2);
        _proxy.FailFromNth(CallMatch.Service(SigningName.Ec2), 1, Fault.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest()));

        Assert.Equal("Unavailable", error.ErrorCode);
        Assert.Equal(503, (int)error.StatusCode);
        var calls = _proxy.Calls;
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal(("ec2", "DescribeSubnets", 503, false), (c.Service, c.Operation, c.Status, c.Forwarded)));
        Assert.Equal([1, 2, 3], calls.Select(c => c.Attempt));
        Assert.Single(calls.Select(c => c.InvocationId).Distinct());
    }

    [Fact]
    public async Task FailNth_WhenOnlyTheFirstAttemptIsThrottled_ShouldSucceedOnTheSdksRetry()
    {
        using var dynamo = Dynamo(retries: 2);
        _proxy.FailNth(CallMatch.Call(SigningName.DynamoDb, "ListTables"), 1, Fault.Throttling);

        var tables = await dynamo.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest());

        Assert.NotNull(tables.TableNames);
        Assert.Equal([(400, 1), (200, 2)], _proxy.Calls.Select(c => (c.Status, c.Attempt!.Value)));
    }

    [Theory]
    [InlineData(FaultKind.Throttling, "ThrottlingException", 400)]
    [InlineData(FaultKind.TooManyRequests, "TooManyRequestsException", 429)]
    [InlineData(FaultKind.InternalError, "InternalFailure", 500)]
    [InlineData(FaultKind.ServiceUnavailable, "ServiceUnavailable", 503)]
    [InlineData(FaultKind.AccessDenied, "AccessDeniedException", 403)]
    public async Task Fault_WhenADynamoDbCallIsFailed_ShouldComeBackInTheJsonShape(FaultKind kind, string code, int status)
    {
        using var dynamo = Dynamo();
        _proxy.FailNth(CallMatch.Any, 1, new Fault(kind));

        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => dynamo.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest()));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, (int)error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Theory]
    [InlineData(FaultKind.Throttling, "RequestLimitExceeded", 400)]
    [InlineData(FaultKind.TooManyRequests, "RequestLimitExceeded", 429)]
    [InlineData(FaultKind.InternalError, "InternalError", 500)]
    [InlineData(FaultKind.ServiceUnavailable, "Unavailable", 503)]
    [InlineData(FaultKind.AccessDenied, "UnauthorizedOperation", 403)]
    public async Task Fault_WhenAnEc2CallIsFailed_ShouldComeBackInTheEc2Shape(FaultKind kind, string code, int status)
    {
        using var ec2 = Ec2();
        _proxy.FailNth(CallMatch.Any, 1, new Fault(kind));

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, (int)error.StatusCode);
    }

    [Fact]
    public async Task Fault_WhenQueryProtocolCallsAreFailed_ShouldMapToTheProductsTypedErrors()
    {
        using var sns = new SnsClient(MotoServer.Credentials, _proxy.Configure(new SnsClientConfig { MaxErrorRetry = 0 }));
        var publish = new PublishRequest { TopicArn = $"arn:aws:sns:us-east-1:{MotoServer.AccountId}:t", Message = "m" };
        _proxy.FailNth(CallMatch.Service(SigningName.Sns), 1, Fault.Throttling);
        _proxy.FailNth(CallMatch.Service(SigningName.Sns), 2, Fault.AccessDenied);
        _proxy.FailNth(CallMatch.Service(SigningName.Sns), 3, Fault.ServiceUnavailable);

        var throttled = await AwsAssert.ThrowsAsync(AwsErrorKind.Throttling, () => sns.PublishAsync(publish));
        var denied = await AwsAssert.ThrowsAsync(AwsErrorKind.AccessDenied, () => sns.PublishAsync(publish));
        var unavailable = await AwsAssert.ThrowsAsync(AwsErrorKind.Server, () => sns.PublishAsync(publish));
        var notFound = await AwsAssert.ThrowsAsync(AwsErrorKind.NotFound, () => sns.PublishAsync(publish));

        Assert.Equal(("Throttling", 400), (throttled.ErrorCode, throttled.StatusCode));
        Assert.Equal(("AccessDenied", 403), (denied.ErrorCode, denied.StatusCode));
        Assert.Equal(("ServiceUnavailable", 503), (unavailable.ErrorCode, unavailable.StatusCode));
        Assert.True(unavailable.IsRetryable);
        Assert.Equal("NotFound", notFound.ErrorCode);
        Assert.Equal(["Publish"], _proxy.Calls.Select(c => c.Operation).Distinct());
    }

    [Fact]
    public async Task Fault_WhenJsonAndRestJsonCallsAreThrottled_ShouldMapToTheProductsThrottlingException()
    {
        using var ecs = new EcsClient(MotoServer.Credentials, _proxy.Configure(new EcsClientConfig { MaxErrorRetry = 0 }));
        using var efs = new EfsClient(MotoServer.Credentials, _proxy.Configure(new EfsClientConfig { MaxErrorRetry = 0 }));
        _proxy.FailNth(CallMatch.Any, 1, Fault.Throttling);
        _proxy.FailNth(CallMatch.Any, 2, Fault.Throttling);

        var ecsError = await AwsAssert.ThrowsAsync(AwsErrorKind.Throttling, () => ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "c", Services = ["s"] }));
        var efsError = await AwsAssert.ThrowsAsync(AwsErrorKind.Throttling, () => efs.DescribeMountTargetsAsync("fs-12345678"));

        Assert.Equal(("ECS", "ThrottlingException"), (ecsError.Service, ecsError.ErrorCode));
        Assert.Equal("ThrottlingException", efsError.ErrorCode);
        Assert.Equal(
            [("ecs", "DescribeServices"), ("elasticfilesystem", "GET /2015-02-01/mount-targets")],
            _proxy.Calls.Select(c => (c.Service, c.Operation)));
    }

    [Fact]
    public async Task ResetConnection_WhenEveryAttemptIsReset_ShouldSurfaceAsAnExceptionAndNeverReachTheServer()
    {
        var before = await VpcCountInMotoAsync();
        using var ec2 = Ec2(retries: 1);
        _proxy.FailFromNth(CallMatch.Call(SigningName.Ec2, "CreateVpc"), 1, Fault.ResetConnection);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.7.0.0/16" }));

        Assert.True(Chain(error).Any(e => e is IOException or SocketException or HttpRequestException), error.ToString());
        Assert.All(_proxy.Calls, c => Assert.Equal((0, false, FaultKind.ResetConnection), (c.Status, c.Forwarded, c.Fault!.Value)));

        // The SDK's retry is a second attempt; HttpClient may resend an attempt on a reset connection as well.
        Assert.Equal([1, 2], _proxy.Calls.Select(c => c.Attempt!.Value).Distinct());
        Assert.Equal(before, await VpcCountInMotoAsync());
    }

    [Fact]
    public async Task LostResponse_WhenTheAnswerIsLost_ShouldHaveTakenEffectButFailTheCaller()
    {
        var before = await VpcCountInMotoAsync();
        using var ec2 = Ec2();
        _proxy.FailFromNth(CallMatch.Call(SigningName.Ec2, "CreateVpc"), 1, Fault.LostResponse);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.6.0.0/16" }));

        Assert.True(Chain(error).Any(e => e is IOException or SocketException or HttpRequestException), error.ToString());
        Assert.All(_proxy.Calls, c => Assert.Equal((0, true), (c.Status, c.Forwarded)));
        Assert.Equal(before + _proxy.Calls.Count, await VpcCountInMotoAsync());
    }

    [Fact]
    public async Task Slow_WhenTheDelayIsShorterThanTheTimeout_ShouldAnswerLate()
    {
        using var ec2 = Ec2();
        _proxy.FailNth(CallMatch.Any, 1, Fault.Slow(TimeSpan.FromMilliseconds(700)));
        var clock = Stopwatch.StartNew();

        var vpcs = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(650), clock.Elapsed.ToString());
        Assert.NotEmpty(vpcs.Vpcs);
        Assert.Equal((200, FaultKind.Slow), (_proxy.Calls[0].Status, _proxy.Calls[0].Fault!.Value));
    }

    [Fact]
    public async Task Slow_WhenTheDelayIsLongerThanTheClientTimeout_ShouldFailTheCall()
    {
        using var ec2 = Ec2(timeout: TimeSpan.FromMilliseconds(500));

        // Every attempt is slow: the SDK retries a timed-out attempt, and a fast retry would succeed.
        _proxy.FailFromNth(CallMatch.Any, 1, Fault.Slow(TimeSpan.FromSeconds(3)));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));

        Assert.True(Chain(error).Any(e => e is TimeoutException or OperationCanceledException), error.ToString());
    }

    [Fact]
    public async Task Forward_WhenCallsRunConcurrently_ShouldAnswerEveryOneAndLogEach()
    {
        using var ec2 = Ec2();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => ec2.DescribeVpcsAsync(new DescribeVpcsRequest())));

        Assert.All(results, r => Assert.NotEmpty(r.Vpcs));
        Assert.Equal(16, _proxy.Calls.Count(c => c.Status == 200));
        Assert.Equal(Enumerable.Range(1, 16), _proxy.Calls.Select(c => c.Sequence));
    }

    [Fact]
    public async Task Forward_WhenOneClientCallsInSequence_ShouldKeepTheConnectionAlive()
    {
        using var ec2 = Ec2();

        for (var i = 0; i < 5; i++)
        {
            await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        }

        Assert.Equal(5, _proxy.Calls.Count);
        Assert.Equal(1, _proxy.ConnectionsAccepted);
    }

    [Fact]
    public async Task Disarm_WhenRulesWereArmed_ShouldForwardEverythingAgain()
    {
        using var ec2 = Ec2();
        _proxy.FailFromNth(CallMatch.Any, 1, Fault.InternalError);
        await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));

        _proxy.Disarm();
        var vpcs = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        Assert.NotEmpty(vpcs.Vpcs);
        Assert.Equal([500, 200], _proxy.Calls.Select(c => c.Status));
    }

    [Fact]
    public async Task Forward_WhenARequestCarriesHeadersAndAChunkedBody_ShouldDeliverThemUnchangedAndReturnTheAnswerAsIs()
    {
        using var upstream = new StubAwsEndpoint(new StubResponse(200, "<AssumeRoleResponse/>", "text/xml", new Dictionary<string, string> { ["x-custom-answer"] = "kept" }));
        await using var proxy = FaultProxy.Start(upstream.Url);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, proxy.Url + "/?x=1")
        {
            Content = new StreamContent(new MemoryStream("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"u8.ToArray())),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("<AssumeRoleResponse/>", await response.Content.ReadAsStringAsync());
        Assert.Equal("kept", response.Headers.GetValues("x-custom-answer").Single());
        var received = Assert.Single(upstream.Requests);
        Assert.Equal(("POST", "/", "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"), (received.Method, received.Path, received.Body));
        Assert.Equal(new Uri(proxy.Url).Authority, received.Headers["Host"]);
        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", received.Headers["Authorization"]);
        Assert.Equal("20260101T000000Z", received.Headers["X-Amz-Date"]);
        Assert.Equal(("sts", "AssumeRole", 200), (proxy.Calls[0].Service, proxy.Calls[0].Operation, proxy.Calls[0].Status));
    }

    [Fact]
    public async Task AccessDenied_WhenStsAssumeRoleIsDenied_ShouldAnswer403InTheQueryXmlShape()
    {
        using var http = new HttpClient();
        _proxy.FailNth(CallMatch.Call(SigningName.Sts, "AssumeRole"), 1, Fault.AccessDenied);
        using var request = new HttpRequestMessage(HttpMethod.Post, _proxy.Url + "/")
        {
            Content = new StringContent("Action=AssumeRole&Version=2011-06-15", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc");

        using var response = await http.SendAsync(request);

        Assert.Equal(403, (int)response.StatusCode);
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ErrorResponse", xml.Root!.Name.LocalName);
        Assert.Equal("AccessDenied", xml.Root.Element("Error")!.Element("Code")!.Value);
        Assert.Equal("Sender", xml.Root.Element("Error")!.Element("Type")!.Value);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }
}
