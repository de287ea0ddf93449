using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// A moto account with the classic start-up failures built in: a VPC with a public subnet (0.0.0.0/0 → internet
/// gateway) and a private one (local route only), a cluster, Fargate services in each, one behind a target group,
/// and an SNS topic whose messages land in an SQS queue so a test can read what was published. The account is moto's
/// default one, or any other moto account given its credentials (an organization's member, without a topic).
/// </summary>
public sealed class BrokenAccount
{
    public const string Cluster = "payments";

    private readonly MotoServer _moto;
    private readonly AmazonSQSClient _sqs;
    private readonly AWSCredentials _credentials;
    private readonly bool _withTopic;

    private BrokenAccount(MotoServer moto, string accountId, AWSCredentials credentials, bool withTopic)
    {
        _moto = moto;
        _credentials = credentials;
        _withTopic = withTopic;
        AccountId = accountId;
        _sqs = new AmazonSQSClient(credentials, moto.Configure(new AmazonSQSConfig()));
    }

    /// <summary>The moto account the resources are in.</summary>
    public string AccountId { get; }

    /// <summary>Credentials that act in this account.</summary>
    public AWSCredentials Credentials => _credentials;

    public string VpcId { get; private set; } = "";
    public string PublicSubnet { get; private set; } = "";
    public string PrivateSubnet { get; private set; } = "";
    public string PublicRouteTable { get; private set; } = "";
    public string PrivateRouteTable { get; private set; } = "";
    public string InternetGateway { get; private set; } = "";
    public string TaskSecurityGroup { get; private set; } = "";
    public string ClusterArn { get; private set; } = "";
    public string TaskDefinitionArn { get; private set; } = "";
    public string TargetGroupArn { get; private set; } = "";
    public string TopicArn { get; private set; } = "";
    public string QueueUrl { get; private set; } = "";

    public static async Task<BrokenAccount> CreateAsync(MotoServer moto)
    {
        var account = new BrokenAccount(moto, MotoServer.AccountId, MotoServer.Credentials, withTopic: true);
        await account.BuildAsync();
        return account;
    }

    /// <summary>The same broken world in another moto account (acting with <paramref name="credentials"/>, which moto maps
    /// to <paramref name="accountId"/>), without the advisory topic: an organization's member account.</summary>
    public static async Task<BrokenAccount> CreateAsync(MotoServer moto, string accountId, AWSCredentials credentials)
    {
        var account = new BrokenAccount(moto, accountId, credentials, withTopic: false);
        await account.BuildAsync();
        return account;
    }

    private AmazonEC2Client Ec2() => new(_credentials, _moto.Configure(new AmazonEC2Config()));

