using System.Globalization;
using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Cli;

/// <summary>
/// <c>doctor</c>: every read-only check that applies to a service (or to a task definition in a given network, for
/// a service not yet created), whether or not a task has failed. Exit code 0 when nothing is missing or wrong, 3
/// when something is.
/// </summary>
public static class DoctorCommand
{
    public static async Task<int> RunAsync(Options options, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stderr);
        options.AllowOnly("doctor", "--cluster", "--service", "--task-definition", "--subnets", "--security-groups", "--assign-public-ip", "--target-group", "--format");
        if (options.Positionals.Count > 0)
        {
            throw new UsageException($"doctor takes no file argument (got \"{options.Positionals[0]}\")");
        }

        var format = options.Get("--format") ?? "text";
        if (format is not ("text" or "json"))
        {
            throw new UsageException($"--format must be text or json, not \"{format}\"");
        }

        var settings = Settings.FromEnvironment();
        if (settings.Region is null)
        {
            throw new UsageException("AWS_REGION is not set");
        }

        var target = TargetOf(options, settings.Region);
        using var clients = AwsClients.Create(settings.Region);
        using var diagnosis = DiagnosisClients.Create(settings.Region);
        var gatherer = new ContextGatherer(
            new EcsServicesAdapter(clients.Ecs),
            new Ec2NetworkAdapter(clients.Ec2),
            new LoadBalancerAdapter(clients.ElbV2),
            diagnosis.Inspectors());
        DoctorReport report;
        try
        {
            report = await Doctor.RunAsync(gatherer, target, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AwsApiException ex)
        {
            await stderr.WriteLineAsync($"ecs-remediator: AWS {ex.Service} {ex.Operation} failed: {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }

        var text = format == "json"
            ? JsonSerializer.Serialize(report, CliApp.IndentedContext.DoctorReport) + "\n"
            : Render(report);
        await CliApp.WriteAsync(stdout, text).ConfigureAwait(false);
        return report.HasProblems ? ExitCodes.FindingsMissing : ExitCodes.Ok;
    }

    /// <summary>The target from the options: a service, or a task definition with its network.</summary>
    public static DiagnosisTarget TargetOf(Options options, string region)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = options.Get("--cluster");
        var service = options.Get("--service");
        var taskDefinition = options.Get("--task-definition");
        var subnets = List(options.Get("--subnets"));
        var groups = List(options.Get("--security-groups"));
        var assign = options.Get("--assign-public-ip");
        if (assign is not (null or "ENABLED" or "DISABLED"))
        {
            throw new UsageException($"--assign-public-ip must be ENABLED or DISABLED, not \"{assign}\"");
        }

        if (service is not null)
        {
            if (cluster is null)
            {
                throw new UsageException("doctor --service needs --cluster");
            }
        }
        else if (taskDefinition is null)
        {
            throw new UsageException("doctor needs --cluster C --service S, or --task-definition ARN --subnets a,b for a service not yet created");
        }
        else if (subnets.Count == 0)
        {
            throw new UsageException("doctor --task-definition needs --subnets (the subnets the service will run in)");
        }

        return new DiagnosisTarget
        {
            Region = region,
            Cluster = cluster,
            ServiceName = service,
            TaskDefinitionArn = taskDefinition,
            Subnets = subnets,
            SecurityGroups = groups,
            AssignPublicIp = assign is null ? (service is null ? false : null) : assign == "ENABLED",
            LaunchType = service is null ? "FARGATE" : null,
            TargetGroupArns = options.Get("--target-group") is { } tg ? [tg] : [],
        };
    }

    /// <summary>The table: one line per finding (✓ ok, ✗ missing or wrong, ? unknown), then the fixes.</summary>
    public static string Render(DoctorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        var what = report.Service is { } s ? $"service {report.Cluster}/{s}" : $"task definition {report.TaskDefinition}";
        sb.Append(CultureInfo.InvariantCulture, $"ecs-remediator doctor: {what} in {report.Region}\n");
        if (report.TaskDefinition is { } td && report.Service is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  task definition  {td}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"  subnets          {(report.Subnets.Count > 0 ? string.Join(", ", report.Subnets) : "-")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  security groups  {(report.SecurityGroups.Count > 0 ? string.Join(", ", report.SecurityGroups) : "-")}\n\n");

        var width = report.Findings.Count == 0 ? 5 : report.Findings.Max(f => f.Check.Length);
        foreach (var f in report.Findings)
        {
            var mark = f.Status switch
            {
                FindingStatus.Ok => "✓",
                FindingStatus.Unknown => "?",
                _ => "✗",
            };
            var status = f.Status.ToString().ToLowerInvariant();
            sb.Append(CultureInfo.InvariantCulture, $"{mark} {f.Check.PadRight(width)}  {status,-7}  {f.Message}\n");
        }

        var problems = report.Findings.Count(f => f.IsProblem);
        var unknown = report.Findings.Count(f => f.Status == FindingStatus.Unknown);
        sb.Append(CultureInfo.InvariantCulture,
            $"\n{problems} missing or wrong, {report.Findings.Count(f => f.Status == FindingStatus.Ok)} ok, {unknown} unknown ({report.ReadCalls} read calls)\n");

        foreach (var policy in report.Findings.Where(f => f.IsProblem && f.Detail is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nMissing policy ({policy.Check})\n  {policy.Detail}\n");
        }

        if (report.Fixes.Count > 0)
        {
            sb.Append("\nHow to fix it\n");
            var n = 1;
            foreach (var fix in report.Fixes)
            {
                if (fix.Group == Advisories.StepGroup.Alternative)
                {
                    sb.Append("  or instead:\n");
                }

                foreach (var step in fix.Steps)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  {n++}. [{fix.Fix}] {step.Title}\n     {step.Command}\n");
                }
            }
        }

        return sb.ToString();
    }

    private static List<string> List(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
