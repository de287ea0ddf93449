using EcsTimeoutRemediator.Aws.Clients.Runtime;
using System.Xml.Linq;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.ElbV2;

/// <summary>The Elastic Load Balancing v2 operations the remediator uses.</summary>
public interface IElbV2Client
{
    /// <summary>Target groups by ARN or of one load balancer, every page.</summary>
    Task<IReadOnlyList<TargetGroup>> DescribeTargetGroupsAsync(
        DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(
        DescribeTargetHealthRequest request, CancellationToken cancellationToken = default);

    /// <summary>Load balancers by ARN, every page.</summary>
    Task<IReadOnlyList<LoadBalancer>> DescribeLoadBalancersAsync(
        DescribeLoadBalancersRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed ELBv2 client (Query protocol) on AWSSDK.Core's pipeline.</summary>
public sealed class ElbV2Client : AwsQueryClient, IElbV2Client
{
    /// <summary>A guard against a service that keeps returning a marker.</summary>
    public const int MaxPages = 1000;

    /// <summary>Default credential chain; region and endpoint from <paramref name="config"/> and the environment.</summary>
    public ElbV2Client(ElbV2ClientConfig config)
        : base(null, config)
    {
    }

    public ElbV2Client(AWSCredentials? credentials, ElbV2ClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<IReadOnlyList<TargetGroup>> DescribeTargetGroupsAsync(
        DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TargetGroupArns is not { Count: > 0 } && string.IsNullOrEmpty(request.LoadBalancerArn))
        {
            throw new ArgumentException("Give TargetGroupArns or a LoadBalancerArn.", nameof(request));
        }

        return DescribeAllPagesAsync(
            "DescribeTargetGroups",
            marker => new QueryParameters()
                .AddList("TargetGroupArns", request.TargetGroupArns)
                .Add("LoadBalancerArn", request.LoadBalancerArn)
                .Add("PageSize", request.PageSize)
                .Add("Marker", marker),
            result => result.Members("TargetGroups").Select(ReadTargetGroup),
            cancellationToken);
    }

    public Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(
        DescribeTargetHealthRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.TargetGroupArn);
        var parameters = new QueryParameters()
            .Add("TargetGroupArn", request.TargetGroupArn)
            .AddList(
                "Targets",
                request.Targets,
                static (fields, prefix, target) => fields.Add(prefix + ".Id", target.Id).Add(prefix + ".Port", target.Port));

        return InvokeQueryAsync<IReadOnlyList<TargetHealthDescription>>(
            "DescribeTargetHealth",
            parameters,
            static result => [.. result.Members("TargetHealthDescriptions").Select(ReadTargetHealth)],
            cancellationToken);
    }

    public Task<IReadOnlyList<LoadBalancer>> DescribeLoadBalancersAsync(
        DescribeLoadBalancersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.LoadBalancerArns);
        if (request.LoadBalancerArns.Count == 0)
        {
            throw new ArgumentException("Give at least one load balancer ARN.", nameof(request));
        }

        return DescribeAllPagesAsync(
            "DescribeLoadBalancers",
            marker => new QueryParameters()
                .AddList("LoadBalancerArns", request.LoadBalancerArns)
                .Add("PageSize", request.PageSize)
                .Add("Marker", marker),
            result => result.Members("LoadBalancers").Select(ReadLoadBalancer),
            cancellationToken);
    }

    private async Task<IReadOnlyList<T>> DescribeAllPagesAsync<T>(
        string action,
        Func<string?, QueryParameters> parametersFor,
        Func<XElement, IEnumerable<T>> readPage,
        CancellationToken cancellationToken)
    {
        return await Paging.AllAsync(action, async marker =>
        {
            var (items, next) = await InvokeQueryAsync(
                action,
                parametersFor(marker),
                result => (readPage(result).ToList(), result.Text("NextMarker")),
                cancellationToken);
            return new Page<T>(items, next);
        }, MaxPages);
    }

    private static TargetGroup ReadTargetGroup(XElement member) => new()
    {
        TargetGroupArn = member.Text("TargetGroupArn") ?? "",
        TargetGroupName = member.Text("TargetGroupName"),
        Protocol = member.Text("Protocol"),
        Port = member.Int("Port"),
        VpcId = member.Text("VpcId"),
        TargetType = member.Text("TargetType"),
        HealthCheckEnabled = member.Bool("HealthCheckEnabled"),
        HealthCheckProtocol = member.Text("HealthCheckProtocol"),
        HealthCheckPort = member.Text("HealthCheckPort"),
        HealthCheckPath = member.Text("HealthCheckPath"),
        HealthCheckIntervalSeconds = member.Int("HealthCheckIntervalSeconds"),
        HealthCheckTimeoutSeconds = member.Int("HealthCheckTimeoutSeconds"),
        HealthyThresholdCount = member.Int("HealthyThresholdCount"),
        UnhealthyThresholdCount = member.Int("UnhealthyThresholdCount"),
        MatcherHttpCode = member.Child("Matcher").Text("HttpCode"),
        LoadBalancerArns = member.Strings("LoadBalancerArns"),
    };

    private static TargetHealthDescription ReadTargetHealth(XElement member)
    {
        var target = member.Child("Target");
        var health = member.Child("TargetHealth");
        return new TargetHealthDescription
        {
            Id = target.Text("Id") ?? "",
            Port = target.Int("Port"),
            AvailabilityZone = target.Text("AvailabilityZone"),
            HealthCheckPort = member.Text("HealthCheckPort"),
            State = health.Text("State"),
            Reason = health.Text("Reason"),
            Description = health.Text("Description"),
        };
    }

    private static LoadBalancer ReadLoadBalancer(XElement member)
    {
        var state = member.Child("State");
        return new LoadBalancer
        {
            LoadBalancerArn = member.Text("LoadBalancerArn") ?? "",
            LoadBalancerName = member.Text("LoadBalancerName"),
            DnsName = member.Text("DNSName"),
            Scheme = member.Text("Scheme"),
            VpcId = member.Text("VpcId"),
            Type = member.Text("Type"),
            State = state.Text("Code"),
            StateReason = state.Text("Reason"),
            SecurityGroups = member.Strings("SecurityGroups"),
            AvailabilityZones =
            [
                .. member.Members("AvailabilityZones")
                    .Select(zone => new LoadBalancerZone(zone.Text("ZoneName"), zone.Text("SubnetId"))),
            ],
        };
    }
}
