using System.Text.Json;
using EcsTimeoutRemediator.Runtime;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator;

/// <summary>
/// The function's handler: the EventBridge event in, the decision record out as JSON. Built once per execution
/// environment over the composition root; <see cref="RuntimeLoop"/> calls it for every invocation.
/// </summary>
public sealed class Function(Pipeline pipeline) : IInvocationHandler
{
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        // Errors a retry can cure propagate: the invocation fails and Lambda's async retries and the
        // on-failure destination keep the event.
        var record = await pipeline.HandleAsync(payload, ct).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(record, RemediatorJsonContext.Default.DecisionRecord);
    }
}
