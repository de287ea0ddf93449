using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace EcsTimeoutRemediator.IntegrationTests.LambdaRuntime;

/// <summary>The function's Runtime API loop, in process, against the Runtime API emulator.</summary>
public sealed class RuntimeLoopTests : IAsyncLifetime
{
    private readonly RuntimeApiEmulator _lambda = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _logs = new();
    private readonly InvocationScope _scope = new();
    private RuntimeApiClient _api = null!;
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _api = new RuntimeApiClient(_lambda.HostAndPort);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _api.Dispose();
        await _lambda.DisposeAsync();
        _stop.Dispose();
    }

    private void Start(IInvocationHandler handler, TimeProvider? time = null, TimeSpan? margin = null)
    {
        var log = new JsonLogSink(_logs, time ?? TimeProvider.System, "test", _scope);
        var loop = new RuntimeLoop(_api, handler, _scope, log, time ?? TimeProvider.System) { DeadlineMargin = margin ?? TimeSpan.FromSeconds(2) };
        _running = Task.Run(() => loop.RunAsync(_stop.Token));
    }

    private static Task<InvocationOutcome> Within(Task<InvocationOutcome> outcome) => outcome.WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task RunAsync_WhenTheHandlerAnswers_ShouldPostItsBytesAsTheResponse()
    {
        Start(new Handler((body, _) => Task.FromResult(Encoding.UTF8.GetBytes("{\"got\":" + Encoding.UTF8.GetString(body.Span) + "}"))));

        var outcome = await Within(_lambda.InvokeAsync("{\"n\":1}"u8.ToArray(), TimeSpan.FromSeconds(30)));

        Assert.False(outcome.Failed);
        Assert.Equal("{\"got\":{\"n\":1}}", Encoding.UTF8.GetString(outcome.Response!));
    }

    [Fact]
    public async Task RunAsync_WhenTheHandlerThrows_ShouldPostTheErrorAndServeTheNextInvocation()
    {
        var calls = 0;
        Start(new Handler((_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidDataException("the ledger table answered 500 after 3 attempts")
            : Task.FromResult("{}"u8.ToArray())));

        var failed = await Within(_lambda.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30)));
        var next = await Within(_lambda.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30)));

        Assert.True(failed.Failed);
        Assert.Equal("InvalidDataException", failed.ErrorType);
        Assert.Equal("InvalidDataException", failed.ErrorTypeHeader);
        Assert.Equal("application/vnd.aws.lambda.error+json", failed.ErrorContentType);
        Assert.Equal("the ledger table answered 500 after 3 attempts", failed.ErrorMessage);
        Assert.Contains(failed.Error!.Value.GetProperty("stackTrace").EnumerateArray(), f => f.GetString()!.Contains(nameof(RuntimeLoopTests), StringComparison.Ordinal));
        Assert.False(next.Failed);
        Assert.Equal("{}", Encoding.UTF8.GetString(next.Response!));
    }

    [Fact]
    public async Task RunAsync_WhenTheDeadlineNears_ShouldCancelTheHandlerAndPostADeadlineErrorBeforeIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cancelledAt = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(new Handler(async (_, ct) =>
        {
            using var registration = ct.Register(() => cancelledAt.TrySetResult(time.GetUtcNow()));
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return [];
        }), time, TimeSpan.FromSeconds(2));
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(10);

        var outcome = _lambda.InvokeAsync("{}"u8.ToArray(), deadline);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.False(outcome.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await Within(outcome);

        Assert.True(result.Failed);
        Assert.Equal(nameof(InvocationDeadlineExceededException), result.ErrorType);
        Assert.Contains("Lambda retries the event", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(deadline - TimeSpan.FromSeconds(2), await cancelledAt.Task);
    }

    [Fact]
    public async Task RunAsync_WhenTheDeadlineHasAlreadyPassed_ShouldGiveTheHandlerACancelledToken()
    {
        Start(new Handler((_, ct) => Task.FromResult(ct.IsCancellationRequested ? "{\"cancelled\":true}"u8.ToArray() : "{\"cancelled\":false}"u8.ToArray())));

        var outcome = await Within(_lambda.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(1)));

        Assert.Equal("{\"cancelled\":true}", Encoding.UTF8.GetString(outcome.Response!));
    }

    [Fact]
    public async Task RunAsync_WhenTheEventIsLarge_ShouldHandTheHandlerEveryByte()
    {
        var body = Encoding.UTF8.GetBytes("{\"detail\":\"" + new string('x', 1024 * 1024) + "\"}");
        Start(new Handler((payload, _) => Task.FromResult(Encoding.UTF8.GetBytes(Convert.ToHexString(SHA256.HashData(payload.Span))))));

        var outcome = await Within(_lambda.InvokeAsync(body, TimeSpan.FromSeconds(30)));

        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Encoding.UTF8.GetString(outcome.Response!));
    }

    [Fact]
    public async Task RunAsync_WhenAHundredEventsArrive_ShouldAnswerEachWithItsOwnResponseInOneHandler()
    {
        var handler = new Handler((payload, _) => Task.FromResult(payload.ToArray()));
        Start(handler);

        var outcomes = new List<(int N, InvocationOutcome Outcome)>();
        for (var n = 0; n < 100; n++)
        {
            outcomes.Add((n, await Within(_lambda.InvokeAsync(Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"), TimeSpan.FromSeconds(30)))));
        }

        Assert.All(outcomes, o => Assert.Equal($"{{\"n\":{o.N}}}", Encoding.UTF8.GetString(o.Outcome.Response!)));
        Assert.Equal(100, handler.Calls);
    }

    [Fact]
    public async Task RunAsync_WhenServingAnInvocation_ShouldSetTheTraceHeaderAndTagLogLinesWithTheRequestId()
    {
        string? seenTrace = null;
        JsonLogSink? log = null;
        Start(new Handler((_, _) =>
        {
            seenTrace = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");
            log!.Write(LogLevel.Info, "inside", "event-1", []);
            return Task.FromResult("{}"u8.ToArray());
        }));
        log = new JsonLogSink(_logs, TimeProvider.System, "test", _scope);

        var outcome = await Within(_lambda.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30), "req-42"));

        Assert.False(outcome.Failed);
        Assert.Equal(_lambda.TraceIds["req-42"], seenTrace);
        var line = JsonDocument.Parse(_logs.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.Contains("inside", StringComparison.Ordinal))).RootElement;
        Assert.Equal("req-42", line.GetProperty("requestId").GetString());
        Assert.Equal("event-1", line.GetProperty("correlationId").GetString());
    }

    private sealed class Handler(Func<ReadOnlyMemory<byte>, CancellationToken, Task<byte[]>> handle) : IInvocationHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            return handle(payload, ct);
        }
    }
}