    private async Task BuildAsync()
    {
        using var ec2 = Ec2();
        VpcId = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        PublicSubnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = VpcId, CidrBlock = "10.0.1.0/24", AvailabilityZone = "us-east-1a" })).Subnet.SubnetId;
        PrivateSubnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = VpcId, CidrBlock = "10.0.2.0/24", AvailabilityZone = "us-east-1b" })).Subnet.SubnetId;
        InternetGateway = (await ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest())).InternetGateway.InternetGatewayId;
        await ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { VpcId = VpcId, InternetGatewayId = InternetGateway });

        PublicRouteTable = (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = VpcId })).RouteTable.RouteTableId;
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = PublicRouteTable, DestinationCidrBlock = "0.0.0.0/0", GatewayId = InternetGateway });
        await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = PublicRouteTable, SubnetId = PublicSubnet });
        PrivateRouteTable = (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = VpcId })).RouteTable.RouteTableId;
        await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = PrivateRouteTable, SubnetId = PrivateSubnet });

        TaskSecurityGroup = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "api-tasks", Description = "api tasks", VpcId = VpcId })).GroupId;

        var ecs = new EcsSetupClient(_credentials, _moto.Configure(new EcsClientConfig()));
        ClusterArn = await ecs.CreateClusterAsync(Cluster);
        TaskDefinitionArn = await ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionInput
        {
            Family = "api",
            NetworkMode = "awsvpc",
            RequiresCompatibilities = ["FARGATE"],
            Cpu = "512",
            Memory = "1024",
            ExecutionRoleArn = $"arn:aws:iam::{AccountId}:role/apiExecutionRole",
            ContainerDefinitions =
            [
                new EcsContainerDefinition
                {
                    Name = "api",
                    Image = $"{AccountId}.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.42.0",
                    Essential = true,
                    Memory = 1024,
                    PortMappings = [new EcsPortMapping { ContainerPort = 8080 }],
                },
            ],
        });

        var elb = new ElbV2SetupClient(_credentials, _moto.Configure(new ElbV2ClientConfig()));
        TargetGroupArn = await elb.CreateTargetGroupAsync("payments-api-tg", VpcId, 8080);

        if (!_withTopic)
        {
            return;
        }

        var sns = new SnsSetupClient(_credentials, _moto.Configure(new SnsClientConfig()));
        TopicArn = await sns.CreateTopicAsync("ecs-advisories");
        QueueUrl = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "advisories" })).QueueUrl;
        var queueArn = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = QueueUrl, AttributeNames = ["QueueArn"] })).Attributes["QueueArn"];
        await sns.SubscribeAsync(TopicArn, "sqs", queueArn);
    }

    /// <summary>Creates a Fargate service of the api task definition in one subnet.</summary>
    public async Task<EcsService> CreateServiceAsync(string name, string subnet, bool assignPublicIp = false, bool withTargetGroup = false, IReadOnlyList<EcsTag>? tags = null, int grace = 0)
    {
        var ecs = new EcsSetupClient(_credentials, _moto.Configure(new EcsClientConfig()));
        return await ecs.CreateServiceAsync(new CreateServiceInput
        {
            Cluster = Cluster,
            ServiceName = name,
            TaskDefinition = TaskDefinitionArn,
            DesiredCount = 0,
            LaunchType = "FARGATE",
            NetworkConfiguration = new EcsNetworkConfiguration
            {
                AwsVpcConfiguration = new EcsAwsVpcConfiguration
                {
                    Subnets = [subnet],
                    SecurityGroups = [TaskSecurityGroup],
                    AssignPublicIp = assignPublicIp ? "ENABLED" : "DISABLED",
                },
            },
            LoadBalancers = withTargetGroup ? [new EcsLoadBalancer { TargetGroupArn = TargetGroupArn, ContainerName = "api", ContainerPort = 8080 }] : null,
            Tags = tags,
            HealthCheckGracePeriodSeconds = withTargetGroup ? grace : null,
        });
    }

    /// <summary>Test-only ECS operations on this account (capacity providers, UpdateService, deregistration).</summary>
    public EcsSetupClient EcsSetup() => new(_credentials, _moto.Configure(new EcsClientConfig()));

    /// <summary>A service of the api task definition across <paramref name="subnets"/>, with a desired count and launch type.</summary>
    public async Task<EcsService> CreateServiceAsync(string name, IReadOnlyList<string> subnets, int desiredCount, string launchType)
    {
        using var ecs = EcsSetup();
        return await ecs.CreateServiceAsync(new CreateServiceInput
        {
            Cluster = Cluster,
            ServiceName = name,
            TaskDefinition = TaskDefinitionArn,
            DesiredCount = desiredCount,
            LaunchType = launchType,
            NetworkConfiguration = new EcsNetworkConfiguration
            {
                AwsVpcConfiguration = new EcsAwsVpcConfiguration { Subnets = subnets, SecurityGroups = [TaskSecurityGroup], AssignPublicIp = "DISABLED" },
            },
        });
    }

    /// <summary>
    /// A /28 subnet (11 usable addresses) with <paramref name="taken"/> of them held by a network interface: moto counts
    /// an interface's addresses against the subnet's AvailableIpAddressCount as EC2 does.
    /// </summary>
    public async Task<string> CreateSubnetWithFreeAddressesAsync(string cidr, string zone, int taken)
    {
        using var ec2 = Ec2();
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = VpcId, CidrBlock = cidr, AvailabilityZone = zone })).Subnet.SubnetId;
        if (taken > 0)
        {
            await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = subnet, Groups = [TaskSecurityGroup], SecondaryPrivateIpAddressCount = taken - 1 });
        }

        return subnet;
    }

    /// <summary>A sample event from events/ rewritten to point at this account's cluster, service and subnet.</summary>
    public string Event(string name, string? service, string subnet, string? eventId = null, long? version = null)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", name + ".json")))!;
        var detail = node["detail"]!;
        var taskId = Guid.NewGuid().ToString("N");
        var taskArn = $"arn:aws:ecs:us-east-1:{AccountId}:task/{Cluster}/{taskId}";
        node["account"] = AccountId;
        node["region"] = MotoServer.Region;
        node["id"] = eventId ?? Guid.NewGuid().ToString();
        node["resources"] = new JsonArray(taskArn);
        detail["taskArn"] = taskArn;
        detail["clusterArn"] = ClusterArn;
        detail["taskDefinitionArn"] = TaskDefinitionArn;
        if (version is not null)
        {
            detail["version"] = version.Value;
        }

        if (service is not null)
        {
            detail["group"] = "service:" + service;
        }

        var reason = detail["stoppedReason"]?.GetValue<string>();
        if (reason is not null)
        {
            detail["stoppedReason"] = reason
                .Replace("arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/payments-api-tg/73e2d6bc24d8a067", TargetGroupArn, StringComparison.Ordinal)
                .Replace("111122223333", AccountId, StringComparison.Ordinal);
        }

        foreach (var attachment in detail["attachments"]?.AsArray() ?? [])
        {
            foreach (var d in attachment!["details"]?.AsArray() ?? [])
            {
                if (d!["name"]!.GetValue<string>() == "subnetId")
                {
                    d["value"] = subnet;
                }
            }
        }

        return node.ToJsonString();
    }

    /// <summary>A load balancer health-check failure of the api service's task that lived <paramref name="seconds"/> and stopped just now (a boot-time failure the grace fix answers).</summary>
    public string BootTimeElbFailure(int seconds = 80)
    {
        var node = JsonNode.Parse(Event("health-elb", "api", PrivateSubnet))!;
        var now = DateTimeOffset.UtcNow;
        node["detail"]!["createdAt"] = (now - TimeSpan.FromSeconds(seconds + 20)).ToString("o");
        node["detail"]!["startedAt"] = (now - TimeSpan.FromSeconds(seconds)).ToString("o");
        node["detail"]!["stoppingAt"] = now.ToString("o");
        node["detail"]!["stoppedAt"] = now.ToString("o");
        return node.ToJsonString();
    }

    /// <summary>Creates another topic (one that did not exist when a first attempt tried it) delivering to the same queue.</summary>
    public async Task<string> CreateTopicAsync(string name)
    {
        var sns = new SnsSetupClient(_credentials, _moto.Configure(new SnsClientConfig()));
        var arn = await sns.CreateTopicAsync(name);
        var queueArn = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = QueueUrl, AttributeNames = ["QueueArn"] })).Attributes["QueueArn"];
        await sns.SubscribeAsync(arn, "sqs", queueArn);
        return arn;
    }

    /// <summary>Every message the topic delivered to the queue so far: (subject, message).</summary>
    public async Task<IReadOnlyList<(string? Subject, string Message, JsonElement Envelope)>> ReadAdvisoriesAsync()
    {
        var result = new List<(string?, string, JsonElement)>();
        while (true)
        {
            var batch = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
            if (batch.Messages is not { Count: > 0 })
            {
                return result;
            }

            foreach (var m in batch.Messages)
            {
                var envelope = JsonDocument.Parse(m.Body).RootElement.Clone();
                result.Add((envelope.TryGetProperty("Subject", out var s) ? s.GetString() : null, envelope.GetProperty("Message").GetString()!, envelope));
                await _sqs.DeleteMessageAsync(QueueUrl, m.ReceiptHandle);
            }
        }
    }
}
