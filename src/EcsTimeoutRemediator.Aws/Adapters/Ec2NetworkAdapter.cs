using Amazon.EC2;
using Amazon.EC2.Model;
using EcsTimeoutRemediator.Aws.Clients.Runtime;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;
using SecurityGroupRule = EcsTimeoutRemediator.Context.SecurityGroupRule;

namespace EcsTimeoutRemediator.Aws.Adapters;

/// <summary>
/// <see cref="INetworkInspector"/> over AWSSDK.EC2: each need is answered by EC2's describe calls, every one made
/// through the gatherer's <see cref="IReadMeter"/> and following NextToken to the last page.
/// </summary>
public sealed class Ec2NetworkAdapter(IAmazonEC2 ec2) : INetworkInspector
{
    private const int PageSize = 100;

    public async Task<NetworkFacts?> PathOfAsync(
        IReadOnlyList<string> subnetIds, IReadOnlyList<string> securityGroupIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnetIds);
        ArgumentNullException.ThrowIfNull(securityGroupIds);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(reads);
        if (subnetIds.Count == 0)
        {
            return null;
        }

        var subnets = await SubnetsAsync(subnetIds, known, reads, cancellationToken).ConfigureAwait(false);
        var vpcId = subnets.Select(x => x.VpcId).FirstOrDefault();
        if (vpcId is null)
        {
            return new NetworkFacts(subnets, [], [], [], []);
        }

        var routeTables = await reads.ReadAsync("ec2:DescribeRouteTables", vpcId, "the routes are not checked",
            () => DescribeRouteTablesAsync(vpcId, cancellationToken)).ConfigureAwait(false) ?? [];
        var endpoints = await reads.ReadAsync("ec2:DescribeVpcEndpoints", vpcId, "the VPC endpoints are not checked",
            () => DescribeVpcEndpointsAsync(vpcId, cancellationToken)).ConfigureAwait(false) ?? [];

        // The task's groups and the interface endpoints' groups in one call.
        IReadOnlyList<string> endpointGroupIds = [.. endpoints.SelectMany(ep => ep.SecurityGroupIds).Distinct()];
        var groups = await SecurityGroupsAsync([.. securityGroupIds, .. endpointGroupIds], known, reads, cancellationToken).ConfigureAwait(false);

        var routed = new NetworkFacts(subnets, routeTables, [], [], []);
        IReadOnlyList<NatGatewayFacts> nats = [];
        if (subnets.Any(subnet => routed.DefaultRouteOf(subnet) is { ToNatGateway: true }))
        {
            nats = await reads.ReadAsync("ec2:DescribeNatGateways", vpcId, "the NAT gateways are not checked",
                () => DescribeNatGatewaysAsync(vpcId, cancellationToken)).ConfigureAwait(false) ?? [];
        }

