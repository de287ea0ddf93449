using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.LambdaRuntime;

/// <summary>What Lambda got back for one invocation: the response body, or the error document and its header.</summary>
public sealed record InvocationOutcome(string RequestId, byte[]? Response, JsonElement? Error, string? ErrorTypeHeader, string? ErrorContentType)
{
    public bool Failed => Error is not null;

    public string ErrorType => Error?.GetProperty("errorType").GetString() ?? "";

    public string ErrorMessage => Error?.GetProperty("errorMessage").GetString() ?? "";
}

/// <summary>
/// The Lambda Runtime API (2018-06-01) on a loopback port, as the Lambda service implements it for a function: queued
/// events are handed out by <c>GET invocation/next</c> (which blocks while there is none) with the request id,
/// deadline, function ARN and trace headers, and the function's <c>response</c>, <c>error</c> and <c>init/error</c>
/// posts are recorded.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:ecs-timeout-remediator";
    private readonly HttpListener _listener = new();
    private readonly Channel<(string Id, byte[] Body, DateTimeOffset Deadline, string Trace)> _queue = Channel.CreateUnbounded<(string, byte[], DateTimeOffset, string)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationOutcome>> _pending = new();
    private readonly TaskCompletionSource<JsonElement> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _nextCalls;

    public RuntimeApiEmulator()
    {
        var port = MotoServer.FreeLoopbackPort();
        HostAndPort = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{HostAndPort}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostAndPort { get; }

    /// <summary>How many times the function asked for an event.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    /// <summary>The init error the function posted, if it did.</summary>
    public Task<JsonElement> InitError => _initError.Task;

    /// <summary>Queues one event with <paramref name="timeout"/> to its deadline and returns what the function answers.</summary>
    public Task<InvocationOutcome> InvokeAsync(byte[] body, TimeSpan timeout, string? requestId = null) =>
        InvokeAsync(body, DateTimeOffset.UtcNow + timeout, requestId);

    public Task<InvocationOutcome> InvokeAsync(byte[] body, DateTimeOffset deadline, string? requestId = null)
    {
        var id = requestId ?? Guid.NewGuid().ToString();
        var outcome = new TaskCompletionSource<InvocationOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = outcome;
        _queue.Writer.TryWrite((id, body, deadline, TraceHeader()));
        return outcome.Task;
    }

    private static string TraceHeader()
    {
        var hex = Guid.NewGuid().ToString("N");
        return $"Root=1-{hex[..8]}-{hex[8..]};Sampled=0";
    }

    /// <summary>The trace header handed out with each request id.</summary>
    public ConcurrentDictionary<string, string> TraceIds { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();

        // Close alone: Stop before it releases the port, and Close would then bind it again to release it once more,
        // failing when a parallel test has taken the port in between.
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (ObjectDisposedException)
        {
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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        const string prefix = "/2018-06-01/runtime/";
        try
        {
            if (request.HttpMethod == "GET" && path == prefix + "invocation/next")
            {
                Interlocked.Increment(ref _nextCalls);
                var (id, body, deadline, trace) = await _queue.Reader.ReadAsync(_stop.Token);
                TraceIds[id] = trace;
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
                response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
                response.Headers["Lambda-Runtime-Trace-Id"] = trace;
                response.ContentType = "application/json";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body, _stop.Token);
                response.Close();
                return;
            }

            var posted = await ReadBodyAsync(request);
            if (request.HttpMethod == "POST" && path == prefix + "init/error")
            {
                _initError.TrySetResult(JsonDocument.Parse(posted).RootElement.Clone());
                Answer(response, HttpStatusCode.Accepted);
                return;
            }

            if (request.HttpMethod == "POST" && path.StartsWith(prefix + "invocation/", StringComparison.Ordinal))
            {
                var rest = path[(prefix.Length + "invocation/".Length)..].Split('/');
                if (rest.Length == 2 && _pending.TryRemove(Uri.UnescapeDataString(rest[0]), out var outcome))
                {
                    var id = Uri.UnescapeDataString(rest[0]);
                    if (rest[1] == "response")
                    {
                        outcome.TrySetResult(new InvocationOutcome(id, posted, null, null, null));
                        Answer(response, HttpStatusCode.Accepted);
                        return;
                    }

                    if (rest[1] == "error")
                    {
                        outcome.TrySetResult(new InvocationOutcome(id, null, JsonDocument.Parse(posted).RootElement.Clone(),
                            request.Headers["Lambda-Runtime-Function-Error-Type"], request.ContentType));
                        Answer(response, HttpStatusCode.Accepted);
                        return;
                    }
                }

                Answer(response, HttpStatusCode.BadRequest);
                return;
            }

            Answer(response, HttpStatusCode.NotFound);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // The emulator is stopping.
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static void Answer(HttpListenerResponse response, HttpStatusCode status)
    {
        response.StatusCode = (int)status;
        response.Close();
    }
}
