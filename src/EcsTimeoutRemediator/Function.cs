using System.Text.Json;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator;

/// <summary>
/// The Lambda entry point for the managed <c>dotnet10</c> runtime:
/// <c>EcsTimeoutRemediator::EcsTimeoutRemediator.Function::HandleAsync</c>. It takes the EventBridge event as a
/// stream and returns the decision record as JSON. Clients are built once per execution environment.
/// </summary>
public sealed class Function
{
    // The runtime creates one Function per execution environment and reuses it for every invocation.
    private readonly CompositionRoot _root = CompositionRoot.ForLambda(Settings.FromEnvironment(), Console.Out);

    public async Task<Stream> HandleAsync(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer).ConfigureAwait(false);

        // Errors a retry can cure propagate: the invocation fails and Lambda's async retries and the
        // on-failure destination keep the event.
        var record = await _root.Pipeline.HandleAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), CancellationToken.None).ConfigureAwait(false);

        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, record, RemediatorJsonContext.Default.DecisionRecord).ConfigureAwait(false);
        output.Position = 0;
        return output;
    }
}
