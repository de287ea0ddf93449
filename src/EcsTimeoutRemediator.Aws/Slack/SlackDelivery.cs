using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Slack;

/// <summary>
/// The Slack incoming webhook as the pipeline's chat channel: a delivery failure Slack reports (HTTP error, rate
/// limit after its retries, time-out) is returned as the reason, never thrown, so the event never fails, and is
/// never retried, because of Slack. The pipeline posts only after SNS took the advisory, and once per event.
/// </summary>
public sealed class SlackChannel(ISlackSender slack) : IChatChannel
{
    public string Name => "Slack";

    public async Task<string?> PostAsync(Advisory advisory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        try
        {
            await slack.SendAsync(SlackFormat.Render(advisory), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SlackDeliveryException ex)
        {
            return ex.StatusCode is { } status
                ? $"HTTP {((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {ex.Message}"
                : ex.Message;
        }
    }
}

/// <summary>The start-up wiring of the optional Slack delivery.</summary>
public static class SlackDelivery
{
    /// <summary>
    /// The chat channel for the webhook in the SSM SecureString parameter <paramref name="parameterName"/>, read
    /// once now. When it cannot be read, Slack delivery stays off for this execution environment (logged and
    /// counted, null) and SNS alone is used.
    /// </summary>
    public static IChatChannel? Open(IAmazonSimpleSystemsManagement ssm, string parameterName, ILogSink log, IMetricSink metrics, TimeProvider time, HttpClient? http = null, SlackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(metrics);
        SlackWebhook webhook;
        try
        {
            // Lambda's init phase has no synchronization context: blocking here once is safe and keeps the
            // composition root synchronous.
            webhook = SlackWebhook.ReadAsync(ssm, parameterName, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or SlackConfigurationException)
        {
            metrics.Count("SlackFailures");
            log.Write(LogLevel.Warn, "Slack delivery disabled: the webhook parameter could not be read", null,
            [
                new("parameter", parameterName),
                new("error", ex is AmazonServiceException ase ? ase.ErrorCode : ex.GetType().Name),
                new("reason", ex is SlackConfigurationException ? ex.Message : null),
            ]);
            return null;
        }

        log.Write(LogLevel.Info, "Slack delivery enabled", null, [new("parameter", parameterName), new("webhookHost", webhook.Uri.Host)]);
        var client = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        return new SlackChannel(new SlackWebhookClient(client, webhook, time, options));
    }
}
