using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>
/// The repository's template.yaml and sample events as copied next to the test assembly, and the template
/// as JSON (short-form tags become <c>Ref</c>, <c>Fn::If</c>, …) read by cfn-lint's own YAML loader through
/// <c>template_tools.py</c>.
/// </summary>
public static class TemplateFiles
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<JsonObject> Written = new(() => ReadJson("json", TemplatePath));
    private static readonly Lazy<JsonObject> Transformed = new(() => ReadJson("transform", TemplatePath));
    private static readonly Lazy<JsonObject> MemberWritten = new(() => ReadJson("json", MemberTemplatePath));
    private static readonly Lazy<JsonObject> MemberTransformed = new(() => ReadJson("transform", MemberTemplatePath));

    /// <summary>The central stack (the SAM template <c>sam deploy</c> deploys).</summary>
    public static string TemplatePath => Path.Combine(AppContext.BaseDirectory, "template.yaml");

    /// <summary>The member stack (plain CloudFormation, for a StackSet).</summary>
    public static string MemberTemplatePath => Path.Combine(AppContext.BaseDirectory, "template-member.yaml");

    /// <summary>The member template as written (a fresh copy each call).</summary>
    public static JsonObject MemberTemplate => MemberWritten.Value.DeepClone().AsObject();

    /// <summary>The member template after the SAM translator ran over it (a fresh copy each call).</summary>
    public static JsonObject MemberTransformedTemplate => MemberTransformed.Value.DeepClone().AsObject();

    public static string ToolsPath => Path.Combine(AppContext.BaseDirectory, "Template", "template_tools.py");

    /// <summary>events/*.json: one STOPPED event per category.</summary>
    public static string StoppedEventsDirectory => Path.Combine(AppContext.BaseDirectory, "events");

    /// <summary>events/service/*.json: service and deployment events of start-up failures (ServiceEventRule sends them).</summary>
    public static string ServiceEventsDirectory => Path.Combine(AppContext.BaseDirectory, "events-service");

    /// <summary>events/other/*.json: events the rule must not send (a RUNNING task).</summary>
    public static string OtherEventsDirectory => Path.Combine(AppContext.BaseDirectory, "events-other");

    /// <summary>The template as written (a fresh copy each call).</summary>
    public static JsonObject Template => Written.Value.DeepClone().AsObject();

    /// <summary>The template after the AWS::Serverless-2016-10-31 transform (a fresh copy each call).</summary>
    public static JsonObject TransformedTemplate => Transformed.Value.DeepClone().AsObject();

    public static JsonObject Resource(this JsonObject template, string logicalId) =>
        template["Resources"]?[logicalId]?.AsObject()
        ?? throw new InvalidOperationException($"template.yaml has no resource {logicalId}.");

    public static IEnumerable<KeyValuePair<string, JsonObject>> ResourcesOfType(this JsonObject template, string type) =>
        template["Resources"]!.AsObject()
            .Where(r => (string?)r.Value?["Type"] == type)
            .Select(r => KeyValuePair.Create(r.Key, r.Value!.AsObject()));

    /// <summary>Runs <paramref name="fileName"/> and returns its exit code and what it printed.</summary>
    public static ProcessResult Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ProcessTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} ran longer than {ProcessTimeout}.");
        }

        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static JsonObject ReadJson(string mode, string path)
    {
        var result = Run("python3", ToolsPath, mode, path);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"template_tools.py {mode} exited {result.ExitCode}:\n{result.Stderr}");
        }

        return JsonNode.Parse(result.Stdout)?.AsObject()
            ?? throw new InvalidOperationException($"template_tools.py {mode} printed no JSON object.");
    }
}

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);
