using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

/// <summary>
/// An account where everything a Fargate service needs is in place: a private subnet behind an available NAT
/// gateway in a public subnet, open network ACLs, VPC DNS, an ECR image that exists, an execution role allowed
/// everything it needs, the log group, a load balancer whose security group the task accepts. Tests break one thing.
/// </summary>
public static class HealthyAccount
{
    public const string Account = "111122223333";
    public const string Vpc = Scenarios.Vpc;
    public const string Subnet = Scenarios.Subnet;
    public const string PublicSubnet = "subnet-0public0000000000";
    public const string PrivateTable = "rtb-0private00000000";
    public const string PublicTable = "rtb-0public000000000";
    public const string Nat = "nat-0healthy000000000";
    public const string TaskSg = Scenarios.TaskSg;
    public const string LbSg = "sg-0lb00000000000000";
    public const string EndpointSg = "sg-0endpoint000000000";
    public const string EfsSg = "sg-0efs0000000000000";
    public const string LoadBalancerArn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/payments/50dc6c495c0c9188";
    public const string TaskDefinitionArn = "arn:aws:ecs:us-east-1:111122223333:task-definition/api:7";
    public const string ExecutionRole = "arn:aws:iam::111122223333:role/apiExecutionRole";
    public const string TaskRole = "arn:aws:iam::111122223333:role/apiTaskRole";
    public const string Image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.42.0";
    public const string Secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:payments/db-AbCdEf";
    public const string LogGroup = "/ecs/payments-api";
    public const string FileSystem = "fs-0123456789abcdef0";

    public static readonly string[] ExecutionActions =
    [
        RolePermissions.GetAuthorizationToken, RolePermissions.BatchGetImage, RolePermissions.GetDownloadUrlForLayer,
        RolePermissions.CreateLogStream, RolePermissions.PutLogEvents, RolePermissions.GetSecretValue, RolePermissions.GetParameters,
        RolePermissions.CreateLogGroup,
    ];

    public static NetworkAclFacts OpenAcl(string id = "acl-0default000000000", bool isDefault = true, params string[] subnets) => new(id, Vpc, isDefault, subnets,
    [
        new NetworkAclEntry(100, true, "-1", "0.0.0.0/0", null, null, true),
        new NetworkAclEntry(32767, true, "-1", "0.0.0.0/0", null, null, false),
        new NetworkAclEntry(100, false, "-1", "0.0.0.0/0", null, null, true),
        new NetworkAclEntry(32767, false, "-1", "0.0.0.0/0", null, null, false),
    ]);

    public static TaskDefinitionFacts TaskDefinition() => new()
    {
        TaskDefinitionArn = TaskDefinitionArn,
        Family = "api",
        ExecutionRoleArn = ExecutionRole,
        TaskRoleArn = TaskRole,
        NetworkMode = "awsvpc",
        RequiresCompatibilities = ["FARGATE"],
        Containers =
        [
            new ContainerDefinitionFacts
            {
                Name = "api",
                Image = Image,
                ContainerPorts = [8080],
                LogDriver = "awslogs",
                LogOptions = new Dictionary<string, string> { ["awslogs-group"] = LogGroup, ["awslogs-region"] = "us-east-1", ["awslogs-stream-prefix"] = "api" },
                SecretValueFrom = [Secret],
                HealthCheckCommand = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                HealthCheckStartPeriod = 60,
            },
        ],
    };

