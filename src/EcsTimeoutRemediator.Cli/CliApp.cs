using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator.Cli;

/// <summary><c>ecs-remediator</c>: explain | classify | handle | doctor.</summary>
public static class CliApp
{
    public const string Usage = """
        usage: ecs-remediator <command> [options]

        commands:
          explain FILE|- [--format text|json]        explain a STOPPED "ECS Task State Change" event (offline)
          classify --reason TEXT [--stop-code CODE]   classify one stop reason, print one JSON object
          classify                                    read JSON Lines on stdin (events or {"stoppedReason":...}),
                                                      write one JSON line per input line
          classify --unknown                          read the same JSON Lines; write one sample per distinct stop
                                                      that came out unknown, its names masked, to share so the
                                                      classifier can learn it
          handle FILE|- [--no-publish] [--verbose]   run the Lambda's pipeline on one event against the AWS account
                                                      of the standard AWS environment (AWS_REGION, AWS_PROFILE,
                                                      AWS_ENDPOINT_URL, ADVISORY_TOPIC_ARN, LEDGER_TABLE_NAME,
                                                      AUTO_FIX_MODE; MEMBER_ROLE_NAME reads another account's
                                                      event through its member role); prints the decision
                                                      (--verbose: the function's log lines and metrics on
                                                      stderr); an AWS error is one line on stderr and exit 1:
                                                      retry the event
          clear-fix --cluster C --service S --fix F [--account A --region R]
                                                      let the function apply again a fix that did not cure
                                                      (needs LEDGER_TABLE_NAME; --account for a member account's service)
          doctor --cluster C --service S [--format text|json]
                                                      check a service's network path, image, execution role, logs,
                                                      EFS and load balancer before (or after) it fails; read-only
          doctor --task-definition ARN --subnets a,b [--security-groups x,y] [--assign-public-ip ENABLED]
                 [--target-group ARN] [--format text|json]
                                                      the same for a service not yet created
          doctor ... --account ID | --role-arn ARN    the same checks in another account, through its member role
                                                      (MEMBER_ROLE_NAME, default ecs-remediator-member) or that role
        exit codes: 0 done (doctor: nothing missing), 3 doctor found something missing or wrong,
                    2 bad usage or input, 1 internal error
        """;

    public static async Task<int> RunAsync(string[] args, Stream stdin, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                await WriteAsync(stdout, Usage + "\n").ConfigureAwait(false);
                return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Ok;
            }

            var options = Options.Parse(args[1..]);
            return args[0] switch
            {
                "explain" => await ExplainAsync(options, stdin, stdout).ConfigureAwait(false),
                "classify" => await ClassifyAsync(options, stdin, stdout, stderr).ConfigureAwait(false),
                "doctor" => await DoctorCommand.RunAsync(options, stdout, stderr).ConfigureAwait(false),
                "clear-fix" => await ClearFixCommand.RunAsync(options, stdout, stderr).ConfigureAwait(false),
                "handle" => await HandleCommand.RunAsync(options, await ReadInputAsync(options.SinglePositional("handle FILE|-"), stdin).ConfigureAwait(false), stdout, stderr).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command \"{args[0]}\" (expected explain, classify, handle, doctor or clear-fix; see --help)"),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"ecs-remediator: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"ecs-remediator: I/O error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
#pragma warning disable CA1031 // The command line's last resort: any other failure is one line and exit 1, never an unhandled-exception abort.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"ecs-remediator: internal error: {ex.GetType().Name}: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// One line for an AWS failure: the service and operation, the error code and HTTP status, the service's
    /// message, then <paramref name="whatNow"/>.
    /// </summary>
    internal static string AwsFailureLine(AwsApiException failure, string whatNow)
    {
        var where = failure.Service.Length == 0
            ? "an AWS call"
            : $"AWS {failure.Service}" + (failure.Operation.Length == 0 ? "" : $" {failure.Operation}");
        var status = failure.StatusCode > 0 ? $" (HTTP {failure.StatusCode})" : "";
        var message = OneLine(failure.Error.Message);
        return $"ecs-remediator: {where} failed: {failure.ErrorCode}{status}{(message.Length == 0 ? "" : ": " + message)}; {whatNow}";
    }

    /// <summary>Text on one line, at most 300 characters.</summary>
    internal static string OneLine(string? text)
    {
        var flat = string.Join(' ', (text ?? "").Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return flat.Length <= 300 ? flat : flat[..299] + "…";
    }

    private static async Task<int> ExplainAsync(Options options, Stream stdin, Stream stdout)
    {
        options.AllowOnly("explain", "--format");
        var path = options.SinglePositional("explain FILE|-");
        var format = options.Get("--format") ?? "text";
        if (format is not ("text" or "json"))
        {
            throw new UsageException($"--format must be text or json, not \"{format}\"");
        }

        var bytes = await ReadInputAsync(path, stdin).ConfigureAwait(false);
        var parsed = EventParser.Parse(bytes);
        var e = parsed switch
        {
            ParseResult.Parsed p => p.Event,
            ParseResult.Ignored i => throw new UsageException($"{i.Reason}; explain needs a STOPPED task event"),
            ParseResult.Invalid v => throw new UsageException(v.Reason),
            _ => throw new UsageException("unreadable event"),
        };

        var explanation = Explanation.Of(e);
        if (format == "json")
        {
            var json = JsonSerializer.Serialize(explanation, IndentedContext.Explanation);
            await WriteAsync(stdout, json + "\n").ConfigureAwait(false);
        }
        else
        {
            await WriteAsync(stdout, explanation.ToText()).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ClassifyAsync(Options options, Stream stdin, Stream stdout, TextWriter stderr)
    {
        options.AllowOnly("classify", "--reason", "--stop-code", "--unknown");
        if (options.Positionals.Count > 0)
        {
            throw new UsageException($"classify takes no file argument (got \"{options.Positionals[0]}\"); use --reason TEXT or JSON Lines on stdin");
        }

        var reason = options.Get("--reason");
        var stopCode = options.Get("--stop-code");
        if (options.Has("--unknown"))
        {
            if (reason is not null || stopCode is not null)
            {
                throw new UsageException("--unknown reads JSON Lines on stdin; it takes no --reason or --stop-code");
            }

            await ClassifyStream.RunUnknownAsync(stdin, stdout, stderr).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (reason is not null)
        {
            var result = Classifier.Classify(reason, stopCode);
            await WriteAsync(stdout, JsonSerializer.Serialize(result, RemediatorJsonContext.Default.ClassificationResult) + "\n").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (stopCode is not null)
        {
            throw new UsageException("--stop-code needs --reason (or give stopCode in the JSON Lines on stdin)");
        }

        await ClassifyStream.RunAsync(stdin, stdout).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    internal static readonly RemediatorJsonContext IndentedContext = new(new JsonSerializerOptions(RemediatorJsonContext.Default.Options) { WriteIndented = true });

    private static async Task<byte[]> ReadInputAsync(string path, Stream stdin)
    {
        if (path == "-")
        {
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer).ConfigureAwait(false);
            return buffer.ToArray();
        }

        try
        {
            return await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"cannot read {path}: {ex.Message}");
        }
    }

    internal static async Task WriteAsync(Stream stdout, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await stdout.WriteAsync(bytes).ConfigureAwait(false);
        await stdout.FlushAsync().ConfigureAwait(false);
    }
}
