using System.Text.Json.Nodes;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>
/// Resolves the intrinsic functions the templates' patterns and policies use (<c>Ref</c> to parameters, pseudo
/// parameters, <c>AWS::NoValue</c> and the resources given values, <c>Fn::If</c>, <c>Condition</c>, <c>Fn::Not</c>,
/// <c>Fn::And</c>, <c>Fn::Or</c>, <c>Fn::Equals</c>, <c>Fn::Join</c>, <c>Fn::Sub</c>, <c>Fn::Select</c>,
/// <c>Fn::Split</c>, <c>Fn::GetAtt</c> of the attributes given values) the way CloudFormation would for the given
/// parameter values. Anything else throws, unless the evaluator keeps what it cannot resolve
/// (<c>keepUnresolved</c>): then a <c>Ref</c> or <c>Fn::GetAtt</c> of a resource without a value stays as written.
/// </summary>
public sealed class TemplateEvaluator
{
    private static readonly JsonObject NoValue = [];
    private static readonly Dictionary<string, string> Pseudo = new()
    {
        ["AWS::AccountId"] = "123456789012",
        ["AWS::Region"] = "us-east-1",
        ["AWS::Partition"] = "aws",
        ["AWS::StackName"] = "ecs-timeout-remediator",
        ["AWS::URLSuffix"] = "amazonaws.com",
    };

    private readonly JsonObject _parameters;
    private readonly JsonObject _conditions;
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly bool _keepUnresolved;

    /// <param name="template">The template as JSON.</param>
    /// <param name="values">Parameter values as given to a deployment (parameters not named take their Default),
    /// pseudo parameters (<c>AWS::AccountId</c>, … default to a test account in us-east-1), the physical ids of the
    /// resources a <c>Ref</c> may name, and attributes as <c>Logical.Attribute</c> for <c>Fn::GetAtt</c>.</param>
    /// <param name="keepUnresolved">Keep a <c>Ref</c> or <c>Fn::GetAtt</c> of a resource that has no value as written.</param>
    public TemplateEvaluator(JsonObject template, IReadOnlyDictionary<string, string>? values = null, bool keepUnresolved = false)
    {
        ArgumentNullException.ThrowIfNull(template);
        _parameters = template["Parameters"]?.AsObject() ?? [];
        _conditions = template["Conditions"]?.AsObject() ?? [];
        _values = values ?? new Dictionary<string, string>();
        _keepUnresolved = keepUnresolved;
    }

