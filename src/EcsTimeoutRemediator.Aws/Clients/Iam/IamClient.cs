using EcsTimeoutRemediator.Aws.Clients.Runtime;
using System.Xml.Linq;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Iam;

public sealed record SimulatePrincipalPolicyRequest
{
    public required string PolicySourceArn { get; init; }

    public required IReadOnlyList<string> ActionNames { get; init; }

    /// <summary>Empty for "*" (every resource).</summary>
    public IReadOnlyList<string> ResourceArns { get; init; } = [];
}

/// <summary>The decision for one resource of an <see cref="EvaluationResult"/>.</summary>
public sealed record ResourceSpecificResult(string EvalResourceName, string EvalResourceDecision);

/// <summary>
/// One action's result. The simulator now returns one per action with the aggregate (most restrictive)
/// decision on top and the per-resource decisions in <see cref="ResourceSpecificResults"/>; older answers gave
/// one result per action and resource, named by <see cref="EvalResourceName"/>.
/// </summary>
public sealed record EvaluationResult
{
    public required string EvalActionName { get; init; }

    public string? EvalResourceName { get; init; }

    public required string EvalDecision { get; init; }

    public IReadOnlyList<ResourceSpecificResult> ResourceSpecificResults { get; init; } = [];

    public IReadOnlyList<string> MissingContextValues { get; init; } = [];
}

/// <summary>The IAM operations the remediator uses.</summary>
public interface IIamClient
{
    /// <summary>SimulatePrincipalPolicy, every page. An unknown principal raises <see cref="AwsApiException"/> of kind <see cref="AwsErrorKind.NotFound"/> (NoSuchEntity).</summary>
    Task<IReadOnlyList<EvaluationResult>> SimulatePrincipalPolicyAsync(SimulatePrincipalPolicyRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed IAM client (Query protocol, version 2010-05-08) on the global endpoint, signed for us-east-1.</summary>
public sealed class IamClient : AwsQueryClient, IIamClient
{
    private const int MaxPages = 50;

    public IamClient(IamClientConfig config)
        : base(null, config)
    {
    }

    public IamClient(AWSCredentials? credentials, IamClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<IReadOnlyList<EvaluationResult>> SimulatePrincipalPolicyAsync(SimulatePrincipalPolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.PolicySourceArn);
        ArgumentNullException.ThrowIfNull(request.ActionNames);
        if (request.ActionNames.Count == 0)
        {
            throw new ArgumentException("Give at least one action name.", nameof(request));
        }

        return await Paging.AllAsync("SimulatePrincipalPolicy", async marker =>
        {
            var parameters = new QueryParameters()
                .Add("PolicySourceArn", request.PolicySourceArn)
                .AddList("ActionNames", request.ActionNames)
                .AddList("ResourceArns", request.ResourceArns.Count > 0 ? request.ResourceArns : null)
                .Add("Marker", marker);
            var (items, truncated, next) = await InvokeQueryAsync(
                "SimulatePrincipalPolicy",
                parameters,
                static result => (result.Members("EvaluationResults").Select(ReadResult).ToList(), result.Bool("IsTruncated") ?? false, result.Text("Marker")),
                cancellationToken);
            return new Page<EvaluationResult>(items, truncated ? next : null);
        }, MaxPages);
    }

    private static EvaluationResult ReadResult(XElement member) => new()
    {
        EvalActionName = member.Text("EvalActionName") ?? "",
        EvalResourceName = member.Text("EvalResourceName"),
        EvalDecision = member.Text("EvalDecision") ?? "implicitDeny",
        MissingContextValues = member.Strings("MissingContextValues"),
        ResourceSpecificResults =
        [
            .. member.Members("ResourceSpecificResults").Select(r => new ResourceSpecificResult(
                r.Text("EvalResourceName") ?? "", r.Text("EvalResourceDecision") ?? "implicitDeny")),
        ],
    };
}
