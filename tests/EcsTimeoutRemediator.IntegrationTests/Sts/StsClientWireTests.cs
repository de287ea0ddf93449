using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.Sts;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Sts;

/// <summary>The STS client on moto (which models accounts: an assumed role's key acts in the role's account) and on a stub.</summary>
[Collection(MotoCollection.Name)]
public sealed class StsClientWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string MemberRole = "arn:aws:iam::111111111111:role/ecs-remediator-member";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private StsClient Client() => new(MotoServer.Credentials, moto.Configure(new StsClientConfig()));

    [Fact]
    public async Task AssumeRoleAsync_WhenMotoGrantsIt_ShouldReturnCredentialsThatActInTheRolesAccount()
    {
        using var sts = Client();

        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = MemberRole, RoleSessionName = "ecs-timeout-remediator", DurationSeconds = 900 });

        Assert.StartsWith("arn:aws:sts::111111111111:assumed-role/ecs-remediator-member/ecs-timeout-remediator", assumed.AssumedRoleArn, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(assumed.Credentials.SessionToken));
        Assert.InRange(assumed.Credentials.Expiration, DateTimeOffset.UtcNow.AddMinutes(10), DateTimeOffset.UtcNow.AddMinutes(16));
        var credentials = new AssumedRoleCredentials(assumed.Credentials);
        using var memberSts = new StsClient(credentials, moto.Configure(new StsClientConfig()));
        using var setup = new EcsSetupClient(credentials, moto.Configure(new EcsClientConfig()));
        Assert.StartsWith("arn:aws:ecs:us-east-1:111111111111:cluster/", await setup.CreateClusterAsync("payments"), StringComparison.Ordinal);
        Assert.Equal("111111111111", (await memberSts.GetCallerIdentityAsync()).Account);
        Assert.Equal("123456789012", (await sts.GetCallerIdentityAsync()).Account);
    }

    [Fact]
    public async Task Renew_WhenTheCredentialsAreReplacedInPlace_ShouldSignTheNextCallOfTheSameClientWithTheNewKeys()
    {
        using var sts = Client();
        var first = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = MemberRole, RoleSessionName = "first" });
        var credentials = new AssumedRoleCredentials(first.Credentials);
        using var client = new StsClient(credentials, moto.Configure(new StsClientConfig()));
        Assert.Equal("111111111111", (await client.GetCallerIdentityAsync()).Account);

        var second = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::222222222222:role/ecs-remediator-member", RoleSessionName = "second" });
        credentials.Renew(second.Credentials);

        Assert.Equal("222222222222", (await client.GetCallerIdentityAsync()).Account);
        Assert.Equal(second.Credentials.AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(second.Credentials.Expiration.UtcDateTime, credentials.Expiration);
    }

    [Fact]
    public async Task AssumeRoleAsync_WhenStsRefuses_ShouldRaiseAccessDeniedWithItsMessageAfterOneQueryCallSignedForSts()
    {
        const string message = "User: arn:aws:sts::123456789012:assumed-role/central/fn is not authorized to perform: sts:AssumeRole on resource: " + MemberRole;
        using var stub = new StubAwsEndpoint(StubResponse.Xml(403,
            $"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"));
        var config = new StsClientConfig { RegionEndpoint = Amazon.RegionEndpoint.EUWest1 };
        config.ServiceURL = stub.Url;
        using var sts = new StsClient(MotoServer.Credentials, config);

        var denied = await AwsAssert.ThrowsAsync(AwsErrorKind.AccessDenied, () => sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = MemberRole,
            RoleSessionName = "ecs-timeout-remediator",
            ExternalId = "ext-1",
        }));

        Assert.Contains(message, denied.Message, StringComparison.Ordinal);
        Assert.Equal(("STS", "AssumeRole", 403), (denied.Service, denied.Operation, denied.StatusCode));
        var request = Assert.Single(stub.Requests);
        var form = request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("AssumeRole", form["Action"]);
        Assert.Equal("2011-06-15", form["Version"]);
        Assert.Equal(MemberRole, form["RoleArn"]);
        Assert.Equal("ecs-timeout-remediator", form["RoleSessionName"]);
        Assert.Equal("ext-1", form["ExternalId"]);
        Assert.False(form.ContainsKey("DurationSeconds"));
        Assert.Contains("/sts/aws4_request", request.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRoleAsync_WhenStsIsThrottled_ShouldRetryAndThenRaiseARetryableError()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Xml(400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-2</RequestId></ErrorResponse>"));
        var config = new StsClientConfig { RegionEndpoint = Amazon.RegionEndpoint.USEast1 };
        config.ServiceURL = stub.Url;
        config.MaxErrorRetry = 1;
        using var sts = new StsClient(MotoServer.Credentials, config);

        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.Throttling, () => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = MemberRole, RoleSessionName = "s1" }));

        Assert.True(error.IsRetryable);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Theory]
    [InlineData("arn:aws:iam::111111111111:user/someone", "ecs-timeout-remediator", null)]
    [InlineData(MemberRole, "x", null)]
    [InlineData(MemberRole, "has space", null)]
    [InlineData(MemberRole, "ecs-timeout-remediator", 60)]
    public async Task AssumeRoleAsync_WhenTheRequestIsOneStsWouldReject_ShouldThrowBeforeAnyCall(string roleArn, string session, int? duration)
    {
        using var stub = new StubAwsEndpoint();
        var config = new StsClientConfig { RegionEndpoint = Amazon.RegionEndpoint.USEast1 };
        config.ServiceURL = stub.Url;
        using var sts = new StsClient(MotoServer.Credentials, config);

        await Assert.ThrowsAsync<ArgumentException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = session, DurationSeconds = duration }));

        Assert.Empty(stub.Requests);
    }
}
