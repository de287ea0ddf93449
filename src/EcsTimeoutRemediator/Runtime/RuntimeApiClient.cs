using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EcsTimeoutRemediator.Runtime;

/// <summary>
/// A client of the Lambda Runtime API (2018-06-01) at <c>AWS_LAMBDA_RUNTIME_API</c>: next invocation, response,
/// invocation error and init error. Waiting for the next event has no time-out: Lambda freezes the process there.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    private const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    private const string ApiVersion = "2018-06-01";
    private readonly HttpClient _http;

    public RuntimeApiClient(string hostAndPort, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostAndPort);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }, disposeHandler: true)
        {
            BaseAddress = new Uri($"http://{hostAndPort}/{ApiVersion}/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Blocks until Lambda hands out the next event.</summary>
    public async Task<Invocation> NextAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync(new Uri("invocation/next", UriKind.Relative), HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the Runtime API answered {(int)response.StatusCode} to invocation/next", null, response.StatusCode);
        }

        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidDataException("the Runtime API's invocation/next carried no Lambda-Runtime-Aws-Request-Id header");
        var deadline = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new InvalidDataException($"invocation {requestId} carried no readable Lambda-Runtime-Deadline-Ms header");
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return new Invocation(requestId, deadline, Header(headers, "Lambda-Runtime-Invoked-Function-Arn"), Header(headers, "Lambda-Runtime-Trace-Id"), body);
    }

    public Task RespondAsync(string requestId, byte[] body, CancellationToken ct)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content, ct);
    }

    public Task ReportInvocationErrorAsync(string requestId, RuntimeError error, CancellationToken ct) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", ErrorContent(error), ct, error.ErrorType);

    public Task ReportInitErrorAsync(RuntimeError error, CancellationToken ct) => PostAsync("init/error", ErrorContent(error), ct, error.ErrorType);

    public void Dispose() => _http.Dispose();

    private async Task PostAsync(string path, HttpContent content, CancellationToken ct, string? errorType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        }

        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the Runtime API answered {(int)response.StatusCode} to {path}", null, response.StatusCode);
        }
    }

    private static ByteArrayContent ErrorContent(RuntimeError error)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("errorMessage", error.ErrorMessage);
            w.WriteString("errorType", error.ErrorType);
            w.WriteStartArray("stackTrace");
            foreach (var frame in error.StackTrace)
            {
                w.WriteStringValue(frame);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(ErrorContentType);
        return content;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() is { Length: > 0 } v ? v : null : null;
}
