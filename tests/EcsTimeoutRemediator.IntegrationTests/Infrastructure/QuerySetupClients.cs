using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>Test-only SNS operations for arranging topics, on the same Query base as the SNS client.</summary>
public sealed class SnsSetupClient(AWSCredentials credentials, SnsClientConfig config) : AwsQueryClient(credentials, config)
{
    public Task<string> CreateTopicAsync(string name) => InvokeQueryAsync(
        "CreateTopic",
        new QueryParameters().Add("Name", name),
        static result => result.Text("TopicArn") ?? throw new InvalidOperationException("No TopicArn."),
        default);

    public Task<string> SubscribeAsync(string topicArn, string protocol, string endpoint) => InvokeQueryAsync(
        "Subscribe",
        new QueryParameters().Add("TopicArn", topicArn).Add("Protocol", protocol).Add("Endpoint", endpoint),
        static result => result.Text("SubscriptionArn") ?? throw new InvalidOperationException("No SubscriptionArn."),
        default);

    /// <summary>A subscription whose filter policy (on the message attributes) picks what it receives.</summary>
    public Task<string> SubscribeWithFilterAsync(string topicArn, string protocol, string endpoint, string filterPolicy) => InvokeQueryAsync(
        "Subscribe",
        new QueryParameters()
            .Add("TopicArn", topicArn).Add("Protocol", protocol).Add("Endpoint", endpoint)
            .Add("Attributes.entry.1.key", "FilterPolicy").Add("Attributes.entry.1.value", filterPolicy),
        static result => result.Text("SubscriptionArn") ?? throw new InvalidOperationException("No SubscriptionArn."),
        default);
}

/// <summary>Test-only ELBv2 operations for arranging load balancers and target groups.</summary>
public sealed class ElbV2SetupClient(AWSCredentials credentials, ElbV2ClientConfig config) : AwsQueryClient(credentials, config)
{
    public Task<string> CreateLoadBalancerAsync(string name, IEnumerable<string> subnets, IEnumerable<string> securityGroups, string scheme = "internal") =>
        InvokeQueryAsync(
            "CreateLoadBalancer",
            new QueryParameters()
                .Add("Name", name)
                .AddList("Subnets", subnets)
                .AddList("SecurityGroups", securityGroups)
                .Add("Scheme", scheme)
                .Add("Type", "application"),
            static result => result.Members("LoadBalancers").Single().Text("LoadBalancerArn")!,
            default);

    public Task<string> CreateTargetGroupAsync(string name, string vpcId, int port = 8080, string targetType = "ip") =>
        InvokeQueryAsync(
            "CreateTargetGroup",
            new QueryParameters()
                .Add("Name", name)
                .Add("Protocol", "HTTP")
                .Add("Port", port)
                .Add("VpcId", vpcId)
                .Add("TargetType", targetType)
                .Add("HealthCheckPath", "/health")
                .Add("HealthCheckIntervalSeconds", 15)
                .Add("Matcher.HttpCode", "200-299"),
            static result => result.Members("TargetGroups").Single().Text("TargetGroupArn")!,
            default);

    public Task CreateListenerAsync(string loadBalancerArn, string targetGroupArn, int port = 80) => InvokeQueryAsync(
        "CreateListener",
        new QueryParameters()
            .Add("LoadBalancerArn", loadBalancerArn)
            .Add("Protocol", "HTTP")
            .Add("Port", port)
            .Add("DefaultActions.member.1.Type", "forward")
            .Add("DefaultActions.member.1.TargetGroupArn", targetGroupArn),
        static result => result,
        default);

    public Task RegisterTargetsAsync(string targetGroupArn, params (string Id, int Port)[] targets) => InvokeQueryAsync(
        "RegisterTargets",
        new QueryParameters()
            .Add("TargetGroupArn", targetGroupArn)
            .AddList("Targets", targets, static (fields, prefix, t) => fields.Add(prefix + ".Id", t.Id).Add(prefix + ".Port", t.Port)),
        static result => result,
        default);
}

/// <summary>Test-only IAM operations for arranging roles (the member roles of an organization) on moto.</summary>
public sealed class IamSetupClient(AWSCredentials credentials, IamClientConfig config) : AwsQueryClient(credentials, config)
{
    public Task<string> CreateRoleAsync(string name, string assumeRolePolicyDocument) => InvokeQueryAsync(
        "CreateRole",
        new QueryParameters().Add("RoleName", name).Add("AssumeRolePolicyDocument", assumeRolePolicyDocument),
        static result => result.Child("Role").Text("Arn") ?? throw new InvalidOperationException("No Role/Arn."),
        default);

    public Task PutRolePolicyAsync(string role, string policyName, string policyDocument) => InvokeQueryAsync(
        "PutRolePolicy",
        new QueryParameters().Add("RoleName", role).Add("PolicyName", policyName).Add("PolicyDocument", policyDocument),
        static result => result,
        default);

    /// <summary>The role's trust policy as JSON, or null when there is no such role.</summary>
    public async Task<string?> TrustPolicyAsync(string role)
    {
        try
        {
            var document = await InvokeQueryAsync(
                "GetRole",
                new QueryParameters().Add("RoleName", role),
                static result => result.Child("Role").Text("AssumeRolePolicyDocument") ?? "",
                default);

            // IAM returns the document URL-encoded.
            return document.StartsWith('%') ? Uri.UnescapeDataString(document) : document;
        }
        catch (AwsApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
