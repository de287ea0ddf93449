using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator;

/// <summary>
/// One JSON object per line: time, level, message, service, the Lambda request id (inside an invocation),
/// correlation id (the event id), then the fields.
/// </summary>
public sealed class JsonLogSink(TextWriter output, TimeProvider time, string service, Runtime.InvocationScope? scope = null) : ILogSink
{
    private readonly Lock _gate = new();

    public void Write(LogLevel level, string message, string? correlationId, IReadOnlyList<KeyValuePair<string, string?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("timestamp", time.GetUtcNow());
            w.WriteString("level", level.ToString().ToUpperInvariant());
            w.WriteString("message", message);
            w.WriteString("service", service);
            if (scope?.RequestId is { } requestId)
            {
                w.WriteString("requestId", requestId);
            }

            if (correlationId is not null)
            {
                w.WriteString("correlationId", correlationId);
            }

            foreach (var (key, value) in fields)
            {
                if (value is not null)
                {
                    w.WriteString(key, value);
                }
            }

            w.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}

/// <summary>CloudWatch Embedded Metric Format: each count is one EMF document on its own line.</summary>
public sealed class EmfMetricSink(TextWriter output, TimeProvider time, string metricsNamespace, string service) : IMetricSink
{
    private readonly Lock _gate = new();

    public void Count(string metric, int value = 1, string? dimensionName = null, string? dimensionValue = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("_aws");
            w.WriteNumber("Timestamp", time.GetUtcNow().ToUnixTimeMilliseconds());
            w.WriteStartArray("CloudWatchMetrics");
            w.WriteStartObject();
            w.WriteString("Namespace", metricsNamespace);
            w.WriteStartArray("Dimensions");
            w.WriteStartArray();
            w.WriteStringValue("Service");
            if (dimensionName is not null)
            {
                w.WriteStringValue(dimensionName);
            }

            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray("Metrics");
            w.WriteStartObject();
            w.WriteString("Name", metric);
            w.WriteString("Unit", "Count");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("Service", service);
            if (dimensionName is not null)
            {
                w.WriteString(dimensionName, dimensionValue ?? "none");
            }

            w.WriteNumber(metric, value);
            w.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