    /// <summary><paramref name="node"/> with every intrinsic function resolved.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        var resolved = Evaluate(node);
        return ReferenceEquals(resolved, NoValue)
            ? throw new InvalidOperationException("The value resolves to AWS::NoValue.")
            : resolved;
    }

    /// <summary>
    /// <paramref name="node"/> as deployed for these parameters, with only the conditions decided: each <c>Fn::If</c>
    /// becomes its branch and <c>AWS::NoValue</c> disappears; every other function stays as written.
    /// </summary>
    public JsonNode? ResolveConditions(JsonNode? node) => ReferenceEquals(Decide(node), NoValue)
        ? throw new InvalidOperationException("The value resolves to AWS::NoValue.")
        : Decide(node);

    private JsonNode? Decide(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function.First().Key == "Fn::If":
                var branches = function.First().Value!.AsArray();
                return Decide(Condition((string)branches[0]!) ? branches[1] : branches[2]);
            case JsonObject { Count: 1 } reference when reference.First().Key == "Ref" && (string?)reference.First().Value == "AWS::NoValue":
                return NoValue;
            case JsonObject map:
                var result = new JsonObject();
                foreach (var (key, value) in map)
                {
                    var item = Decide(value);
                    if (!ReferenceEquals(item, NoValue))
                    {
                        result[key] = item;
                    }
                }

                return result;
            case JsonArray list:
                return new JsonArray([.. list.Select(Decide).Where(i => !ReferenceEquals(i, NoValue))]);
            default:
                return node?.DeepClone();
        }
    }

    public bool Condition(string name)
    {
        var definition = _conditions[name] ?? throw new InvalidOperationException($"No condition {name}.");
        return AsBoolean(Evaluate(definition));
    }

    private JsonNode? Evaluate(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function.First().Key is "Ref" or "Condition" || function.First().Key.StartsWith("Fn::", StringComparison.Ordinal):
                return EvaluateFunction(function.First().Key, function.First().Value);
            case JsonObject map:
                var result = new JsonObject();
                foreach (var (key, value) in map)
                {
                    var item = Evaluate(value);
                    if (!ReferenceEquals(item, NoValue))
                    {
                        result[key] = item;
                    }
                }

                return result;
            case JsonArray list:
                return new JsonArray([.. list.Select(Evaluate).Where(i => !ReferenceEquals(i, NoValue))]);
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? EvaluateFunction(string name, JsonNode? argument)
    {
        switch (name)
        {
            case "Ref":
                return Reference((string?)argument ?? throw new InvalidOperationException("Ref without a name."));
            case "Condition":
                return JsonValue.Create(Condition((string)argument!));
            case "Fn::If":
                var branches = argument!.AsArray();
                return Evaluate(Condition((string)branches[0]!) ? branches[1] : branches[2]);
            case "Fn::Not":
                return JsonValue.Create(!AsBoolean(Evaluate(argument!.AsArray()[0])));
            case "Fn::And":
                return JsonValue.Create(argument!.AsArray().All(a => AsBoolean(Evaluate(a))));
            case "Fn::Or":
                return JsonValue.Create(argument!.AsArray().Any(a => AsBoolean(Evaluate(a))));
            case "Fn::Select":
                var select = argument!.AsArray();
                return Evaluate(select[1])!.AsArray()[int.Parse(Evaluate(select[0])!.ToString(), System.Globalization.CultureInfo.InvariantCulture)]!.DeepClone();
            case "Fn::Split":
                var split = argument!.AsArray();
                return new JsonArray([.. ((string)Evaluate(split[1])!).Split((string)split[0]!).Select(p => JsonValue.Create(p))]);
            case "Fn::Sub":
                return Sub(argument!);
            case "Fn::GetAtt":
                var path = argument is JsonArray attributePath ? $"{attributePath[0]}.{attributePath[1]}" : (string)argument!;
                return _values.TryGetValue(path, out var attribute) ? JsonValue.Create(attribute)
                    : _keepUnresolved ? new JsonObject { ["Fn::GetAtt"] = argument!.DeepClone() }
                    : throw new NotSupportedException($"Fn::GetAtt {path}: give it a value.");
            case "Fn::Equals":
                var pair = argument!.AsArray();
                return JsonValue.Create(JsonNode.DeepEquals(Evaluate(pair[0]), Evaluate(pair[1])));
            case "Fn::Join":
                var join = argument!.AsArray();
                var parts = Evaluate(join[1])!.AsArray().Select(p => (string?)p);
                return JsonValue.Create(string.Join((string?)join[0], parts));
            default:
                throw new NotSupportedException($"{name} is not resolved by this evaluator.");
        }
    }

    private JsonNode? Reference(string name)
    {
        if (name == "AWS::NoValue")
        {
            return NoValue;
        }

        if (_parameters[name] is null && _values.TryGetValue(name, out var physicalId))
        {
            return JsonValue.Create(physicalId);
        }

        if (Pseudo.TryGetValue(name, out var pseudo))
        {
            return JsonValue.Create(pseudo);
        }

        if (_parameters[name] is null && _keepUnresolved)
        {
            return new JsonObject { ["Ref"] = name };
        }

        var parameter = _parameters[name]?.AsObject()
            ?? throw new NotSupportedException($"Ref {name}: only parameters, AWS::NoValue and the resources given values are resolved.");
        var text = _values.TryGetValue(name, out var given)
            ? given
            : parameter["Default"]?.ToString()
              ?? throw new InvalidOperationException($"Parameter {name} has no value and no Default.");
        return (string?)parameter["Type"] == "CommaDelimitedList"
            ? new JsonArray([.. text.Split(',').Select(v => JsonValue.Create(v.Trim()))])
            : JsonValue.Create(text);
    }

    /// <summary>Fn::Sub, in its string form and its [string, variables] form.</summary>
    private JsonNode Sub(JsonNode argument)
    {
        var (text, variables) = argument is JsonArray pair
            ? ((string)pair[0]!, pair[1]!.AsObject())
            : ((string)argument!, new JsonObject());
        var unresolved = false;
        var result = System.Text.RegularExpressions.Regex.Replace(text, @"\$\{([^}!][^}]*)\}", match =>
        {
            var name = match.Groups[1].Value;
            var value = variables[name] is { } given ? Evaluate(given)
                : name.Contains('.', StringComparison.Ordinal) ? EvaluateFunction("Fn::GetAtt", JsonValue.Create(name))
                : Reference(name);
            if (value is JsonValue scalar)
            {
                return scalar.ToString();
            }

            unresolved = true;
            return match.Value;
        });
        return unresolved && _keepUnresolved ? new JsonObject { ["Fn::Sub"] = argument.DeepClone() } : JsonValue.Create(result);
    }

    private static bool AsBoolean(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var result)
            ? result
            : throw new InvalidOperationException($"Not a condition value: {node?.ToJsonString()}");
}
