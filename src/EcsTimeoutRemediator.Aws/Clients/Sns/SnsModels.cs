namespace EcsTimeoutRemediator.Aws.Clients.Sns;

/// <summary>SNS Publish input.</summary>
public sealed record PublishRequest
{
    public required string TopicArn { get; init; }

    /// <summary>The message; with <see cref="MessageStructure"/> "json", a JSON object with a "default" key
    /// and optional per-protocol keys ("sqs", "email", …).</summary>
    public required string Message { get; init; }

    /// <summary>E-mail subject: at most 100 characters, no line breaks or control characters.</summary>
    public string? Subject { get; init; }

    /// <summary>"json" to send a different message per protocol; null for one message.</summary>
    public string? MessageStructure { get; init; }

    public IReadOnlyDictionary<string, SnsMessageAttribute>? MessageAttributes { get; init; }
}

/// <summary>A message attribute: DataType "String", "String.Array" or "Number".</summary>
public sealed record SnsMessageAttribute(string DataType, string StringValue)
{
    public static SnsMessageAttribute String(string value) => new("String", value);
}

public sealed record PublishResponse(string MessageId);
