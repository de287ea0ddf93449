namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>
/// Points the process's AWS environment (region, test credentials, <c>AWS_ENDPOINT_URL</c>) at an endpoint, as
/// Lambda's environment points the function at AWS, and puts back what was there when disposed.
/// </summary>
public sealed class AwsEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _saved;

    private AwsEnvironment(Dictionary<string, string> values)
    {
        _saved = values.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (k, v) in values)
        {
            Environment.SetEnvironmentVariable(k, v);
        }
    }

    public static AwsEnvironment Point(string endpointUrl) => new(new Dictionary<string, string>
    {
        ["AWS_REGION"] = MotoServer.Region,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_ENDPOINT_URL"] = endpointUrl,
    });

    public void Dispose()
    {
        foreach (var (k, v) in _saved)
        {
            Environment.SetEnvironmentVariable(k, v);
        }
    }
}
