using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Runtime;

/// <summary>
/// The function's own Lambda runtime: asks for the next event, runs the handler under a token that is cancelled
/// <see cref="DeadlineMargin"/> before the invocation's deadline, and posts the response or the error. One process
/// serves invocations until the Runtime API goes away; a failed invocation is reported and the loop goes on.
/// </summary>
public sealed class RuntimeLoop(RuntimeApiClient api, IInvocationHandler handler, InvocationScope scope, ILogSink log, TimeProvider time)
{
    /// <summary>Time kept back before Lambda's deadline to report the failure (the error post and the log line).</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Serves invocations until <paramref name="stop"/> is cancelled or the Runtime API fails.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var invocation = await api.NextAsync(stop).ConfigureAwait(false);
            await ServeAsync(invocation, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one invocation and posts its outcome; an error of the handler is posted, never thrown.</summary>
    public async Task ServeAsync(Invocation invocation, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        scope.RequestId = invocation.RequestId;
        // The AWS SDK reads the trace header of the current invocation from the environment.
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
        try
        {
            var remaining = invocation.Deadline - time.GetUtcNow() - DeadlineMargin;
            using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : Timeout.InfiniteTimeSpan, time);
            if (remaining <= TimeSpan.Zero)
            {
                await deadline.CancelAsync().ConfigureAwait(false);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stop);
            byte[] response;
            try
            {
                response = await handler.HandleAsync(invocation.Body, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                await FailAsync(invocation, new InvocationDeadlineExceededException(
                    $"the invocation was stopped {DeadlineMargin.TotalSeconds:0.#} s before its deadline ({invocation.Deadline:O}) with work left; Lambda retries the event", e), stop).ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // Every handler failure is reported to the Runtime API, which fails the invocation so Lambda retries it.
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
#pragma warning restore CA1031
            {
                await FailAsync(invocation, e, stop).ConfigureAwait(false);
                return;
            }

            await api.RespondAsync(invocation.RequestId, response, stop).ConfigureAwait(false);
        }
        finally
        {
            scope.RequestId = null;
        }
    }

    private async Task FailAsync(Invocation invocation, Exception e, CancellationToken stop)
    {
        var error = RuntimeError.From(e);
        log.Write(LogLevel.Error, "invocation failed", null, [new("errorType", error.ErrorType), new("error", error.ErrorMessage)]);
        await api.ReportInvocationErrorAsync(invocation.RequestId, error, stop).ConfigureAwait(false);
    }
}