        var acls = await reads.ReadAsync("ec2:DescribeNetworkAcls", vpcId, "the network ACLs are not checked",
            () => DescribeNetworkAclsAsync(vpcId, cancellationToken)).ConfigureAwait(false) ?? [];
        var dns = await DnsOfAsync(vpcId, reads, cancellationToken).ConfigureAwait(false);
        return new NetworkFacts(subnets, routeTables, endpoints, [.. groups.Where(x => securityGroupIds.Contains(x.GroupId))], nats)
        {
            NetworkAcls = acls,
            EndpointSecurityGroups = [.. groups.Where(x => endpointGroupIds.Contains(x.GroupId))],
            DnsSupport = dns.Support,
            DnsHostnames = dns.Hostnames,
        };
    }

    public Task<IReadOnlyList<SubnetFacts>> SubnetsAsync(IReadOnlyList<string> subnetIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        return known.SubnetsAsync(subnetIds, reads, wanted => DescribeSubnetsAsync(wanted, cancellationToken));
    }

    public Task<IReadOnlyList<SecurityGroupFacts>> SecurityGroupsAsync(IReadOnlyList<string> groupIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        return known.SecurityGroupsAsync(groupIds, reads, wanted => DescribeSecurityGroupsAsync(wanted, cancellationToken));
    }

    public async Task<VpcDnsFacts> DnsOfAsync(string vpcId, IReadMeter reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var support = await reads.ReadAsync<bool?>("ec2:DescribeVpcAttribute", $"{vpcId}/enableDnsSupport", "the VPC's DNS resolution is not checked",
            async () => await DescribeVpcAttributeAsync(vpcId, "enableDnsSupport", cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var hostnames = await reads.ReadAsync<bool?>("ec2:DescribeVpcAttribute", $"{vpcId}/enableDnsHostnames", "the VPC's DNS hostnames are not checked",
            async () => await DescribeVpcAttributeAsync(vpcId, "enableDnsHostnames", cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        return new VpcDnsFacts(support, hostnames);
    }

    /// <summary>DescribeSubnets of these ids.</summary>

    public Task<IReadOnlyList<SubnetFacts>> DescribeSubnetsAsync(IReadOnlyList<string> subnetIds, CancellationToken cancellationToken) =>
        Denials.Guard("ec2:DescribeSubnets", async () =>
        {
            // SubnetIds and MaxResults cannot be combined: ask by filter so that paging works for any count.
            var request = new DescribeSubnetsRequest { Filters = [new Filter("subnet-id", [.. subnetIds])], MaxResults = PageSize };
            return (IReadOnlyList<SubnetFacts>)await Paging.AllAsync("DescribeSubnets", async token =>
            {
                request.NextToken = token;
                var page = await ec2.DescribeSubnetsAsync(request, cancellationToken).ConfigureAwait(false);
                return new Page<SubnetFacts>((page.Subnets ?? []).Select(s => new SubnetFacts(
                    s.SubnetId, s.VpcId, s.AvailabilityZone, s.CidrBlock, s.AvailableIpAddressCount ?? 0, s.MapPublicIpOnLaunch ?? false)), page.NextToken);
            }).ConfigureAwait(false);
        });

    /// <summary>Every route table of the VPC (explicit associations and the main table).</summary>
    public Task<IReadOnlyList<RouteTableFacts>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken) =>
        Denials.Guard("ec2:DescribeRouteTables", async () =>
        {
            var request = new DescribeRouteTablesRequest { Filters = [new Filter("vpc-id", [vpcId])], MaxResults = PageSize };
            return (IReadOnlyList<RouteTableFacts>)await Paging.AllAsync("DescribeRouteTables", async token =>
            {
                request.NextToken = token;
                var page = await ec2.DescribeRouteTablesAsync(request, cancellationToken).ConfigureAwait(false);
                return new Page<RouteTableFacts>((page.RouteTables ?? []).Select(t => new RouteTableFacts(
                    t.RouteTableId,
                    t.VpcId,
                    (t.Associations ?? []).Any(a => a.Main == true),
                    [.. (t.Associations ?? []).Select(a => a.SubnetId).OfType<string>()],
                    [.. (t.Routes ?? []).Select(r => new RouteFacts(r.DestinationCidrBlock, r.DestinationPrefixListId, r.GatewayId, r.NatGatewayId, r.State?.Value))])), page.NextToken);
            }).ConfigureAwait(false);
        });

    /// <summary>Every VPC endpoint of the VPC.</summary>
    public Task<IReadOnlyList<VpcEndpointFacts>> DescribeVpcEndpointsAsync(string vpcId, CancellationToken cancellationToken) =>
        Denials.Guard("ec2:DescribeVpcEndpoints", async () =>
        {
            var request = new DescribeVpcEndpointsRequest { Filters = [new Filter("vpc-id", [vpcId])], MaxResults = PageSize };
            return (IReadOnlyList<VpcEndpointFacts>)await Paging.AllAsync("DescribeVpcEndpoints", async token =>
            {
                request.NextToken = token;
                var page = await ec2.DescribeVpcEndpointsAsync(request, cancellationToken).ConfigureAwait(false);
                return new Page<VpcEndpointFacts>((page.VpcEndpoints ?? []).Select(e => new VpcEndpointFacts(
                    e.VpcEndpointId,
                    e.ServiceName,
                    e.VpcEndpointType?.Value,
                    e.State?.Value,
                    e.PrivateDnsEnabled ?? false,
                    e.SubnetIds ?? [],
                    [.. (e.Groups ?? []).Select(g => g.GroupId)],
                    e.RouteTableIds ?? [])), page.NextToken);
            }).ConfigureAwait(false);
        });

    /// <summary>DescribeSecurityGroups of these ids.</summary>
    public Task<IReadOnlyList<SecurityGroupFacts>> DescribeSecurityGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken) =>
        Denials.Guard("ec2:DescribeSecurityGroups", async () =>
        {
            var request = new DescribeSecurityGroupsRequest { Filters = [new Filter("group-id", [.. groupIds])], MaxResults = PageSize };
            return (IReadOnlyList<SecurityGroupFacts>)await Paging.AllAsync("DescribeSecurityGroups", async token =>
            {
                request.NextToken = token;
                var page = await ec2.DescribeSecurityGroupsAsync(request, cancellationToken).ConfigureAwait(false);
                return new Page<SecurityGroupFacts>((page.SecurityGroups ?? []).Select(g => new SecurityGroupFacts(
                    g.GroupId, g.GroupName, g.VpcId, [.. (g.IpPermissions ?? []).Select(Rule)], [.. (g.IpPermissionsEgress ?? []).Select(Rule)])), page.NextToken);
            }).ConfigureAwait(false);
        });

    /// <summary>Every NAT gateway of the VPC.</summary>
    public Task<IReadOnlyList<NatGatewayFacts>> DescribeNatGatewaysAsync(string vpcId, CancellationToken cancellationToken) =>
        Denials.Guard("ec2:DescribeNatGateways", async () =>
        {
            var request = new DescribeNatGatewaysRequest { Filter = [new Filter("vpc-id", [vpcId])], MaxResults = PageSize };
            return (IReadOnlyList<NatGatewayFacts>)await Paging.AllAsync("DescribeNatGateways", async token =>
            {
                request.NextToken = token;
                var page = await ec2.DescribeNatGatewaysAsync(request, cancellationToken).ConfigureAwait(false);
                return new Page<NatGatewayFacts>((page.NatGateways ?? []).Select(n => new NatGatewayFacts(n.NatGatewayId, n.SubnetId, n.VpcId, n.State?.Value)), page.NextToken);
            }).ConfigureAwait(false);
        });

    /// <summary>Every network ACL of the VPC with its subnet associations.</summary>
    public Task<IReadOnlyList<NetworkAclFacts>> DescribeNetworkAclsAsync(string vpcId, CancellationToken cancellationToken) =>
        Denials.Guard("ec2:DescribeNetworkAcls", async () =>
        {
            var request = new DescribeNetworkAclsRequest { Filters = [new Filter("vpc-id", [vpcId])], MaxResults = PageSize };
            return (IReadOnlyList<NetworkAclFacts>)await Paging.AllAsync("DescribeNetworkAcls", async token =>
            {
                request.NextToken = token;
                var page = await ec2.DescribeNetworkAclsAsync(request, cancellationToken).ConfigureAwait(false);
                return new Page<NetworkAclFacts>((page.NetworkAcls ?? []).Select(a => new NetworkAclFacts(
                    a.NetworkAclId,
                    a.VpcId,
                    a.IsDefault ?? false,
                    [.. (a.Associations ?? []).Select(x => x.SubnetId).OfType<string>()],
                    [.. (a.Entries ?? []).Select(e => new Context.NetworkAclEntry(
                        e.RuleNumber ?? 32767,
                        e.Egress ?? false,
                        e.Protocol ?? "-1",
                        e.CidrBlock,
                        e.PortRange?.From,
                        e.PortRange?.To,
                        string.Equals(e.RuleAction?.Value, "allow", StringComparison.OrdinalIgnoreCase)))])), page.NextToken);
            }).ConfigureAwait(false);
        });

    /// <summary>DescribeVpcAttribute: "enableDnsSupport" or "enableDnsHostnames".</summary>
    public Task<bool> DescribeVpcAttributeAsync(string vpcId, string attribute, CancellationToken cancellationToken) =>
        Denials.Guard("ec2:DescribeVpcAttribute", async () =>
        {
            var response = await ec2.DescribeVpcAttributeAsync(new DescribeVpcAttributeRequest { VpcId = vpcId, Attribute = attribute }, cancellationToken).ConfigureAwait(false);
            return attribute == "enableDnsHostnames" ? response.EnableDnsHostnames ?? false : response.EnableDnsSupport ?? false;
        });

    private static SecurityGroupRule Rule(IpPermission p) => new(
        p.IpProtocol ?? "-1",
        p.FromPort,
        p.ToPort,
        [.. (p.Ipv4Ranges ?? []).Select(r => r.CidrIp).OfType<string>()],
        [.. (p.Ipv6Ranges ?? []).Select(r => r.CidrIpv6).OfType<string>()],
        [.. (p.UserIdGroupPairs ?? []).Select(g => g.GroupId).OfType<string>()]);
}
