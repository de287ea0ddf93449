using Amazon.EC2;
using Amazon.EC2.Model;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Ec2;

/// <summary>AWSSDK.EC2's own client, used as is, against moto with the same endpoint settings as the typed clients.</summary>
[Collection(MotoCollection.Name)]
public sealed class Ec2SdkWireTests(MotoServer moto) : IAsyncLifetime
{
    private readonly AmazonEC2Client _ec2 = moto.CreateEc2Client();
    private TestNetwork _network = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _network = await TestNetwork.CreateAsync(_ec2);
    }

    public Task DisposeAsync()
    {
        _ec2.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DescribeSubnets_WhenFilteredByVpc_ShouldReturnItsSubnetsWithZonesAndCidrs()
    {
        var response = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest
        {
            Filters = [new Filter("vpc-id", [_network.VpcId])],
        });

        Assert.Equal(_network.SubnetIds.Order(StringComparer.Ordinal), response.Subnets.Select(s => s.SubnetId).Order(StringComparer.Ordinal));
        var first = response.Subnets.Single(s => s.SubnetId == _network.SubnetIds[0]);
        Assert.Equal("10.0.1.0/24", first.CidrBlock);
        Assert.Equal("us-east-1a", first.AvailabilityZone);
        Assert.False(first.MapPublicIpOnLaunch);
    }

    [Fact]
    public async Task DescribeRouteTables_WhenSubnetAssociatedWithNatRoute_ShouldReturnRouteAndAssociation()
    {
        var allocation = await _ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc });
        var nat = await _ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest
        {
            SubnetId = _network.SubnetIds[0],
            AllocationId = allocation.AllocationId,
        });
        var table = await _ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = _network.VpcId });
        await _ec2.CreateRouteAsync(new CreateRouteRequest
        {
            RouteTableId = table.RouteTable.RouteTableId,
            DestinationCidrBlock = "0.0.0.0/0",
            NatGatewayId = nat.NatGateway.NatGatewayId,
        });
        await _ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest
        {
            RouteTableId = table.RouteTable.RouteTableId,
            SubnetId = _network.SubnetIds[1],
        });

        var response = await _ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest
        {
            Filters = [new Filter("association.subnet-id", [_network.SubnetIds[1]])],
        });

        var routeTable = Assert.Single(response.RouteTables);
        Assert.Equal(table.RouteTable.RouteTableId, routeTable.RouteTableId);
        Assert.Contains(routeTable.Associations, a => a.SubnetId == _network.SubnetIds[1]);
        var defaultRoute = Assert.Single(routeTable.Routes, r => r.DestinationCidrBlock == "0.0.0.0/0");
        Assert.Equal(nat.NatGateway.NatGatewayId, defaultRoute.NatGatewayId);
    }

    [Fact]
    public async Task DescribeNatGateways_WhenCreated_ShouldReturnSubnetVpcAndState()
    {
        var allocation = await _ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc });
        var created = await _ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest
        {
            SubnetId = _network.SubnetIds[0],
            AllocationId = allocation.AllocationId,
        });

        var response = await _ec2.DescribeNatGatewaysAsync(new DescribeNatGatewaysRequest
        {
            Filter = [new Filter("vpc-id", [_network.VpcId])],
        });

        var gateway = Assert.Single(response.NatGateways);
        Assert.Equal(created.NatGateway.NatGatewayId, gateway.NatGatewayId);
        Assert.Equal(_network.SubnetIds[0], gateway.SubnetId);
        Assert.Equal(_network.VpcId, gateway.VpcId);
        Assert.Equal(NatGatewayState.Available, gateway.State);
        Assert.Equal(allocation.AllocationId, Assert.Single(gateway.NatGatewayAddresses).AllocationId);
    }

    [Fact]
    public async Task DescribeVpcEndpoints_WhenInterfaceAndGatewayEndpointsExist_ShouldReturnServiceNamesAndTypes()
    {
        await _ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest
        {
            VpcId = _network.VpcId,
            ServiceName = "com.amazonaws.us-east-1.ecr.dkr",
            VpcEndpointType = VpcEndpointType.Interface,
            SubnetIds = [.. _network.SubnetIds],
            SecurityGroupIds = [_network.SecurityGroupId],
            PrivateDnsEnabled = true,
        });
        await _ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest
        {
            VpcId = _network.VpcId,
            ServiceName = "com.amazonaws.us-east-1.s3",
            VpcEndpointType = VpcEndpointType.Gateway,
        });

        var response = await _ec2.DescribeVpcEndpointsAsync(new DescribeVpcEndpointsRequest
        {
            Filters = [new Filter("vpc-id", [_network.VpcId])],
        });

        var byService = response.VpcEndpoints.ToDictionary(e => e.ServiceName, StringComparer.Ordinal);
        Assert.Equal(VpcEndpointType.Interface, byService["com.amazonaws.us-east-1.ecr.dkr"].VpcEndpointType);
        Assert.Equal(_network.SubnetIds.Order(StringComparer.Ordinal), byService["com.amazonaws.us-east-1.ecr.dkr"].SubnetIds.Order(StringComparer.Ordinal));
        Assert.True(byService["com.amazonaws.us-east-1.ecr.dkr"].PrivateDnsEnabled);
        Assert.Equal(VpcEndpointType.Gateway, byService["com.amazonaws.us-east-1.s3"].VpcEndpointType);
    }

    [Fact]
    public async Task DescribeSecurityGroups_WhenIngressAuthorized_ShouldReturnRulesAndDefaultEgress()
    {
        await _ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = _network.SecurityGroupId,
            IpPermissions =
            [
                new IpPermission
                {
                    IpProtocol = "tcp", FromPort = 8080, ToPort = 8080,
                    Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/16" }],
                },
            ],
        });

        var response = await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
        {
            GroupIds = [_network.SecurityGroupId],
        });

        var group = Assert.Single(response.SecurityGroups);
        Assert.Equal(_network.VpcId, group.VpcId);
        var ingress = Assert.Single(group.IpPermissions);
        Assert.Equal(8080, ingress.FromPort);
        Assert.Equal("10.0.0.0/16", Assert.Single(ingress.Ipv4Ranges).CidrIp);
        var egress = Assert.Single(group.IpPermissionsEgress);
        Assert.Equal("-1", egress.IpProtocol);
        Assert.Equal("0.0.0.0/0", Assert.Single(egress.Ipv4Ranges).CidrIp);
    }

    [Fact]
    public async Task DescribeSecurityGroups_WhenGroupIsMissing_ShouldThrowSdkExceptionWithErrorCode()
    {
        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeSecurityGroupsAsync(
            new DescribeSecurityGroupsRequest { GroupIds = ["sg-0123456789abcdef0"] }));

        Assert.Equal("InvalidGroup.NotFound", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeInstances_WhenResultsExceedMaxResults_ShouldPageWithNextTokenThroughPaginator()
    {
        var subnet = _network.SubnetIds[0];
        for (var i = 0; i < 7; i++)
        {
            await _ec2.RunInstancesAsync(new RunInstancesRequest
            {
                ImageId = "ami-12c6146b", MinCount = 1, MaxCount = 1, SubnetId = subnet, InstanceType = InstanceType.T3Micro,
            });
        }

        List<int> pageSizes = [];
        List<string> instanceIds = [];
        await foreach (var page in _ec2.Paginators.DescribeInstances(new DescribeInstancesRequest { MaxResults = 5 }).Responses)
        {
            pageSizes.Add(page.Reservations.Count);
            instanceIds.AddRange(page.Reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId));
        }

        Assert.Equal([5, 2], pageSizes);
        Assert.Equal(7, instanceIds.Distinct(StringComparer.Ordinal).Count());
    }
}
