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

/// <summary>
/// What the core reads about the VPC around a task. Each need is answered through the <see cref="IReadMeter"/> the
/// gatherer hands in, one AWS call at a time (so every call counts against the run's read budget and a denied one is
/// a gap of its own action); the subnets and security groups a run has described are kept in its
/// <see cref="NetworkLookups"/>, shared by every area that needs them.
/// </summary>
public interface INetworkInspector
{
    /// <summary>
    /// The network path of a task in <paramref name="subnetIds"/> with <paramref name="securityGroupIds"/>: the
    /// subnets, then in their VPC the route tables, the VPC endpoints, the task's and the interface endpoints'
    /// security groups (in one call), the NAT gateways when a subnet's default route uses one, the network ACLs and
    /// the DNS attributes. Null when there are no subnets.
    /// </summary>
    Task<NetworkFacts?> PathOfAsync(IReadOnlyList<string> subnetIds, IReadOnlyList<string> securityGroupIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken);

    /// <summary>The subnets of these ids that exist: the ones <paramref name="known"/> lacks in one DescribeSubnets.</summary>
    Task<IReadOnlyList<SubnetFacts>> SubnetsAsync(IReadOnlyList<string> subnetIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken);

    /// <summary>The security groups of these ids that exist, each once: the ones <paramref name="known"/> lacks in one DescribeSecurityGroups.</summary>
    Task<IReadOnlyList<SecurityGroupFacts>> SecurityGroupsAsync(IReadOnlyList<string> groupIds, NetworkLookups known, IReadMeter reads, CancellationToken cancellationToken);

    /// <summary>The VPC's enableDnsSupport and enableDnsHostnames (one DescribeVpcAttribute each).</summary>
    Task<VpcDnsFacts> DnsOfAsync(string vpcId, IReadMeter reads, CancellationToken cancellationToken);
}

/// <summary>
/// The subnets and security groups one gathering run has described, by id: the network path, the free addresses,
/// the EFS and the load balancer checks share them, so an id is described at most once per run, and the ids not
/// described yet are asked for together in one call made through the run's <see cref="IReadMeter"/>.
/// </summary>
public sealed class NetworkLookups
{
    private readonly Dictionary<string, SubnetFacts> _subnets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SecurityGroupFacts> _groups = new(StringComparer.Ordinal);

    /// <summary>The subnets of <paramref name="ids"/> that exist, in their order; <paramref name="describe"/> is called once, with the ids not described yet.</summary>
    public async Task<IReadOnlyList<SubnetFacts>> SubnetsAsync(
        IReadOnlyList<string> ids, IReadMeter reads, Func<IReadOnlyList<string>, Task<IReadOnlyList<SubnetFacts>>> describe)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(describe);
        IReadOnlyList<string> wanted = [.. ids.Where(id => !_subnets.ContainsKey(id)).Distinct()];
        if (wanted.Count > 0)
        {
            var read = await reads.ReadAsync("ec2:DescribeSubnets", string.Join(",", wanted), "the subnets are not checked", () => describe(wanted)).ConfigureAwait(false) ?? [];
            foreach (var subnet in read)
            {
                _subnets[subnet.SubnetId] = subnet;
            }
        }

        return [.. ids.Where(_subnets.ContainsKey).Select(id => _subnets[id])];
    }

    /// <summary>The security groups of <paramref name="ids"/> that exist, each once; <paramref name="describe"/> is called once, with the ids not described yet.</summary>
    public async Task<IReadOnlyList<SecurityGroupFacts>> SecurityGroupsAsync(
        IReadOnlyList<string> ids, IReadMeter reads, Func<IReadOnlyList<string>, Task<IReadOnlyList<SecurityGroupFacts>>> describe)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(describe);
        IReadOnlyList<string> wanted = [.. ids.Where(id => !_groups.ContainsKey(id)).Distinct()];
        if (wanted.Count > 0)
        {
            var read = await reads.ReadAsync("ec2:DescribeSecurityGroups", string.Join(",", wanted), "the security groups are not checked", () => describe(wanted)).ConfigureAwait(false) ?? [];
            foreach (var group in read)
            {
                _groups[group.GroupId] = group;
            }
        }

        return [.. ids.Distinct().Where(_groups.ContainsKey).Select(id => _groups[id])];
    }
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
