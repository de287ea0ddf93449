using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>One request as IAM sees it: who asks, for what action on which resource, with which context keys.</summary>
/// <param name="Principal">The calling principal's ARN: a role (<c>arn:aws:iam::A:role/N</c>), a user, or a service name.</param>
/// <param name="Keys">Condition keys of the request (<c>aws:PrincipalOrgID</c>, <c>aws:PrincipalArn</c>, …); a key not
/// given is absent, and a condition on an absent key does not match (as in IAM).</param>
public sealed record PolicyRequest(string Principal, string Action, string Resource, IReadOnlyDictionary<string, string> Keys)
{
    /// <summary>The principal's account (the fifth field of its ARN), or null for a service principal.</summary>
    public string? Account => Principal.Split(':') is { Length: >= 6 } parts ? parts[4] : null;
}

/// <summary>
/// Evaluates one resource-based or identity policy document for one request, with the parts of IAM's logic the
/// templates use: an explicit Deny wins, else one matching Allow allows; <c>Principal</c> as <c>*</c>, an account id,
/// an account's <c>root</c>, a role or a service; <c>Action</c> and <c>Resource</c> with <c>*</c> and <c>?</c>;
/// conditions <c>StringEquals</c>, <c>StringLike</c>, <c>ArnEquals</c>, <c>ArnLike</c> and <c>Bool</c>, every key of
/// every operator required (a list of values: any one). Test-only: moto stores resource policies but does not
/// enforce them, and grants every AssumeRole.
/// </summary>
public static class PolicyEvaluator
{
    public static bool Allows(JsonNode document, PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(request);
        var statements = document["Statement"] switch
        {
            JsonArray list => list.Select(s => s!).ToList(),
            { } single => [single],
            null => [],
        };
        var matching = statements.Where(s => Applies(s, request)).ToList();
        return !matching.Any(s => (string?)s["Effect"] == "Deny") && matching.Any(s => (string?)s["Effect"] == "Allow");
    }

    private static bool Applies(JsonNode statement, PolicyRequest request) =>
        (statement["Principal"] is not { } principal || PrincipalMatches(principal, request))
        && Values(statement["Action"]).Any(a => Like(a, request.Action, ignoreCase: true))
        && (statement["Resource"] is not { } resource || Values(resource).Any(r => Like(r, request.Resource, ignoreCase: false)))
        && ConditionsHold(statement["Condition"], request);

    private static bool PrincipalMatches(JsonNode principal, PolicyRequest request)
    {
        if (principal is JsonValue && (string?)principal == "*")
        {
            return true;
        }

        var aws = Values(principal["AWS"]);
        var services = Values(principal["Service"]);
        return services.Contains(request.Principal, StringComparer.Ordinal)
            || aws.Any(p => p == "*"
                || p == request.Principal
                || (request.Account is { } account && (p == account || p == $"arn:aws:iam::{account}:root" || p.EndsWith($":iam::{account}:root", StringComparison.Ordinal))));
    }

    private static bool ConditionsHold(JsonNode? condition, PolicyRequest request)
    {
        if (condition is not JsonObject operators)
        {
            return true;
        }

        foreach (var (op, keys) in operators)
        {
            foreach (var (key, expected) in keys!.AsObject())
            {
                if (!request.Keys.TryGetValue(key, out var actual))
                {
                    return false;
                }

                var wanted = Values(expected);
                var holds = op switch
                {
                    "StringEquals" or "ArnEquals" => wanted.Contains(actual, StringComparer.Ordinal),
                    "StringLike" or "ArnLike" => wanted.Any(w => Like(w, actual, ignoreCase: false)),
                    "Bool" => wanted.Contains(actual, StringComparer.OrdinalIgnoreCase),
                    _ => throw new NotSupportedException($"Condition operator {op} is not evaluated by this test helper."),
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static List<string> Values(JsonNode? node) => node switch
    {
        JsonArray list => [.. list.Select(v => v!.ToString())],
        JsonValue value => [value.ToString()],
        null => [],
        _ => throw new InvalidOperationException($"Not a policy value: {node.ToJsonString()} (resolve the template first)."),
    };

    private static bool Like(string pattern, string value, bool ignoreCase) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            ignoreCase ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant);
}
