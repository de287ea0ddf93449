using System.Text;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// A local stand-in for IAM's SimulatePrincipalPolicy (moto does not implement it), answering with the documented
/// response shape: every action the task's roles need is "allowed" except the denied ones ("implicitDeny").
/// </summary>
public sealed class IamStub : IDisposable
{
    public const string Namespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    public static readonly string[] KnownActions =
    [
        "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents",
        "logs:CreateLogGroup", "secretsmanager:GetSecretValue", "ssm:GetParameters", "elasticfilesystem:ClientMount", "kms:Decrypt",
    ];

    private IamStub(WireMockServer server) => Server = server;

    public WireMockServer Server { get; }

    public string Url => Server.Urls[0];

    /// <summary>The form bodies of the SimulatePrincipalPolicy requests received.</summary>
    public IReadOnlyList<string> Bodies => [.. Server.LogEntries.Select(e => e.RequestMessage.Body ?? "")];

    /// <summary>The SimulatePrincipalPolicy requests received, decoded: the role, the action names and the resource ARNs.</summary>
    public IReadOnlyList<Simulation> Simulations => [.. Bodies.Where(b => b.Contains("Action=SimulatePrincipalPolicy", StringComparison.Ordinal)).Select(Simulation.Parse)];

    public static IamStub Start(params string[] denied)
    {
        var stub = new IamStub(WireMockServer.Start());
        stub.Answer(Response(KnownActions.Select(a => (a, denied.Contains(a) ? "implicitDeny" : "allowed"))));
        return stub;
    }

    /// <summary>Answers every SimulatePrincipalPolicy with <paramref name="xml"/>.</summary>
    public void Answer(string xml, int status = 200) =>
        Server.Given(Request.Create().WithPath("/").UsingPost().WithBody(new WildcardMatcher("*Action=SimulatePrincipalPolicy*")))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/xml").WithBody(xml));

    /// <summary>A documented SimulatePrincipalPolicy response: one EvaluationResult per action, aggregate decisions.</summary>
    public static string Response(IEnumerable<(string Action, string Decision)> results, string? perResourceXml = null, bool truncated = false, string? marker = null)
    {
        var sb = new StringBuilder();
        sb.Append("<SimulatePrincipalPolicyResponse xmlns=\"").Append(Namespace).Append("\"><SimulatePrincipalPolicyResult>");
        sb.Append("<IsTruncated>").Append(truncated ? "true" : "false").Append("</IsTruncated>");
        if (marker is not null)
        {
            sb.Append("<Marker>").Append(marker).Append("</Marker>");
        }

        sb.Append("<EvaluationResults>");
        foreach (var (action, decision) in results)
        {
            sb.Append("<member><EvalActionName>").Append(action).Append("</EvalActionName><EvalResourceName>*</EvalResourceName>")
                .Append("<EvalDecision>").Append(decision).Append("</EvalDecision><MatchedStatements/><MissingContextValues/>")
                .Append(perResourceXml ?? "").Append("</member>");
        }

        sb.Append("</EvaluationResults></SimulatePrincipalPolicyResult>");
        sb.Append("<ResponseMetadata><RequestId>6a0a3f6e-stub</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>");
        return sb.ToString();
    }

    public void Dispose() => Server.Stop();
}

/// <summary>One decoded SimulatePrincipalPolicy form body.</summary>
public sealed record Simulation(string PolicySourceArn, IReadOnlyList<string> ActionNames, IReadOnlyList<string> ResourceArns)
{
    public static Simulation Parse(string body)
    {
        var fields = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2))
            .Select(kv => (Key: Uri.UnescapeDataString(kv[0]), Value: kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : ""))
            .ToList();
        return new Simulation(
            fields.FirstOrDefault(f => f.Key == "PolicySourceArn").Value ?? "",
            Members(fields, "ActionNames"),
            Members(fields, "ResourceArns"));
    }

    private static List<string> Members(List<(string Key, string Value)> fields, string list) =>
        [.. fields.Where(f => f.Key.StartsWith(list + ".member.", StringComparison.Ordinal))
            .OrderBy(f => int.Parse(f.Key[(list.Length + ".member.".Length)..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => f.Value)];
}
