namespace EcsTimeoutRemediator;

/// <summary>The function's configuration, read once from the environment the template sets.</summary>
public sealed record Settings
{
    public string? AdvisoryTopicArn { get; init; }
    public string? Region { get; init; }
    public string ServiceName { get; init; } = "ecs-timeout-remediator";
    public string MetricsNamespace { get; init; } = "EcsTimeoutRemediator";

    /// <summary>The SSM SecureString parameter holding the Slack incoming-webhook URL; null: no Slack delivery.
    /// The URL itself is never read from the environment.</summary>
    public string? SlackWebhookParameter { get; init; }

    /// <summary>The DynamoDB ledger table; without it nothing is ever fixed automatically.</summary>
    public string? LedgerTableName { get; init; }

    public Policy.PolicySettings Policy { get; init; } = new();

    /// <summary>Reads the settings; <paramref name="get"/> is the environment (a function for the CLI to share).</summary>
    public static Settings From(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return new Settings
        {
            AdvisoryTopicArn = Blank(get("ADVISORY_TOPIC_ARN")),
            Region = Blank(get("AWS_REGION")) ?? Blank(get("AWS_DEFAULT_REGION")),
            ServiceName = Blank(get("SERVICE_NAME")) ?? "ecs-timeout-remediator",
            MetricsNamespace = Blank(get("METRICS_NAMESPACE")) ?? "EcsTimeoutRemediator",
            SlackWebhookParameter = Blank(get("SLACK_WEBHOOK_PARAMETER")),
            LedgerTableName = Blank(get("LEDGER_TABLE_NAME")),
            Policy = EcsTimeoutRemediator.Policy.PolicySettings.From(get),
        };
    }

    public static Settings FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>Throws a clear error for what publishing needs.</summary>
    public string RequireTopic() =>
        AdvisoryTopicArn ?? throw new InvalidOperationException("ADVISORY_TOPIC_ARN is not set: the function needs the SNS topic to publish advisories to.");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