    public static FakeAccount Create()
    {
        var a = new FakeAccount();
        a.Services["api"] = Scenarios.Service() with { PlatformVersion = "LATEST" };
        a.TaskDefinitions[TaskDefinitionArn] = TaskDefinition();
        a.Subnets.Add(new SubnetFacts(Subnet, Vpc, "us-east-1a", "10.0.12.0/24", 240, false));
        a.Subnets.Add(new SubnetFacts(PublicSubnet, Vpc, "us-east-1a", "10.0.0.0/24", 240, true));
        a.RouteTables.Add(new RouteTableFacts(PrivateTable, Vpc, false, [Subnet],
        [
            new RouteFacts("10.0.0.0/16", null, "local", null, "active"),
            new RouteFacts("0.0.0.0/0", null, null, Nat, "active"),
        ]));
        a.RouteTables.Add(new RouteTableFacts(PublicTable, Vpc, false, [PublicSubnet],
        [
            new RouteFacts("10.0.0.0/16", null, "local", null, "active"),
            new RouteFacts("0.0.0.0/0", null, "igw-0123456789abcdef0", null, "active"),
        ]));
        a.RouteTables.Add(new RouteTableFacts("rtb-0main0000000000", Vpc, true, [], [new RouteFacts("10.0.0.0/16", null, "local", null, "active")]));
        a.NatGateways.Add(new NatGatewayFacts(Nat, PublicSubnet, Vpc, "available"));
        a.NetworkAcls.Add(OpenAcl());
        a.SecurityGroups.Add(new SecurityGroupFacts(TaskSg, "api-tasks", Vpc,
            [new SecurityGroupRule("tcp", 8080, 8080, [], [], [LbSg])],
            [new SecurityGroupRule("-1", null, null, ["0.0.0.0/0"], [], [])]));
        a.SecurityGroups.Add(new SecurityGroupFacts(LbSg, "api-lb", Vpc, [new SecurityGroupRule("tcp", 443, 443, ["0.0.0.0/0"], [], [])], []));
        a.Repositories[$"{Account}/payments/api"] = new() { ["1.42.0"] = "application/vnd.docker.distribution.manifest.v2+json" };
        a.Roles[ExecutionRole] = [.. ExecutionActions.Select(x => (x, "*"))];
        a.Roles[TaskRole] = [(RolePermissions.ClientMount, "*")];
        a.LogGroupNames.Add(LogGroup);
        a.Secrets[Secret] = null;
        Scenarios.WithTargetGroup(a, healthReason: null);
        a.TargetGroups[Scenarios.TargetGroupArn] = a.TargetGroups[Scenarios.TargetGroupArn] with { LoadBalancerArns = [LoadBalancerArn], HealthCheckPort = "traffic-port" };
        a.LoadBalancers[LoadBalancerArn] = new LoadBalancerSummary(LoadBalancerArn, "payments", "application", [LbSg]);
        return a;
    }

    /// <summary>Moves the task's subnet behind VPC endpoints only (no NAT): ecr.api, ecr.dkr, logs, secretsmanager with private DNS, S3 gateway.</summary>
    public static FakeAccount WithEndpointsOnly(FakeAccount a)
    {
        a.RouteTables[0] = a.RouteTables[0] with { Routes = [new RouteFacts("10.0.0.0/16", null, "local", null, "active")] };
        a.NatGateways.Clear();
        foreach (var service in new[] { "ecr.api", "ecr.dkr", "logs", "secretsmanager" })
        {
            a.Endpoints.Add(new VpcEndpointFacts($"vpce-{service.Replace('.', '-')}", $"com.amazonaws.us-east-1.{service}", "Interface", "available", true, [Subnet], [EndpointSg], []));
        }

        a.Endpoints.Add(new VpcEndpointFacts("vpce-s3", "com.amazonaws.us-east-1.s3", "Gateway", "available", false, [], [], [PrivateTable]));
        a.SecurityGroups.Add(new SecurityGroupFacts(EndpointSg, "endpoints", Vpc, [new SecurityGroupRule("tcp", 443, 443, [], [], [TaskSg])], []));
        return a;
    }

    /// <summary>Adds an EFS volume with a mount target in the task's AZ open to the task on 2049.</summary>
    public static FakeAccount WithEfs(FakeAccount a, bool iam = false)
    {
        foreach (var arn in a.TaskDefinitions.Keys.ToList())
        {
            a.TaskDefinitions[arn] = a.TaskDefinitions[arn] with
            {
                EfsVolumes = [new EfsVolumeFacts("data", FileSystem, null, iam, TransitEncryption: iam)],
            };
        }

        a.MountTargets.Add(new MountTargetFacts("fsmt-0a", FileSystem, Subnet, "us-east-1a", "available", "10.0.12.9") { SecurityGroups = [EfsSg] });
        a.SecurityGroups.Add(new SecurityGroupFacts(EfsSg, "efs", Vpc, [new SecurityGroupRule("tcp", 2049, 2049, [], [], [TaskSg])], []));
        return a;
    }

    public static DiagnosisTarget Service() => new() { Region = "us-east-1", Account = Account, Cluster = "payments", ServiceName = "api" };

    public static ContextGatherer Gatherer(FakeAccount a) => new(a, a, a, a.Inspectors);

    /// <summary>The doctor's report; every finding in it is checked to keep its sentence well formed.</summary>
    public static async Task<DoctorReport> DoctorAsync(FakeAccount a, DiagnosisTarget? target = null)
    {
        var report = await Doctor.RunAsync(Gatherer(a), target ?? Service(), CancellationToken.None);
        FindingSentences.AssertWellFormed(report.Findings);
        return report;
    }
}
