using System.Text;
using System.Text.Json;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Sns;

/// <summary>The SNS operations the remediator uses.</summary>
public interface ISnsClient
{
    /// <summary>Publishes a message; throws <see cref="ArgumentException"/> before any call when SNS would
    /// reject it for its size or subject.</summary>
    Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed SNS client (Query protocol) on AWSSDK.Core's pipeline.</summary>
public sealed class SnsClient : AwsQueryClient, ISnsClient
{
    /// <summary>SNS's limit on a subject's length.</summary>
    public const int MaxSubjectLength = 100;

    /// <summary>SNS's limit on a message with its attributes: 256 KiB.</summary>
    public const int MaxMessageBytes = 262_144;

    /// <summary>Default credential chain; region and endpoint from <paramref name="config"/> and the environment.</summary>
    public SnsClient(SnsClientConfig config)
        : base(null, config)
    {
    }

    public SnsClient(AWSCredentials? credentials, SnsClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var parameters = new QueryParameters()
            .Add("TopicArn", request.TopicArn)
            .Add("Message", request.Message)
            .Add("Subject", request.Subject)
            .Add("MessageStructure", request.MessageStructure)
            .AddMap(
                "MessageAttributes",
                request.MessageAttributes,
                "Name",
                "Value",
                static (fields, prefix, value) => fields
                    .Add(prefix + ".DataType", value.DataType)
                    .Add(prefix + ".StringValue", value.StringValue));

        return InvokeQueryAsync(
            "Publish",
            parameters,
            static result => new PublishResponse(result.Text("MessageId") ?? ""),
            cancellationToken);
    }

    /// <summary>The checks SNS would make, so that a bad advisory fails here with a clear message.</summary>
    public static void Validate(PublishRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.TopicArn))
        {
            throw new ArgumentException("TopicArn is required.", nameof(request));
        }

        if (string.IsNullOrEmpty(request.Message))
        {
            throw new ArgumentException("Message must not be empty.", nameof(request));
        }

        if (request.Subject is { } subject)
        {
            if (subject.Length == 0 || subject.Length > MaxSubjectLength)
            {
                throw new ArgumentException(
                    $"Subject must be 1 to {MaxSubjectLength} characters; it has {subject.Length}.", nameof(request));
            }

            if (subject.Any(char.IsControl))
            {
                throw new ArgumentException(
                    "Subject must not contain line breaks or control characters.", nameof(request));
            }
        }

        var size = Encoding.UTF8.GetByteCount(request.Message);
        foreach (var (name, value) in request.MessageAttributes ?? new Dictionary<string, SnsMessageAttribute>())
        {
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(value.DataType) || value.StringValue is null)
            {
                throw new ArgumentException($"Message attribute '{name}' needs a name, a DataType and a value.", nameof(request));
            }

            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value.DataType) +
                Encoding.UTF8.GetByteCount(value.StringValue);
        }

        if (size > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"Message and attributes are {size} bytes; SNS accepts at most {MaxMessageBytes} (256 KB).", nameof(request));
        }

        if (request.MessageStructure is { } structure)
        {
            if (structure != "json")
            {
                throw new ArgumentException("MessageStructure must be \"json\" when given.", nameof(request));
            }

            ValidateJsonStructure(request.Message);
        }
    }

    private static void ValidateJsonStructure(string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("default", out var fallback) ||
                fallback.ValueKind != JsonValueKind.String)
            {
                throw new ArgumentException(
                    "With MessageStructure \"json\" the message must be a JSON object with a string \"default\" key.",
                    nameof(message));
            }

            foreach (var part in document.RootElement.EnumerateObject())
            {
                if (part.Value.ValueKind != JsonValueKind.String)
                {
                    throw new ArgumentException(
                        $"With MessageStructure \"json\" every value must be a string; \"{part.Name}\" is not.",
                        nameof(message));
                }
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("With MessageStructure \"json\" the message must be valid JSON.", nameof(message), ex);
        }
    }
}
