using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The network path around the task's subnets and security groups (routes, NAT and internet gateways, VPC
/// endpoints, security groups, network ACLs, the VPC's DNS attributes), driven by the network port; for a service
/// event, only the free addresses of the service's subnets (one DescribeSubnets).
/// </summary>
internal sealed class NetworkPathArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } =
    [
        new("network path", DiagnosisScope.NetworkPath | DiagnosisScope.SubnetAddresses, "ReadNetwork",
        [
            "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeVpcEndpoints", "ec2:DescribeSecurityGroups",
            "ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls", "ec2:DescribeVpcAttribute",
        ]),
    ];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        var target = context.Target!;
        NetworkFacts? network = null;
        if (run.Asks(DiagnosisScope.NetworkPath))
        {
            network = await run.PathOfAsync(target.Subnets, target.SecurityGroups).ConfigureAwait(false);
        }

        if (run.Asks(DiagnosisScope.SubnetAddresses) && network is null && target.Subnets.Count > 0)
        {
            network = new NetworkFacts(await run.SubnetsAsync(target.Subnets).ConfigureAwait(false), [], [], [], []);
        }

        return context with { Network = network };
    }
}
