using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Aws.Slack;

/// <summary>
/// Publishes to SNS first, then posts the same advisory to Slack as a best effort: a Slack failure is logged
/// and counted (<c>SlackFailures</c>) and the SNS message id is returned all the same, so the event never
/// fails, and is never retried, because of Slack.
/// </summary>
public sealed class SnsThenSlackPublisher(IAdvisoryPublisher sns, ISlackSender slack, ILogSink log, IMetricSink metrics) : IAdvisoryPublisher
{
    public async Task<string> PublishAsync(Advisory advisory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var messageId = await sns.PublishAsync(advisory, cancellationToken).ConfigureAwait(false);
        try
        {
            await slack.SendAsync(SlackFormat.Render(advisory), cancellationToken).ConfigureAwait(false);
            log.Write(LogLevel.Info, "advisory posted to Slack", advisory.Task.EventId, [new("incidentKey", advisory.IncidentKey)]);
        }
        catch (SlackDeliveryException ex)
        {
            metrics.Count("SlackFailures");
            log.Write(LogLevel.Warn, "Slack delivery failed; the SNS advisory was published", advisory.Task.EventId,
            [
                new("incidentKey", advisory.IncidentKey),
                new("snsMessageId", messageId),
                new("httpStatus", ex.StatusCode is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
                new("reason", ex.Message),
            ]);
        }

        return messageId;
    }
}

/// <summary>The start-up wiring of the optional Slack delivery.</summary>
public static class SlackDelivery
{
    /// <summary>
    /// Wraps <paramref name="sns"/> so that advisories also go to the webhook in the SSM SecureString parameter
    /// <paramref name="parameterName"/>, read once now. When it cannot be read, Slack delivery stays off for this
    /// execution environment (logged and counted) and SNS alone is used.
    /// </summary>
    public static IAdvisoryPublisher Wrap(IAdvisoryPublisher sns, IAmazonSimpleSystemsManagement ssm, string parameterName, ILogSink log, IMetricSink metrics, TimeProvider time, HttpClient? http = null, SlackOptions? options = null)
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
            return sns;
        }

        log.Write(LogLevel.Info, "Slack delivery enabled", null, [new("parameter", parameterName), new("webhookHost", webhook.Uri.Host)]);
        var client = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        return new SnsThenSlackPublisher(sns, new SlackWebhookClient(client, webhook, time, options), log, metrics);
    }
}
