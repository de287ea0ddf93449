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

    /// <summary>
    /// The role each member account of an organization-wide deployment deploys for this function (MEMBER_ROLE_NAME,
    /// <c>ecs-remediator-member</c>): an event from another account is read and fixed through it. Null: the function
    /// serves its own account only, and reads every event with its own role.
    /// </summary>
    public string? MemberRoleName { get; init; }

    /// <summary>The account the function runs in (CENTRAL_ACCOUNT_ID); null to ask STS once when a member role is set.</summary>
    public string? CentralAccountId { get; init; }

    /// <summary>How long before Lambda's deadline an invocation is stopped so that it fails cleanly (DEADLINE_MARGIN_MS).</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claim on an event holds before a retry may take it over (CLAIM_LEASE_SECONDS): at least the
    /// function's timeout, so a live invocation is never overtaken; a dead one's event is resumed after it.</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromSeconds(60);

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
            MemberRoleName = RoleName(Blank(get("MEMBER_ROLE_NAME"))),
            CentralAccountId = AccountId(Blank(get("CENTRAL_ACCOUNT_ID"))),
            Policy = EcsTimeoutRemediator.Policy.PolicySettings.From(get),
            DeadlineMargin = TimeSpan.FromMilliseconds(Milliseconds(get, "DEADLINE_MARGIN_MS", 2000, 100, 60_000)),
            ClaimLease = TimeSpan.FromSeconds(Whole(get, "CLAIM_LEASE_SECONDS", 60, 10, 900, "seconds")),
        };
    }

    /// <summary>
    /// The function's start-up check: what the Lambda cannot work without, each with a message a person can act on
    /// (the runtime reports it as the init error).
    /// </summary>
    public Settings RequireLambdaEnvironment()
    {
        if (Region is null)
        {
            throw new InvalidOperationException("AWS_REGION is not set: the function reads and publishes in the Region Lambda runs it in.");
        }

        var topic = RequireTopic();
        if (!topic.StartsWith("arn:", StringComparison.Ordinal) || topic.Split(':').Length != 6 || topic.Split(':')[2] != "sns")
        {
            throw new InvalidOperationException($"ADVISORY_TOPIC_ARN must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), not \"{topic}\".");
        }

        return this;
    }

    public static Settings FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>Throws a clear error for what publishing needs.</summary>
    public string RequireTopic() =>
        AdvisoryTopicArn ?? throw new InvalidOperationException("ADVISORY_TOPIC_ARN is not set: the function needs the SNS topic to publish advisories to.");

    private static int Milliseconds(Func<string, string?> get, string name, int fallback, int min, int max) => Whole(get, name, fallback, min, max, "milliseconds");

    private static int Whole(Func<string, string?> get, string name, int fallback, int min, int max, string unit)
    {
        var raw = Blank(get(name));
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new FormatException($"{name} must be a whole number of {unit} from {min} to {max}, not \"{raw}\"");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? RoleName(string? value) =>
        value is null || (value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '@' or '-'))
            ? value
            : throw new FormatException($"MEMBER_ROLE_NAME must be an IAM role name (up to 64 letters, digits and _+=,.@-), not \"{value}\"");

    private static string? AccountId(string? value) =>
        value is null || (value.Length == 12 && value.All(char.IsAsciiDigit))
            ? value
            : throw new FormatException($"CENTRAL_ACCOUNT_ID must be a 12-digit AWS account id, not \"{value}\"");
}
