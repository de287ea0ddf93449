using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.EC2;
using Amazon.EC2.Model;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.Iam;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// One VPC on moto built for a diagnosis scenario: a public subnet (us-east-1a, 0.0.0.0/0 → internet gateway) and
/// a private one (us-east-1b, local route only), DNS hostnames on, a task security group, an ECR image that exists,
/// the awslogs log group, a secret reference and a Fargate task definition using all three. Scenarios then create
/// the service and break (or complete) one piece.
/// </summary>
public sealed class DiagnosisWorld : IDisposable
{
    public const string Cluster = "shop";
    public const string Repository = "shop/api";
    public const string LogGroup = "/ecs/shop-api";
    public static readonly string Image = $"{MotoServer.AccountId}.dkr.ecr.us-east-1.amazonaws.com/{Repository}:1.42.0";
    public static readonly string ExecutionRole = $"arn:aws:iam::{MotoServer.AccountId}:role/shopApiExecutionRole";
    public static readonly string Secret = $"arn:aws:secretsmanager:us-east-1:{MotoServer.AccountId}:secret:shop/db-AbCdEf";

    private readonly MotoServer _moto;
    private readonly AmazonEC2Client _ec2;
    private readonly MotoRaw _raw;

    private DiagnosisWorld(MotoServer moto)
    {
        _moto = moto;
        _ec2 = moto.CreateEc2Client();
        _raw = new MotoRaw(moto);
    }

    public string VpcId { get; private set; } = "";
    public string PublicSubnet { get; private set; } = "";
    public string PrivateSubnet { get; private set; } = "";
    public string PublicRouteTable { get; private set; } = "";
    public string PrivateRouteTable { get; private set; } = "";
    public string TaskSecurityGroup { get; private set; } = "";
    public string TaskDefinitionArn { get; private set; } = "";

    public AmazonEC2Client Ec2 => _ec2;

    public MotoRaw Raw => _raw;

    public static async Task<DiagnosisWorld> CreateAsync(MotoServer moto, IReadOnlyList<EcsVolume>? volumes = null)
    {
        var world = new DiagnosisWorld(moto);
        await world.BuildAsync(volumes);
        return world;
    }

    public void Dispose()
    {
        _ec2.Dispose();
        _raw.Dispose();
    }

