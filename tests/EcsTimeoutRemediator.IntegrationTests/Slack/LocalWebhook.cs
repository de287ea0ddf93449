using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EcsTimeoutRemediator.IntegrationTests.Slack;

/// <summary>
/// A stand-in for a Slack incoming webhook on a free loopback port: answers each POST with the next scripted
/// reply (200 "ok" once the script is used up) and records what it received.
/// </summary>
public sealed class LocalWebhook : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalWebhook()
    {
        var port = FreePort();
        // The path plays the secret part of a real webhook URL.
        Url = $"http://127.0.0.1:{port}/services/T0000SECRET/B0000SECRET/xoxSECRETtoken";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Signalled on every request, after it is recorded.</summary>
    public SemaphoreSlim Arrived { get; } = new(0);

    public LocalWebhook Then(HttpStatusCode status, string body = "", string? retryAfter = null, TimeSpan? delay = null)
    {
        _script.Enqueue(new Reply(status, body, retryAfter, delay ?? TimeSpan.Zero));
        return this;
    }

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
            // The listener was closed under a pending accept.
        }

        _stop.Dispose();
        Arrived.Dispose();
    }

    private async Task LoopAsync()
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

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new Received(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body, DateTimeOffset.UtcNow));
        Arrived.Release();
        var reply = _script.TryDequeue(out var r) ? r : new Reply(HttpStatusCode.OK, "ok", null, TimeSpan.Zero);
        try
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stop.Token);
            }

            context.Response.StatusCode = (int)reply.Status;
            if (reply.RetryAfter is not null)
            {
                context.Response.AddHeader("Retry-After", reply.RetryAfter);
            }

            var bytes = System.Text.Encoding.UTF8.GetBytes(reply.Body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The test is over, or the client gave up first.
        }
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed record Reply(HttpStatusCode Status, string Body, string? RetryAfter, TimeSpan Delay);

    public sealed record Received(string Method, string Path, string? ContentType, string Body, DateTimeOffset At);
}
