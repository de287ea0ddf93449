using Amazon.EC2;
using Amazon.EC2.Model;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>A VPC with subnets and a security group, made with AWSSDK.EC2 for tests that need a network.</summary>
public sealed record TestNetwork(string VpcId, IReadOnlyList<string> SubnetIds, string SecurityGroupId)
{
    public static async Task<TestNetwork> CreateAsync(IAmazonEC2 ec2, int subnets = 2)
    {
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        List<string> subnetIds = [];
        for (var i = 0; i < subnets; i++)
        {
            var subnet = await ec2.CreateSubnetAsync(new CreateSubnetRequest
            {
                VpcId = vpc,
                CidrBlock = $"10.0.{i + 1}.0/24",
                AvailabilityZone = MotoServer.Region + (char)('a' + i),
            });
            subnetIds.Add(subnet.Subnet.SubnetId);
        }

        var group = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = "app",
            Description = "app tasks",
            VpcId = vpc,
        });
        return new TestNetwork(vpc, subnetIds, group.GroupId);
    }
}
