using System.Text.Json;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Runtime;

/// <summary>
/// The JSON 1.1 wire format, the SDK's retry behaviour and the error mapping, against a stub that records
/// requests and answers what moto cannot (throttling, 5xx, denials, exact timestamps).
/// </summary>
public sealed class JsonProtocolTests
{
    private const string EmptyServices = """{"services":[],"failures":[]}""";

    [Fact]
    public async Task DescribeServices_WhenCalled_ShouldPostSignedJson11WithTargetHeader()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(200, EmptyServices));
        using var ecs = CreateClient(stub);

        await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] });

        var request = Assert.Single(stub.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("AmazonEC2ContainerServiceV20141113.DescribeServices", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("""{"cluster":"prod","services":["web"],"include":["TAGS"]}""", request.Body);
        Assert.Matches(
            @"^AWS4-HMAC-SHA256 Credential=testing/\d{8}/eu-west-1/ecs/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$",
            request.Headers["Authorization"]);
    }

    [Fact]
    public async Task UpdateService_WhenOnlySomeFieldsGiven_ShouldOmitNullsAndEmptyLists()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(200, """{"service":{"serviceName":"web","healthCheckGracePeriodSeconds":120}}"""));
        using var ecs = CreateClient(stub);

        var service = await ecs.UpdateServiceAsync(new UpdateServiceRequest
        {
            Cluster = "prod",
            Service = "web",
            HealthCheckGracePeriodSeconds = 120,
            NetworkConfiguration = new EcsNetworkConfiguration
            {
                AwsVpcConfiguration = new EcsAwsVpcConfiguration { Subnets = ["subnet-1"], AssignPublicIp = "DISABLED" },
            },
        });

        Assert.Equal(120, service.HealthCheckGracePeriodSeconds);
        Assert.Equal(
            """{"cluster":"prod","service":"web","healthCheckGracePeriodSeconds":120,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"],"assignPublicIp":"DISABLED"}}}""",
            Assert.Single(stub.Requests).Body);
    }

    [Fact]
    public async Task DescribeServices_WhenTimestampsAreEpochSecondsWithFraction_ShouldReadThemExactly()
    {
        var events = string.Join(",", Enumerable.Range(0, 15).Select(i =>
            $$"""{"id":"e{{i}}","createdAt":{{1795616154 - i}},"message":"(service web) event {{i}}"}"""));
        var body = $$"""
            {"services":[{"serviceName":"web","createdAt":1795616154.02,
              "deployments":[{"id":"ecs-svc/1","status":"PRIMARY","createdAt":1795616154.5,"updatedAt":"1795616160"}],
              "events":[{{events}}]}],"failures":[]}
            """;
        using var stub = new StubAwsEndpoint(StubResponse.Json(200, body));
        using var ecs = CreateClient(stub);

        var service = Assert.Single(
            (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] })).Services);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_795_616_154_020), service.CreatedAt);
        var deployment = Assert.Single(service.Deployments);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_795_616_154_500), deployment.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_616_160), deployment.UpdatedAt);
        Assert.Equal(EcsClient.MaxEventsPerService, service.Events.Count);
        Assert.Equal("e0", service.Events[0].Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_616_154), service.Events[0].CreatedAt);
    }

    [Fact]
    public async Task DescribeServices_WhenOptionalFieldsAreAbsent_ShouldReadEmptyListsAndZeroGracePeriod()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(200, """{"services":[{"serviceName":"web","status":"ACTIVE"}]}"""));
        using var ecs = CreateClient(stub);

        var response = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] });

        Assert.Empty(response.Failures);
        var service = Assert.Single(response.Services);
        Assert.Equal(0, service.HealthCheckGracePeriodSeconds);
        Assert.Empty(service.LoadBalancers);
        Assert.Empty(service.CapacityProviderStrategy);
        Assert.Empty(service.Deployments);
        Assert.Empty(service.Events);
        Assert.Empty(service.Tags);
        Assert.Null(service.NetworkConfiguration);
        Assert.Null(service.GetTag("ecs-remediator:mode"));
    }

    [Fact]
    public async Task DescribeTaskDefinition_WhenContainerHasOnlyRequiredFields_ShouldReadEmptyCollections()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(
            200, """{"taskDefinition":{"family":"web","containerDefinitions":[{"name":"app","image":"nginx","logConfiguration":{"logDriver":"awslogs"}}]}}"""));
        using var ecs = CreateClient(stub);

        var response = await ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = "web" });

        var container = Assert.Single(response.TaskDefinition!.ContainerDefinitions);
        Assert.Null(container.Essential);
        Assert.Empty(container.PortMappings);
        Assert.Empty(container.Secrets);
        Assert.Empty(container.LogConfiguration!.Options);
        Assert.Empty(response.TaskDefinition.Volumes);
        Assert.Empty(response.TaskDefinition.RequiresCompatibilities);
        Assert.Empty(response.Tags);
        Assert.Equal("""{"taskDefinition":"web","include":["TAGS"]}""", Assert.Single(stub.Requests).Body);
    }

    [Fact]
    public void EpochSecondsConverter_WhenWriting_ShouldWriteSecondsWithMilliseconds()
    {
        var options = new JsonSerializerOptions { Converters = { new EpochSecondsConverter() } };
        var converter = (EpochSecondsConverter)options.GetConverter(typeof(DateTimeOffset));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            converter.Write(writer, DateTimeOffset.FromUnixTimeMilliseconds(1_795_616_154_020), options);
        }

        Assert.Equal("1795616154.02", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public async Task DescribeServices_WhenThrottledOnceThenOk_ShouldRetryInsideTheSdkAndSucceed()
    {
        using var stub = new StubAwsEndpoint(
            StubResponse.Json(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", "ThrottlingException"),
            StubResponse.Json(200, """{"services":[{"serviceName":"web"}],"failures":[]}"""));
        using var ecs = CreateClient(stub);

        var response = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] });

        Assert.Equal("web", Assert.Single(response.Services).ServiceName);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(stub.Requests[0].Body, stub.Requests[1].Body);
    }

    [Fact]
    public async Task DescribeServices_WhenAlwaysThrottled_ShouldThrowRetryableThrottlingExceptionAfterAllAttempts()
    {
        using var stub = new StubAwsEndpoint(
            StubResponse.Json(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", "ThrottlingException"));
        using var ecs = CreateClient(stub, maxErrorRetry: 2);

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.Throttling, () =>
            ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] }));

        Assert.True(error.IsRetryable);
        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("stub-request-", error.RequestId, StringComparison.Ordinal);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task UpdateService_WhenParameterIsInvalid_ShouldFailAfterOneAttemptWithoutRetry()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(
            400, """{"__type":"InvalidParameterException","message":"Health check grace period is only valid for services configured to use load balancers"}"""));
        using var ecs = CreateClient(stub);

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.InvalidParameter, () => ecs.UpdateServiceAsync(
            new UpdateServiceRequest { Cluster = "prod", Service = "web", HealthCheckGracePeriodSeconds = 60 }));

        Assert.False(error.IsRetryable);
        Assert.Contains("only valid for services configured to use load balancers", error.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task UpdateService_WhenAccessDenied_ShouldThrowNonRetryableAccessDeniedException()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(
            400,
            """{"__type":"AccessDeniedException","message":"User: arn:aws:sts::123456789012:assumed-role/remediator/fn is not authorized to perform: ecs:UpdateService"}"""));
        using var ecs = CreateClient(stub);

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.AccessDenied, () => ecs.UpdateServiceAsync(
            new UpdateServiceRequest { Cluster = "prod", Service = "web", ForceNewDeployment = true }));

        Assert.False(error.IsRetryable);
        Assert.Contains("ecs:UpdateService", error.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task UpdateService_WhenErrorTypeHasNamespacePrefix_ShouldMapTheBareCode()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(
            400, """{"__type":"com.amazonaws.ecs#ServiceNotActiveException","message":"Service was not ACTIVE."}"""));
        using var ecs = CreateClient(stub);

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.ServiceNotActive, () => ecs.UpdateServiceAsync(
            new UpdateServiceRequest { Cluster = "prod", Service = "web", ForceNewDeployment = true }));

        Assert.Equal("ServiceNotActiveException", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeTasks_WhenServiceFailsWith503_ShouldRetryThenThrowRetryableServerException()
    {
        using var stub = new StubAwsEndpoint(
            StubResponse.Json(503, """{"__type":"ServerException","message":"Service unavailable"}"""));
        using var ecs = CreateClient(stub, maxErrorRetry: 1);

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.Server, () =>
            ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = "prod", Tasks = ["t-1"] }));

        Assert.True(error.IsRetryable);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task DescribeTasks_WhenNothingListens_ShouldThrowRetryableTransportException()
    {
        using var ecs = new EcsClient(
            MotoServer.Credentials,
            new EcsClientConfig { ServiceURL = "http://127.0.0.1:9/", AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.Transport, () =>
            ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = "prod", Tasks = ["t-1"] }));

        Assert.True(error.IsRetryable);
        Assert.Equal(0, error.StatusCode);
        Assert.Equal("DescribeTasks", error.Operation);
    }

    [Fact]
    public async Task DescribeTasks_WhenMoreThan100Tasks_ShouldSendBatchesOf100()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Json(200, """{"tasks":[{"taskArn":"t"}],"failures":[]}"""));
        using var ecs = CreateClient(stub);

        var response = await ecs.DescribeTasksAsync(new DescribeTasksRequest
        {
            Cluster = "prod", Tasks = [.. Enumerable.Range(0, 250).Select(i => $"t-{i}")],
        });

        Assert.Equal(3, response.Tasks.Count);
        Assert.Equal(
            [100, 100, 50],
            stub.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("tasks").GetArrayLength()));
    }

    private static EcsClient CreateClient(StubAwsEndpoint stub, int? maxErrorRetry = null)
    {
        var config = new EcsClientConfig { ServiceURL = stub.Url, AuthenticationRegion = "eu-west-1" };
        if (maxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        return new EcsClient(MotoServer.Credentials, config);
    }
}
