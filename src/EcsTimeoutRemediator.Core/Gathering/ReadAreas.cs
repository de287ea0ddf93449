namespace EcsTimeoutRemediator.Gathering;

/// <summary>
/// One area the gatherer reads: the diagnosis areas it serves, the IAM read actions its reads are named by (a denied
/// read becomes a gap of that action), and the statement of the function's and the member role's policy that grants
/// them. The template tests derive both roles' read statements from this table.
/// </summary>
public sealed record ReadArea(string Name, DiagnosisScope Serves, string Sid, IReadOnlyList<string> Actions);

/// <summary>Every area the gatherer reads, and so every read permission the function needs.</summary>
public static class ReadAreas
{
    public static IReadOnlyList<ReadArea> All { get; } =
    [
        // The service behind the event (its network configuration, load balancers, deployments and tags, the opt-in)
        // is read for every category; the cluster and its capacity providers for a service's placement failure.
        new("service", DiagnosisScope.Deployment, "ReadEcs", ["ecs:DescribeServices"]),
        new("cluster capacity", DiagnosisScope.ClusterCapacity, "ReadEcs", ["ecs:DescribeClusters", "ecs:DescribeCapacityProviders"]),
        new("task definition", DiagnosisScope.TaskDefinitionState | DiagnosisScope.ContainerHealth, "ReadEcsTaskDefinitions", ["ecs:DescribeTaskDefinition"]),
        new("network path", DiagnosisScope.NetworkPath | DiagnosisScope.SubnetAddresses, "ReadNetwork",
        [
            "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeVpcEndpoints", "ec2:DescribeSecurityGroups",
            "ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls", "ec2:DescribeVpcAttribute",
        ]),
        new("load balancer", DiagnosisScope.LoadBalancer, "ReadLoadBalancers",
        [
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeLoadBalancers",
        ]),
        new("registry and image", DiagnosisScope.Registry | DiagnosisScope.ImagePlatform, "ReadImages",
            ["ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]),
        new("execution role", DiagnosisScope.ExecutionRole | DiagnosisScope.EfsPermissions, "SimulateExecutionRoles", ["iam:SimulatePrincipalPolicy"]),
        new("log groups", DiagnosisScope.LogGroup, "ReadLogGroups", ["logs:DescribeLogGroups"]),
        new("file systems", DiagnosisScope.Efs, "ReadFileSystems",
            ["elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DescribeMountTargetSecurityGroups"]),
        new("secret keys", DiagnosisScope.SecretsPermissions, "ReadSecretKeys", ["secretsmanager:DescribeSecret", "kms:DescribeKey"]),
        new("parameter keys", DiagnosisScope.SecretsPermissions, "ReadParameterKeys", ["ssm:DescribeParameters"]),
    ];

    /// <summary>Every read action, once.</summary>
    public static IReadOnlyList<string> Actions { get; } = [.. All.SelectMany(a => a.Actions).Distinct(StringComparer.Ordinal)];
}
