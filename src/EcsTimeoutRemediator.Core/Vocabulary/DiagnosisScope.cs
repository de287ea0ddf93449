namespace EcsTimeoutRemediator.Vocabulary;

/// <summary>The areas a diagnosis reads and checks; a stop's category picks a few, <c>doctor</c> takes them all.</summary>
[Flags]
public enum DiagnosisScope
{
    None = 0,

    /// <summary>Routes, NAT, internet gateway and public IP, network ACLs, VPC endpoints and their security groups, VPC DNS.</summary>
    NetworkPath = 1,

    /// <summary>The image reference; for ECR, the repository, the tag or digest and the platforms.</summary>
    Registry = 2,

    /// <summary>The execution role may pull from ECR (and read the private registry credentials).</summary>
    EcrPermissions = 4,

    /// <summary>The execution role may read the task definition's secrets and parameters.</summary>
    SecretsPermissions = 8,

    /// <summary>The execution role may create log streams and put log events.</summary>
    LogsPermissions = 16,

    /// <summary>The awslogs log groups exist (or are created by the driver, with the permission for it).</summary>
    LogGroup = 32,

    /// <summary>Mount targets in the task's Availability Zones, port 2049, platform version, access point and IAM settings.</summary>
    Efs = 64,

    /// <summary>The task role may mount the file system (EFS IAM authorization).</summary>
    EfsPermissions = 128,

    /// <summary>Target group health check, target health, ports and the load balancer's security groups.</summary>
    LoadBalancer = 256,

    /// <summary>The container health check command and start period.</summary>
    ContainerHealth = 512,

    /// <summary>The platform a single-platform ECR image was built for, from its image configuration (two more reads).</summary>
    ImagePlatform = 1024,

    /// <summary>Service events: whether each of the service's subnets exists and how many free IP addresses it has.</summary>
    SubnetAddresses = 2048,

    /// <summary>Service events: whether the service's task definition exists and is ACTIVE.</summary>
    TaskDefinitionState = 4096,

    /// <summary>Service events: the cluster's registered container instances and the capacity providers the service places with.</summary>
    ClusterCapacity = 8192,

    /// <summary>Deployment events: the failed deployment, its failed tasks against the circuit breaker's threshold, the rollback.</summary>
    Deployment = 16384,

    ExecutionRole = EcrPermissions | SecretsPermissions | LogsPermissions,

    /// <summary>What <c>doctor</c> checks; the service-event checks are chosen by an event's reason and are not part of it.</summary>
    All = NetworkPath | Registry | ExecutionRole | LogGroup | Efs | EfsPermissions | LoadBalancer | ContainerHealth | ImagePlatform,

    ServiceEvents = SubnetAddresses | TaskDefinitionState | ClusterCapacity | Deployment,
}
