namespace EcsTimeoutRemediator.Ports;

public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

/// <summary>Structured logs: one record per line, the event id as correlation key. Never pass a secret as a field.</summary>
public interface ILogSink
{
    void Write(LogLevel level, string message, string? correlationId, IReadOnlyList<KeyValuePair<string, string?>> fields);
}

/// <summary>Metrics, published as CloudWatch Embedded Metric Format by the Lambda.</summary>
public interface IMetricSink
{
    void Count(string metric, int value = 1, string? dimensionName = null, string? dimensionValue = null);
}
