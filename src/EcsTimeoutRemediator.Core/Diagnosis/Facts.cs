namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>
/// The values a copy-paste step can look up and a finding can already hold: a step that reads a value a finding
/// states (the VPC of the subnet, its route, the endpoints it has, the execution role, …) asks the reader for
/// nothing new, so the advisory leaves it out.
/// </summary>
public static class Fact
{
    /// <summary>Why the task stopped (or the service could not start tasks): held by any finding that proves a cause.</summary>
    public const string StopCause = "stop-cause";

    public const string SubnetVpc = "subnet-vpc";
    public const string SubnetRoute = "subnet-route";
    public const string VpcEndpoints = "vpc-endpoints";

    /// <summary>The subnets and security groups the service's tasks run in.</summary>
    public const string ServiceNetwork = "service-network";

    /// <summary>What the task's security groups let out (HTTPS to AWS).</summary>
    public const string TaskEgress = "task-egress";

    /// <summary>What the task's security groups let in (the load balancer on the container port).</summary>
    public const string TaskIngress = "task-ingress";

    public const string NetworkAcl = "network-acl";
    public const string SubnetAddresses = "subnet-addresses";
    public const string ExecutionRole = "execution-role";
    public const string TaskRole = "task-role";
    public const string KeyState = "key-state";
    public const string LogGroup = "log-group";
    public const string ImageExists = "image-exists";
    public const string RuntimePlatform = "runtime-platform";
    public const string ImagePlatforms = "image-platforms";
    public const string MountTargets = "mount-targets";
    public const string TargetGroupHealthCheck = "target-group-health-check";
    public const string TargetHealth = "target-health";
    public const string ContainerHealthCheck = "container-health-check";
    public const string TaskDefinitionStatus = "task-definition-status";

    /// <summary>The cluster's capacity providers and registered instance count.</summary>
    public const string ClusterCapacity = "cluster-capacity";

    /// <summary>The cluster's container instances (moot when it has none).</summary>
    public const string ContainerInstances = "container-instances";

    /// <summary>
    /// The values <paramref name="finding"/> states. A finding the function could not decide holds nothing; one that
    /// proves a cause also holds <see cref="StopCause"/>.
    /// </summary>
    public static IReadOnlyList<string> HeldBy(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Status == FindingStatus.Unknown)
        {
            return [];
        }

        IReadOnlyList<string> held = finding.Check switch
        {
            "route" or "public-ip" or "nat-gateway" or "nat-public-subnet" or "registry-internet" => [SubnetRoute],
            "vpc-endpoints" => [SubnetRoute, SubnetVpc, VpcEndpoints],
            "endpoint-private-dns" or "endpoint-state" or "endpoint-security-group" => [VpcEndpoints],
            "security-group-egress" => [TaskEgress, ServiceNetwork],
            "load-balancer-security-group" => [TaskIngress, ServiceNetwork],
            "network-acl" => [NetworkAcl],
            "vpc-dns" => [SubnetVpc],
            "subnet-addresses" => [SubnetAddresses],
            "execution-role" => [ExecutionRole],
            "efs-iam" => [TaskRole],
            "secret-key" => [KeyState],
            "log-group" => [LogGroup],
            "ecr-repository" or "ecr-image" => [ImageExists],
            "image-platform" => [RuntimePlatform, ImagePlatforms],
            "efs-mount-target" or "efs-mount-target-sg" => [MountTargets],
            "health-check-settings" or "health-check-port" => [TargetGroupHealthCheck],
            "target-health" => [TargetHealth],
            "container-health-check" or "container-health-start-period" => [ContainerHealthCheck],
            "task-definition" => [TaskDefinitionStatus],
            "cluster-instances" when finding.Status == FindingStatus.Missing => [ClusterCapacity, ContainerInstances],
            "cluster-instances" or "capacity-provider" => [ClusterCapacity],
            _ => [],
        };

        return finding.IsProblem && finding.Fix is not null ? [.. held, StopCause] : held;
    }
}
