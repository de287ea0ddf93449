using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>One canned HTTP response of <see cref="StubAwsEndpoint"/>.</summary>
public sealed record StubResponse(int Status, string Body, string ContentType, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static StubResponse Json(int status, string body, string? errorType = null) => new(
        status,
        body,
        "application/x-amz-json-1.1",
        errorType is null ? null : new Dictionary<string, string> { ["x-amzn-ErrorType"] = errorType });

    public static StubResponse Xml(int status, string body) => new(status, body, "text/xml");
}

/// <summary>A request as <see cref="StubAwsEndpoint"/> received it.</summary>
public sealed record StubRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A loopback HTTP endpoint that answers with queued responses (the last one repeats) and records what it
/// received: for wire details and failure modes moto cannot produce (throttling, 5xx, paging).
/// </summary>
public sealed class StubAwsEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<StubResponse> _responses = new();
    private readonly ConcurrentQueue<StubRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private StubResponse? _last;

    public StubAwsEndpoint(params StubResponse[] responses)
    {
        foreach (var response in responses)
        {
            _responses.Enqueue(response);
        }

        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Queues one more response (for answers that must name <see cref="Url"/>).</summary>
    public void Enqueue(StubResponse response) => _responses.Enqueue(response);

    public IReadOnlyList<StubRequest> Requests => [.. _requests];

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under the loop.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new StubRequest(context.Request.HttpMethod, context.Request.Url?.AbsolutePath ?? "", headers, body));

            var response = _responses.TryDequeue(out var next) ? _last = next : _last
                ?? new StubResponse(500, "no response queued", "text/plain");
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            context.Response.Headers["x-amzn-RequestId"] = "stub-request-" + _requests.Count;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
