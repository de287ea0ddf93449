using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.ElbV2;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.ElbV2;

/// <summary>
/// DescribeTargetGroups paging and target reasons against a stub: moto ignores PageSize/Marker for target
/// groups and reports every registered target healthy.
/// </summary>
public sealed class ElbV2ClientPagingTests
{
    private const string LoadBalancerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";

    [Fact]
    public async Task DescribeTargetGroups_WhenServiceReturnsNextMarker_ShouldRequestEveryPageAndMergeThem()
    {
        using var stub = new StubAwsEndpoint(
            StubResponse.Xml(200, TargetGroupsPage(["tg-a", "tg-b"], nextMarker: "page-2")),
            StubResponse.Xml(200, TargetGroupsPage(["tg-c"], nextMarker: "page-3")),
            StubResponse.Xml(200, TargetGroupsPage(["tg-d"], nextMarker: null)));
        using var elb = new ElbV2Client(
            MotoServer.Credentials, new ElbV2ClientConfig { ServiceURL = stub.Url, AuthenticationRegion = "eu-west-1" });

        var groups = await elb.DescribeTargetGroupsAsync(
            new DescribeTargetGroupsRequest { LoadBalancerArn = LoadBalancerArn, PageSize = 2 });

        Assert.Equal(["tg-a", "tg-b", "tg-c", "tg-d"], groups.Select(g => g.TargetGroupName));
        Assert.Equal(80, groups[0].Port);
        Assert.Equal([LoadBalancerArn], groups[0].LoadBalancerArns);
        var forms = stub.Requests.Select(r => r.Body).ToList();
        Assert.Equal(3, forms.Count);
        Assert.All(forms, body =>
        {
            Assert.Contains("Action=DescribeTargetGroups", body, StringComparison.Ordinal);
            Assert.Contains("Version=2015-12-01", body, StringComparison.Ordinal);
            Assert.Contains("PageSize=2", body, StringComparison.Ordinal);
            Assert.Contains("LoadBalancerArn=" + Uri.EscapeDataString(LoadBalancerArn), body, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("Marker=", forms[0], StringComparison.Ordinal);
        Assert.Contains("Marker=page-2", forms[1], StringComparison.Ordinal);
        Assert.Contains("Marker=page-3", forms[2], StringComparison.Ordinal);
        Assert.All(stub.Requests, r => Assert.Contains(
            "/eu-west-1/elasticloadbalancing/aws4_request", r.Headers["Authorization"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task DescribeTargetGroups_WhenGivenArns_ShouldSendThemAsMemberList()
    {
        using var stub = new StubAwsEndpoint(StubResponse.Xml(200, TargetGroupsPage(["tg-a"], nextMarker: null)));
        using var elb = new ElbV2Client(
            MotoServer.Credentials, new ElbV2ClientConfig { ServiceURL = stub.Url, AuthenticationRegion = "eu-west-1" });

        await elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { TargetGroupArns = ["arn:1", "arn:2"] });

        var body = Assert.Single(stub.Requests).Body;
        Assert.Contains("TargetGroupArns.member.1=arn%3A1", body, StringComparison.Ordinal);
        Assert.Contains("TargetGroupArns.member.2=arn%3A2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("PageSize", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeTargetHealth_WhenTargetUnhealthy_ShouldReturnReasonAndDescription()
    {
        const string response = """
            <DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
              <DescribeTargetHealthResult>
                <TargetHealthDescriptions>
                  <member>
                    <HealthCheckPort>8080</HealthCheckPort>
                    <Target><Id>10.0.3.17</Id><Port>8080</Port><AvailabilityZone>eu-west-1b</AvailabilityZone></Target>
                    <TargetHealth>
                      <State>unhealthy</State>
                      <Reason>Target.ResponseCodeMismatch</Reason>
                      <Description>Health checks failed with these codes: [404]</Description>
                    </TargetHealth>
                  </member>
                </TargetHealthDescriptions>
              </DescribeTargetHealthResult>
              <ResponseMetadata><RequestId>e5d4c3b2</RequestId></ResponseMetadata>
            </DescribeTargetHealthResponse>
            """;
        using var stub = new StubAwsEndpoint(StubResponse.Xml(200, response));
        using var elb = new ElbV2Client(
            MotoServer.Credentials, new ElbV2ClientConfig { ServiceURL = stub.Url, AuthenticationRegion = "eu-west-1" });

        var health = await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn:tg" });

        Assert.Equal(
            new TargetHealthDescription
            {
                Id = "10.0.3.17",
                Port = 8080,
                AvailabilityZone = "eu-west-1b",
                HealthCheckPort = "8080",
                State = "unhealthy",
                Reason = "Target.ResponseCodeMismatch",
                Description = "Health checks failed with these codes: [404]",
            },
            Assert.Single(health));
    }

    [Fact]
    public async Task DescribeTargetGroups_WhenNeitherArnsNorLoadBalancerGiven_ShouldThrowArgumentException()
    {
        using var elb = new ElbV2Client(
            MotoServer.Credentials, new ElbV2ClientConfig { ServiceURL = "http://127.0.0.1:9/", AuthenticationRegion = "eu-west-1" });

        await Assert.ThrowsAsync<ArgumentException>(() =>
            elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { TargetGroupArns = [] }));
    }

    private static string TargetGroupsPage(IEnumerable<string> names, string? nextMarker)
    {
        var members = string.Concat(names.Select(name => $"""
            <member>
              <TargetGroupArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{name}/73e2d6bc24d8a067</TargetGroupArn>
              <TargetGroupName>{name}</TargetGroupName>
              <Protocol>HTTP</Protocol>
              <Port>80</Port>
              <VpcId>vpc-3ac0fb5f</VpcId>
              <TargetType>ip</TargetType>
              <LoadBalancerArns><member>{LoadBalancerArn}</member></LoadBalancerArns>
            </member>
            """));
        var marker = nextMarker is null ? "" : $"<NextMarker>{nextMarker}</NextMarker>";
        return $"""
            <DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
              <DescribeTargetGroupsResult><TargetGroups>{members}</TargetGroups>{marker}</DescribeTargetGroupsResult>
              <ResponseMetadata><RequestId>70092c0e-f3a9-11e5-ae48-cff02092876b</RequestId></ResponseMetadata>
            </DescribeTargetGroupsResponse>
            """;
    }
}
