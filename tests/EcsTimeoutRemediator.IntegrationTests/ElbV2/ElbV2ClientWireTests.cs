using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.ElbV2;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.ElbV2;

[Collection(MotoCollection.Name)]
public sealed class ElbV2ClientWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string MissingTargetGroup =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/missing/0123456789abcdef";

    private readonly ElbV2Client _elb = moto.CreateElbV2Client();
    private readonly ElbV2SetupClient _setup = new(MotoServer.Credentials, moto.Configure(new ElbV2ClientConfig()));
    private TestNetwork _network = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        using var ec2 = moto.CreateEc2Client();
        _network = await TestNetwork.CreateAsync(ec2);
    }

    public Task DisposeAsync()
    {
        _elb.Dispose();
        _setup.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DescribeTargetGroups_WhenGivenArns_ShouldReturnHealthCheckSettings()
    {
        var arn = await _setup.CreateTargetGroupAsync("web", _network.VpcId);
        await _setup.CreateTargetGroupAsync("other", _network.VpcId);

        var groups = await _elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { TargetGroupArns = [arn] });

        var group = Assert.Single(groups);
        Assert.Equal(arn, group.TargetGroupArn);
        Assert.Equal("web", group.TargetGroupName);
        Assert.Equal("HTTP", group.Protocol);
        Assert.Equal(8080, group.Port);
        Assert.Equal(_network.VpcId, group.VpcId);
        Assert.Equal("ip", group.TargetType);
        Assert.Equal("/health", group.HealthCheckPath);
        Assert.Equal(15, group.HealthCheckIntervalSeconds);
        Assert.Equal("200-299", group.MatcherHttpCode);
        Assert.Empty(group.LoadBalancerArns);
    }

    [Fact]
    public async Task DescribeTargetGroups_WhenGivenLoadBalancerArn_ShouldReturnOnlyItsTargetGroups()
    {
        var loadBalancer = await _setup.CreateLoadBalancerAsync("web", _network.SubnetIds, [_network.SecurityGroupId]);
        var attached = await _setup.CreateTargetGroupAsync("web", _network.VpcId);
        await _setup.CreateTargetGroupAsync("detached", _network.VpcId);
        await _setup.CreateListenerAsync(loadBalancer, attached);

        var groups = await _elb.DescribeTargetGroupsAsync(
            new DescribeTargetGroupsRequest { LoadBalancerArn = loadBalancer, PageSize = 1 });

        var group = Assert.Single(groups);
        Assert.Equal(attached, group.TargetGroupArn);
        Assert.Equal([loadBalancer], group.LoadBalancerArns);
    }

    [Fact]
    public async Task DescribeTargetGroups_WhenArnIsMissing_ShouldThrowNotFoundException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.NotFound, () =>
            _elb.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { TargetGroupArns = [MissingTargetGroup] }));

        Assert.Equal("TargetGroupNotFound", error.ErrorCode);
        Assert.Equal("Elastic Load Balancing v2", error.Service);
        Assert.Equal(400, error.StatusCode);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task DescribeTargetHealth_WhenTargetsRegistered_ShouldReturnIdPortAndState()
    {
        var arn = await _setup.CreateTargetGroupAsync("web", _network.VpcId);
        await _setup.RegisterTargetsAsync(arn, ("10.0.1.10", 8080), ("10.0.2.20", 8080));

        var health = await _elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = arn });

        Assert.Equal(["10.0.1.10", "10.0.2.20"], health.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.All(health, h =>
        {
            Assert.Equal(8080, h.Port);
            Assert.Equal("healthy", h.State);
            Assert.Equal("traffic-port", h.HealthCheckPort);
        });
    }

    [Fact]
    public async Task DescribeTargetHealth_WhenAskedForUnregisteredTarget_ShouldReturnStateReasonAndDescription()
    {
        var arn = await _setup.CreateTargetGroupAsync("web", _network.VpcId);

        var health = await _elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest
        {
            TargetGroupArn = arn,
            Targets = [new TargetReference("10.0.1.99", 9090)],
        });

        var target = Assert.Single(health);
        Assert.Equal("10.0.1.99", target.Id);
        Assert.Equal(9090, target.Port);
        Assert.Equal("unavailable", target.State);
        Assert.Equal("Target.NotRegistered", target.Reason);
        Assert.Equal("Target is not registered", target.Description);
    }

    [Fact]
    public async Task DescribeTargetHealth_WhenTargetGroupArnIsBad_ShouldThrowNotFoundException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.NotFound, () =>
            _elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = MissingTargetGroup }));

        Assert.Equal("TargetGroupNotFound", error.ErrorCode);
        Assert.Equal("DescribeTargetHealth", error.Operation);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task DescribeLoadBalancers_WhenGivenArns_ShouldReturnSchemeVpcTypeStateAndSecurityGroups()
    {
        var arn = await _setup.CreateLoadBalancerAsync("web", _network.SubnetIds, [_network.SecurityGroupId], "internet-facing");

        var balancers = await _elb.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { LoadBalancerArns = [arn] });

        var balancer = Assert.Single(balancers);
        Assert.Equal(arn, balancer.LoadBalancerArn);
        Assert.Equal("web", balancer.LoadBalancerName);
        Assert.Equal("internet-facing", balancer.Scheme);
        Assert.Equal(_network.VpcId, balancer.VpcId);
        Assert.Equal("application", balancer.Type);
        Assert.Contains(balancer.State, new[] { "provisioning", "active" });
        Assert.Equal([_network.SecurityGroupId], balancer.SecurityGroups);
        Assert.Equal(_network.SubnetIds, balancer.AvailabilityZones.Select(z => z.SubnetId));
        Assert.False(string.IsNullOrEmpty(balancer.DnsName));
    }

    [Fact]
    public async Task DescribeLoadBalancers_WhenMoreThanOnePage_ShouldFollowMarkerAndReturnAll()
    {
        List<string> arns = [];
        for (var i = 0; i < 5; i++)
        {
            arns.Add(await _setup.CreateLoadBalancerAsync($"lb-{i}", _network.SubnetIds, [_network.SecurityGroupId]));
        }

        var balancers = await _elb.DescribeLoadBalancersAsync(
            new DescribeLoadBalancersRequest { LoadBalancerArns = arns, PageSize = 2 });

        Assert.Equal(arns, balancers.Select(b => b.LoadBalancerArn));
    }

    [Fact]
    public async Task DescribeLoadBalancers_WhenArnIsMissing_ShouldThrowNotFoundException()
    {
        var error = await AwsAssert.ThrowsAsync(AwsErrorKind.NotFound, () => _elb.DescribeLoadBalancersAsync(
            new DescribeLoadBalancersRequest
            {
                LoadBalancerArns = ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/gone/0123456789abcdef"],
            }));

        Assert.Equal("LoadBalancerNotFound", error.ErrorCode);
    }
}
