using System.Text.Json.Nodes;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>
/// Resolves the few intrinsic functions a template's event pattern uses (<c>Ref</c> to parameters and
/// <c>AWS::NoValue</c>, <c>Fn::If</c>, <c>Condition</c>, <c>Fn::Not</c>, <c>Fn::Equals</c>, <c>Fn::Join</c>)
/// the way CloudFormation would for the given parameter values; anything else throws.
/// </summary>
public sealed class TemplateEvaluator
{
    private static readonly JsonObject NoValue = [];
    private readonly JsonObject _parameters;
    private readonly JsonObject _conditions;
    private readonly IReadOnlyDictionary<string, string> _values;

    /// <param name="template">The template as JSON.</param>
    /// <param name="values">Parameter values as given to a deployment (parameters not named take their Default), and
    /// the physical ids of the resources a <c>Ref</c> may name.</param>
    public TemplateEvaluator(JsonObject template, IReadOnlyDictionary<string, string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        _parameters = template["Parameters"]?.AsObject() ?? [];
        _conditions = template["Conditions"]?.AsObject() ?? [];
        _values = values ?? new Dictionary<string, string>();
    }

    /// <summary><paramref name="node"/> with every intrinsic function resolved.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        var resolved = Evaluate(node);
        return ReferenceEquals(resolved, NoValue)
            ? throw new InvalidOperationException("The value resolves to AWS::NoValue.")
            : resolved;
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

    private static bool AsBoolean(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var result)
            ? result
            : throw new InvalidOperationException($"Not a condition value: {node?.ToJsonString()}");
}