    private async Task BuildAsync(IReadOnlyList<EcsVolume>? volumes)
    {
        VpcId = (await _ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        await _ec2.ModifyVpcAttributeAsync(new ModifyVpcAttributeRequest { VpcId = VpcId, EnableDnsHostnames = true });
        PublicSubnet = (await _ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = VpcId, CidrBlock = "10.0.1.0/24", AvailabilityZone = "us-east-1a" })).Subnet.SubnetId;
        PrivateSubnet = (await _ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = VpcId, CidrBlock = "10.0.2.0/24", AvailabilityZone = "us-east-1b" })).Subnet.SubnetId;
        var igw = (await _ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest())).InternetGateway.InternetGatewayId;
        await _ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { VpcId = VpcId, InternetGatewayId = igw });
        PublicRouteTable = (await _ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = VpcId })).RouteTable.RouteTableId;
        await _ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = PublicRouteTable, DestinationCidrBlock = "0.0.0.0/0", GatewayId = igw });
        await _ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = PublicRouteTable, SubnetId = PublicSubnet });
        PrivateRouteTable = (await _ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = VpcId })).RouteTable.RouteTableId;
        await _ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = PrivateRouteTable, SubnetId = PrivateSubnet });
        TaskSecurityGroup = (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "shop-api-tasks", Description = "tasks", VpcId = VpcId })).GroupId;

        await _raw.JsonAsync("ecr", "AmazonEC2ContainerRegistry_V20150921.CreateRepository", new JsonObject { ["repositoryName"] = Repository });
        // No configuration descriptor: moto does not implement GetDownloadUrlForLayer (it answers 500), so the
        // world's image leaves its platform unknown; the configuration download is tested in ImageConfigWireTests.
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json",
            ["layers"] = new JsonArray(),
        };
        await _raw.JsonAsync("ecr", "AmazonEC2ContainerRegistry_V20150921.PutImage",
            new JsonObject { ["repositoryName"] = Repository, ["imageManifest"] = manifest.ToJsonString(), ["imageTag"] = "1.42.0" });
        await _raw.JsonAsync("logs", "Logs_20140328.CreateLogGroup", new JsonObject { ["logGroupName"] = LogGroup });

        var ecs = new EcsSetupClient(MotoServer.Credentials, _moto.Configure(new EcsClientConfig()));
        await ecs.CreateClusterAsync(Cluster);
        await RegisterTaskDefinitionAsync(volumes);
    }

    /// <summary>
    /// Registers (a new revision of) the task definition, with <paramref name="volumes"/> and <paramref name="secrets"/>
    /// (by default the one <see cref="Secret"/> reference), and uses it from then on.
    /// </summary>
    public async Task RegisterTaskDefinitionAsync(IReadOnlyList<EcsVolume>? volumes, IReadOnlyList<EcsSecret>? secrets = null)
    {
        var ecs = new EcsSetupClient(MotoServer.Credentials, _moto.Configure(new EcsClientConfig()));
        TaskDefinitionArn = await ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionInput
        {
            Family = "shop-api",
            NetworkMode = "awsvpc",
            RequiresCompatibilities = ["FARGATE"],
            Cpu = "512",
            Memory = "1024",
            ExecutionRoleArn = ExecutionRole,
            Volumes = volumes,
            ContainerDefinitions =
            [
                new EcsContainerDefinition
                {
                    Name = "api",
                    Image = Image,
                    Essential = true,
                    Memory = 1024,
                    PortMappings = [new EcsPortMapping { ContainerPort = 8080 }],
                    LogConfiguration = new EcsLogConfiguration
                    {
                        LogDriver = "awslogs",
                        Options = new Dictionary<string, string> { ["awslogs-group"] = LogGroup, ["awslogs-region"] = "us-east-1", ["awslogs-stream-prefix"] = "api" },
                    },
                    Secrets = secrets ?? [new EcsSecret("DB_PASSWORD", Secret)],
                },
            ],
        });
    }

    /// <summary>A customer managed symmetric KMS key (CreateKey), with an alias when <paramref name="alias"/> is given (CreateAlias).</summary>
    public async Task<(string KeyId, string KeyArn)> CreateKeyAsync(string? alias = null)
    {
        var created = await _raw.JsonAsync("kms", "TrentService.CreateKey", new JsonObject { ["Description"] = "shop secrets" });
        var metadata = created!["KeyMetadata"]!;
        var keyId = metadata["KeyId"]!.GetValue<string>();
        if (alias is not null)
        {
            await _raw.JsonAsync("kms", "TrentService.CreateAlias", new JsonObject { ["AliasName"] = alias, ["TargetKeyId"] = keyId });
        }

        return (keyId, metadata["Arn"]!.GetValue<string>());
    }

    /// <summary>KMS DisableKey: the key stays, in state Disabled.</summary>
    public Task DisableKeyAsync(string keyId) =>
        _raw.JsonAsync("kms", "TrentService.DisableKey", new JsonObject { ["KeyId"] = keyId });

    /// <summary>A Secrets Manager secret encrypted with <paramref name="kmsKeyId"/>; its ARN as Secrets Manager gives it.</summary>
    public async Task<string> CreateSecretAsync(string name, string kmsKeyId)
    {
        var created = await _raw.JsonAsync("secretsmanager", "secretsmanager.CreateSecret",
            new JsonObject { ["Name"] = name, ["SecretString"] = "s3cr3t", ["KmsKeyId"] = kmsKeyId });
        return created!["ARN"]!.GetValue<string>();
    }

    /// <summary>An SSM SecureString parameter encrypted with <paramref name="keyId"/> (a key id, ARN or alias); its ARN.</summary>
    public async Task<string> PutSecureParameterAsync(string name, string keyId)
    {
        await _raw.JsonAsync("ssm", "AmazonSSM.PutParameter",
            new JsonObject { ["Name"] = name, ["Value"] = "s3cr3t", ["Type"] = "SecureString", ["KeyId"] = keyId });
        return $"arn:aws:ssm:{MotoServer.Region}:{MotoServer.AccountId}:parameter/{name.TrimStart('/')}";
    }

    /// <summary>A Fargate service of the task definition in one subnet (desired count 0).</summary>
    public async Task CreateServiceAsync(string subnet, bool assignPublicIp, IReadOnlyList<EcsLoadBalancer>? loadBalancers = null)
    {
        var ecs = new EcsSetupClient(MotoServer.Credentials, _moto.Configure(new EcsClientConfig()));
        await ecs.CreateServiceAsync(new CreateServiceInput
        {
            Cluster = Cluster,
            ServiceName = "api",
            TaskDefinition = TaskDefinitionArn,
            DesiredCount = 0,
            NetworkConfiguration = new EcsNetworkConfiguration
            {
                AwsVpcConfiguration = new EcsAwsVpcConfiguration
                {
                    Subnets = [subnet],
                    SecurityGroups = [TaskSecurityGroup],
                    AssignPublicIp = assignPublicIp ? "ENABLED" : "DISABLED",
                },
            },
            LoadBalancers = loadBalancers,
        });
    }

    /// <summary>The interface endpoints the task needs (ecr.api, ecr.dkr, logs, secretsmanager) with private DNS, and the S3 gateway.</summary>
    public async Task<string> AddEndpointsAsync(string subnet, bool s3OnPrivateTable = true)
    {
        var group = (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "endpoints", Description = "endpoints", VpcId = VpcId })).GroupId;
        foreach (var service in new[] { "ecr.api", "ecr.dkr", "logs", "secretsmanager" })
        {
            await _ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest
            {
                VpcId = VpcId,
                ServiceName = $"com.amazonaws.us-east-1.{service}",
                VpcEndpointType = VpcEndpointType.Interface,
                SubnetIds = [subnet],
                SecurityGroupIds = [group],
                PrivateDnsEnabled = true,
            });
        }

        await _ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest
        {
            VpcId = VpcId,
            ServiceName = "com.amazonaws.us-east-1.s3",
            VpcEndpointType = VpcEndpointType.Gateway,
            RouteTableIds = [s3OnPrivateTable ? PrivateRouteTable : PublicRouteTable],
        });
        return group;
    }

    public Task AllowAsync(string groupId, int port, string? fromGroup = null, string? cidr = null) =>
        _ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions =
            [
                new IpPermission
                {
                    IpProtocol = "tcp",
                    FromPort = port,
                    ToPort = port,
                    UserIdGroupPairs = fromGroup is null ? null : [new UserIdGroupPair { GroupId = fromGroup }],
                    Ipv4Ranges = cidr is null ? null : [new IpRange { CidrIp = cidr }],
                },
            ],
        });

    /// <summary>A custom network ACL on <paramref name="subnet"/> that allows everything except outbound 443.</summary>
    public async Task<string> BlockOutbound443Async(string subnet)
    {
        var acl = (await _ec2.CreateNetworkAclAsync(new CreateNetworkAclRequest { VpcId = VpcId })).NetworkAcl.NetworkAclId;
        await _ec2.CreateNetworkAclEntryAsync(new CreateNetworkAclEntryRequest { NetworkAclId = acl, RuleNumber = 90, Egress = true, Protocol = "6", PortRange = new PortRange { From = 443, To = 443 }, CidrBlock = "0.0.0.0/0", RuleAction = RuleAction.Deny });
        await _ec2.CreateNetworkAclEntryAsync(new CreateNetworkAclEntryRequest { NetworkAclId = acl, RuleNumber = 100, Egress = true, Protocol = "-1", CidrBlock = "0.0.0.0/0", RuleAction = RuleAction.Allow });
        await _ec2.CreateNetworkAclEntryAsync(new CreateNetworkAclEntryRequest { NetworkAclId = acl, RuleNumber = 100, Egress = false, Protocol = "-1", CidrBlock = "0.0.0.0/0", RuleAction = RuleAction.Allow });
        var current = (await _ec2.DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { Filters = [new Filter("association.subnet-id", [subnet])] }))
            .NetworkAcls.SelectMany(a => a.Associations).Single(a => a.SubnetId == subnet);
        await _ec2.ReplaceNetworkAclAssociationAsync(new ReplaceNetworkAclAssociationRequest { AssociationId = current.NetworkAclAssociationId, NetworkAclId = acl });
        return acl;
    }

    /// <summary>An EFS file system with one mount target in <paramref name="subnet"/>.</summary>
    public async Task<string> CreateFileSystemAsync(string subnet, string group)
    {
        var fs = await _raw.RestAsync("elasticfilesystem", HttpMethod.Post, "/2015-02-01/file-systems", new JsonObject { ["CreationToken"] = Guid.NewGuid().ToString("N") });
        var id = fs!["FileSystemId"]!.GetValue<string>();
        await _raw.RestAsync("elasticfilesystem", HttpMethod.Post, "/2015-02-01/mount-targets",
            new JsonObject { ["FileSystemId"] = id, ["SubnetId"] = subnet, ["SecurityGroups"] = new JsonArray(group) });
        return id;
    }

    /// <summary>An internal application load balancer (its own security group) with a target group and a listener.</summary>
    public async Task<(string TargetGroupArn, string LoadBalancerGroup)> CreateLoadBalancerAsync(int port, string? healthCheckPort)
    {
        var lbGroup = (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "shop-lb", Description = "lb", VpcId = VpcId })).GroupId;
        var elb = new ElbV2SetupClient(MotoServer.Credentials, _moto.Configure(new ElbV2ClientConfig()));
        var lb = await elb.CreateLoadBalancerAsync("shop", [PublicSubnet, PrivateSubnet], [lbGroup]);
        List<KeyValuePair<string, string>> fields =
        [
            new("Action", "CreateTargetGroup"), new("Version", "2015-12-01"), new("Name", "shop-api"), new("Protocol", "HTTP"),
            new("Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("VpcId", VpcId), new("TargetType", "ip"),
            new("HealthCheckPath", "/health"),
        ];
        if (healthCheckPort is not null)
        {
            fields.Add(new("HealthCheckPort", healthCheckPort));
        }

        var xml = XDocument.Parse(await _raw.QueryAsync("elasticloadbalancing", fields));
        var tg = xml.Descendants().First(e => e.Name.LocalName == "TargetGroupArn").Value;
        await elb.CreateListenerAsync(lb, tg);
        return (tg, lbGroup);
    }

    /// <summary>The production readers against moto, with IAM pointed at <paramref name="iamUrl"/> (the stub).</summary>
    public static ContextGatherer Gatherer(MotoServer moto, AwsClients clients, string iamUrl) => new(
        new EcsServicesAdapter(clients.Ecs),
        new Ec2NetworkAdapter(clients.Ec2),
        new LoadBalancerAdapter(clients.ElbV2),
        clients.Inspectors() with
        {
            Iam = new IamPolicySimulatorAdapter(new IamClient(MotoServer.Credentials, new IamClientConfig { ServiceURL = iamUrl })),
        });
}
