using System.Net;
using System.Text;
using EcsTimeoutRemediator.Advisories.Formats;

namespace EcsTimeoutRemediator.Aws.Slack;

/// <summary>Sends a Block Kit message to Slack.</summary>
public interface ISlackSender
{
    /// <summary>Posts the message; throws <see cref="SlackDeliveryException"/> when Slack did not take it.</summary>
    Task SendAsync(SlackMessage message, CancellationToken cancellationToken);
}

/// <summary>How patient the Slack client is.</summary>
public sealed record SlackOptions
{
    /// <summary>Slack accepts about one message per second per incoming webhook.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>One request's time limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest <c>Retry-After</c> worth one wait; a longer one gives up at once.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after a 429 without a usable <c>Retry-After</c>.</summary>
    public TimeSpan DefaultRetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Posts Block Kit JSON to one incoming webhook: waits its turn at the rate gate, and after an HTTP 429 waits
/// once for <c>Retry-After</c> (when that is short enough) and tries again; anything else is a
/// <see cref="SlackDeliveryException"/>. The webhook URL is a secret: it is never put in a message or log.
/// </summary>
public sealed class SlackWebhookClient(HttpClient http, SlackWebhook webhook, TimeProvider time, SlackOptions? options = null) : ISlackSender
{
    private readonly SlackOptions _options = options ?? new SlackOptions();
    private readonly SlackRateGate _gate = new(time, (options ?? new SlackOptions()).MinInterval);

    public async Task SendAsync(SlackMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = SlackFormat.ToJson(message);
        for (var attempt = 1; ; attempt++)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            var (status, retryAfter, detail) = await PostAsync(body, cancellationToken).ConfigureAwait(false);
            if (status is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
            {
                return;
            }

            if (status != HttpStatusCode.TooManyRequests)
            {
                throw new SlackDeliveryException($"Slack answered HTTP {(int)status}{detail}.", status);
            }

            var wait = retryAfter ?? _options.DefaultRetryAfter;
            if (attempt > 1)
            {
                throw new SlackDeliveryException($"Slack rate-limited the webhook again after one wait of the Retry-After{detail}.", status);
            }

            if (wait > _options.MaxRetryAfter)
            {
                throw new SlackDeliveryException($"Slack rate-limited the webhook for {wait.TotalSeconds:0.#} s, longer than the {_options.MaxRetryAfter.TotalSeconds:0.#} s this function waits{detail}.", status);
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string Detail)> PostAsync(string body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Uri)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            return (response.StatusCode, RetryAfterOf(response), Detail(text));
        }
        catch (HttpRequestException ex)
        {
            // The handler's messages name the host at most; scrub the whole URL anyway, and keep no inner exception.
            throw new SlackDeliveryException($"Slack could not be reached ({ex.HttpRequestError}): {webhook.Redact(ex.Message)}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SlackDeliveryException($"Slack did not answer within {_options.Timeout.TotalSeconds:0.#} s.");
        }
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;
    }

    /// <summary>Slack's short error word (invalid_blocks, no_service, …), never more than a line.</summary>
    private string Detail(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        if (line.Length == 0)
        {
            return "";
        }

        line = webhook.Redact(line);
        return $" ({(line.Length > 120 ? line[..120] + "…" : line)})";
    }
}

/// <summary>Slack did not take a message. The message never holds the webhook URL.</summary>
public sealed class SlackDeliveryException : Exception
{
    public SlackDeliveryException(string message, HttpStatusCode? statusCode)
        : base(message) => StatusCode = statusCode;

    public SlackDeliveryException()
    {
    }

    public SlackDeliveryException(string message)
        : base(message)
    {
    }

    public SlackDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode? StatusCode { get; }
}

/// <summary>
/// Spaces the messages to one webhook at least <paramref name="interval"/> apart (Slack: about one per second);
/// callers queue in arrival order. Time comes from <paramref name="time"/>, so tests need not sleep.
/// </summary>
public sealed class SlackRateGate(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan delay;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var slot = _next > now ? _next : now;
            delay = slot - now;
            _next = slot + interval;
        }

        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);
    }
}
