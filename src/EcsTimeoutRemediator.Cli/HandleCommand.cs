using System.Text.Json;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Cli;

/// <summary><c>handle FILE|-</c>: the Lambda's own pipeline and composition root, driven from the command line.</summary>
public static class HandleCommand
{
    public static async Task<int> RunAsync(Options options, byte[] eventJson, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AllowOnly("handle", "--no-publish", "--verbose");
        var noPublish = options.Has("--no-publish");

        // The pipeline's JSON log lines and metrics go to stderr only when asked for, so that a failure is one line.
        var log = options.Has("--verbose") ? stderr : TextWriter.Null;

        // Reject bad input before touching AWS.
        if (EventParser.Parse(eventJson) is ParseResult.Invalid invalid)
        {
            throw new UsageException(invalid.Reason);
        }

        var settings = Settings.FromEnvironment();
        if (!noPublish && settings.AdvisoryTopicArn is null)
        {
            throw new UsageException("ADVISORY_TOPIC_ARN is not set (set it to the SNS topic, or pass --no-publish to print the advisory instead)");
        }

        if (settings.Region is null)
        {
            throw new UsageException("AWS_REGION is not set");
        }

        var captured = new CapturingPublisher();
        using var root = CompositionRoot.ForCli(settings, log, clients => noPublish
            ? captured
            : new SnsAdvisoryPublisher(clients.Sns, settings.AdvisoryTopicArn!));
        try
        {
            var record = await root.Pipeline.HandleAsync(eventJson, CancellationToken.None).ConfigureAwait(false);
            var result = new HandleResult(record, captured.Last);
            await CliApp.WriteAsync(stdout, JsonSerializer.Serialize(result, CliApp.IndentedContext.HandleResult) + "\n").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (AwsErrorCodes.Describe(ex) is { } aws)
        {
            // Whatever AWS or the network said, after the SDK's retries: one line, exit 1. The Lambda fails the
            // invocation on the same errors, and Lambda's retry of the event is what cures them.
            await stderr.WriteLineAsync(CliApp.AwsFailureLine(aws, aws.IsRetryable
                ? "the event was not handled: retry it"
                : "the event was not handled: retry it once that is fixed")).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>Keeps the advisory instead of publishing it (<c>--no-publish</c>).</summary>
    private sealed class CapturingPublisher : IAdvisoryPublisher
    {
        public Advisory? Last { get; private set; }

        public Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken)
        {
            Last = advisory;
            return Task.FromResult("not-published");
        }
    }
}
