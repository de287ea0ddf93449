using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Ports;

/// <summary>What the core reads from ECS. "Not found" is null, never an exception.</summary>
public interface IEcsServices
{
    Task<ServiceFacts?> DescribeServiceAsync(string cluster, string service, CancellationToken cancellationToken);

    Task<TaskDefinitionFacts?> DescribeTaskDefinitionAsync(string taskDefinition, CancellationToken cancellationToken);

    /// <summary>One UpdateService call; returns the service as ECS reports it afterwards.</summary>
    Task<ServiceFacts> UpdateServiceAsync(Policy.ServiceUpdate update, CancellationToken cancellationToken);
}

/// <summary>What the core reads about the VPC around a task.</summary>
public interface INetworkInspector
{
    Task<IReadOnlyList<SubnetFacts>> DescribeSubnetsAsync(IReadOnlyList<string> subnetIds, CancellationToken cancellationToken);

    /// <summary>Every route table of the VPC (explicit associations and the main table).</summary>
    Task<IReadOnlyList<RouteTableFacts>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken);

    Task<IReadOnlyList<VpcEndpointFacts>> DescribeVpcEndpointsAsync(string vpcId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SecurityGroupFacts>> DescribeSecurityGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken);

    Task<IReadOnlyList<NatGatewayFacts>> DescribeNatGatewaysAsync(string vpcId, CancellationToken cancellationToken);

    /// <summary>Every network ACL of the VPC with its subnet associations.</summary>
    Task<IReadOnlyList<NetworkAclFacts>> DescribeNetworkAclsAsync(string vpcId, CancellationToken cancellationToken);

    /// <summary>DescribeVpcAttribute: "enableDnsSupport" or "enableDnsHostnames".</summary>
    Task<bool> DescribeVpcAttributeAsync(string vpcId, string attribute, CancellationToken cancellationToken);
}

/// <summary>What the core reads from Elastic Load Balancing.</summary>
public interface ILoadBalancerInspector
{
    Task<TargetGroupFacts?> DescribeTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken);

    Task<IReadOnlyList<TargetHealthFacts>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken);

    Task<IReadOnlyList<LoadBalancerSummary>> DescribeLoadBalancersAsync(IReadOnlyList<string> loadBalancerArns, CancellationToken cancellationToken);
}

/// <summary>Where advisories go; returns the delivery id (the SNS message id).</summary>
public interface IAdvisoryPublisher
{
    Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken);
}

/// <summary>
/// A chat channel the advisory is also posted to (Slack incoming webhook), best effort: SNS is the delivery that
/// counts, so a chat failure is reported, never thrown.
/// </summary>
public interface IChatChannel
{
    /// <summary>The channel's name in logs ("Slack").</summary>
    string Name { get; }

    /// <summary>Posts the advisory; null when it was delivered, else why not.</summary>
    Task<string?> PostAsync(Advisory advisory, CancellationToken cancellationToken);
}

/// <summary>
/// The function's own role lacks a permission for a read. Adapters raise it for AccessDenied; the core records a
/// gap and goes on. Every other AWS error propagates so that the invocation fails and is retried.
/// </summary>
public sealed class PermissionDeniedException : Exception
{
    public PermissionDeniedException(string action, string message)
        : base(message) => Action = action;

    public PermissionDeniedException()
    {
        Action = "";
    }

    public PermissionDeniedException(string message)
        : base(message)
    {
        Action = "";
    }

    public PermissionDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Action = "";
    }

    public string Action { get; }
}

/// <summary>
/// A read failed after the SDK's retries (<see cref="ServiceFailure"/>). Adapters raise it for server errors,
/// throttling and transport failures. The event path lets it propagate so that the invocation fails and Lambda retries
/// it; <c>doctor</c> records that area's checks as unknown and goes on.
/// </summary>
public sealed class ServiceFailureException : Exception
{
    public ServiceFailureException(string action, ServiceFailure failure, Exception? innerException)
        : base($"{(failure ?? throw new ArgumentNullException(nameof(failure))).Describe()} ({action})", innerException)
    {
        Action = action ?? "";
        Failure = failure;
    }

    public ServiceFailureException()
        : this("", new ServiceFailure("", 0, "Unknown", null), null)
    {
    }

    public ServiceFailureException(string message)
        : this(message, null)
    {
    }

    public ServiceFailureException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Action = "";
        Failure = new ServiceFailure("", 0, "Unknown", null);
    }

    /// <summary>The IAM action of the read ("iam:SimulatePrincipalPolicy").</summary>
    public string Action { get; }

    public ServiceFailure Failure { get; }
}
