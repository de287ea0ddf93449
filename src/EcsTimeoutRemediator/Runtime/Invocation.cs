namespace EcsTimeoutRemediator.Runtime;

/// <summary>One event handed out by the Lambda Runtime API's <c>invocation/next</c>, with the headers that travel with it.</summary>
public sealed record Invocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? FunctionArn,
    string? TraceId,
    ReadOnlyMemory<byte> Body);

/// <summary>The error document the Runtime API takes for a failed invocation or a failed start-up.</summary>
public sealed record RuntimeError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    /// <summary>The error of an exception: its type name, its message and its stack, one frame a line.</summary>
    public static RuntimeError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var frames = (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RuntimeError(exception.GetType().Name, exception.Message, frames);
    }
}

/// <summary>What the loop needs from the function: bytes in, bytes out, cancelled at the invocation's deadline.</summary>
public interface IInvocationHandler
{
    Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct);
}

/// <summary>
/// The request id of the invocation being served, for everything that runs inside it (the log lines carry it).
/// One instance per process, shared by the loop and the log sink.
/// </summary>
public sealed class InvocationScope
{
    private readonly AsyncLocal<string?> _requestId = new();

    public string? RequestId
    {
        get => _requestId.Value;
        set => _requestId.Value = value;
    }
}

/// <summary>The invocation ran out of time: the pipeline was cancelled before Lambda's deadline so that it fails cleanly.</summary>
public sealed class InvocationDeadlineExceededException(string message, Exception inner) : Exception(message, inner);
