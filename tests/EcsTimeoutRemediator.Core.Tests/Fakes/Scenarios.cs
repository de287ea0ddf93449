using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>Ready-made VPCs for the sample events (cluster payments, service api, subnet-0a1b2c3d4e5f60718).</summary>
public static class Scenarios
{
    public const string Vpc = "vpc-0123456789abcdef0";
    public const string Subnet = "subnet-0a1b2c3d4e5f60718";
    public const string TaskSg = "sg-0aaaaaaaaaaaaaaaa";
    public const string TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/payments-api-tg/73e2d6bc24d8a067";

    public static ServiceFacts Service(string name = "api", bool assignPublicIp = false, int grace = 0) => new()
    {
        ServiceArn = $"arn:aws:ecs:us-east-1:111122223333:service/payments/{name}",
        ServiceName = name,
        ClusterArn = "arn:aws:ecs:us-east-1:111122223333:cluster/payments",
        LaunchType = "FARGATE",
        DesiredCount = 2,
        HealthCheckGracePeriodSeconds = grace,
        TaskDefinitionArn = "arn:aws:ecs:us-east-1:111122223333:task-definition/api:7",
        Network = new AwsVpcFacts([Subnet], [TaskSg], assignPublicIp),
        LoadBalancers = [new ServiceLoadBalancer(TargetGroupArn, null, "api", 8080)],
    };

    public static SecurityGroupFacts TaskGroup(bool egress443 = true) => new(TaskSg, "api-tasks", Vpc, [],
        egress443 ? [new SecurityGroupRule("-1", null, null, ["0.0.0.0/0"], [], [])] : []);

    /// <summary>A private subnet: its route table has only the local route.</summary>
    public static FakeAccount PrivateSubnetWithoutEgress(FakeAccount? account = null)
    {
        var a = account ?? new FakeAccount();
        a.Services["api"] = Service();
        a.Subnets.Add(new SubnetFacts(Subnet, Vpc, "us-east-1a", "10.0.12.0/24", 240, false));
        a.RouteTables.Add(new RouteTableFacts("rtb-0private00000000", Vpc, false, [Subnet], [new RouteFacts("10.0.0.0/16", null, "local", null, "active")]));
        a.RouteTables.Add(new RouteTableFacts("rtb-0main0000000000", Vpc, true, [], [new RouteFacts("10.0.0.0/16", null, "local", null, "active")]));
        a.SecurityGroups.Add(TaskGroup());
        return a;
    }

    /// <summary>A public subnet (0.0.0.0/0 → igw) with a service that gives its tasks no public IP.</summary>
    public static FakeAccount PublicSubnet(bool assignPublicIp)
    {
        var a = new FakeAccount();
        a.Services["api"] = Service(assignPublicIp: assignPublicIp);
        a.Subnets.Add(new SubnetFacts(Subnet, Vpc, "us-east-1a", "10.0.12.0/24", 240, true));
        a.RouteTables.Add(new RouteTableFacts("rtb-0public000000000", Vpc, false, [Subnet],
        [
            new RouteFacts("10.0.0.0/16", null, "local", null, "active"),
            new RouteFacts("0.0.0.0/0", null, "igw-0123456789abcdef0", null, "active"),
        ]));
        a.SecurityGroups.Add(TaskGroup());
        return a;
    }

    public static FakeAccount WithTargetGroup(FakeAccount a, string? healthReason = "Target.Timeout")
    {
        a.TargetGroups[TargetGroupArn] = new TargetGroupFacts
        {
            TargetGroupArn = TargetGroupArn,
            TargetGroupName = "payments-api-tg",
            Protocol = "HTTP",
            Port = 8080,
            HealthCheckPath = "/health",
            HealthCheckIntervalSeconds = 30,
            UnhealthyThresholdCount = 2,
        };
        if (healthReason is not null)
        {
            a.TargetHealth[TargetGroupArn] = [new TargetHealthFacts("10.0.12.187", 8080, "unhealthy", healthReason, "Request timed out")];
        }

        return a;
    }
}
