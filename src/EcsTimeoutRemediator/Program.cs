using EcsTimeoutRemediator;
using EcsTimeoutRemediator.Runtime;

// The Lambda starts this assembly as an executable (Handler: EcsTimeoutRemediator on dotnet10, or the Native AOT
// `bootstrap` on provided.al2023): the process runs its own Runtime API loop.
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    await Console.Error.WriteLineAsync("EcsTimeoutRemediator: AWS_LAMBDA_RUNTIME_API is not set; this program is the Lambda function and runs only under the Lambda runtime (use ecs-remediator to run the pipeline locally).").ConfigureAwait(false);
    return 2;
}

using var api = new RuntimeApiClient(runtimeApi);
var scope = new InvocationScope();
Settings settings;
CompositionRoot root;
try
{
    settings = Settings.FromEnvironment().RequireLambdaEnvironment();
    root = CompositionRoot.ForLambda(settings, Console.Out, scope);
}
#pragma warning disable CA1031 // A start-up failure of any kind is reported to the Runtime API, then the process exits non-zero.
catch (Exception e)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"EcsTimeoutRemediator: start-up failed: {e.Message}").ConfigureAwait(false);
    await api.ReportInitErrorAsync(RuntimeError.From(e), CancellationToken.None).ConfigureAwait(false);
    return 1;
}

using (root)
{
    var loop = new RuntimeLoop(api, new Function(root.Pipeline), scope, root.Log, root.Time)
    {
        DeadlineMargin = settings.DeadlineMargin,
    };
    await loop.RunAsync(CancellationToken.None).ConfigureAwait(false);
}

return 0;
