using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Logs;

public sealed record DescribeLogGroupsRequest
{
    public string? LogGroupNamePrefix { get; init; }

    public int? Limit { get; init; }

    public string? NextToken { get; init; }
}

public sealed record LogGroup
{
    public string? LogGroupName { get; init; }

    public string? Arn { get; init; }

    public int? RetentionInDays { get; init; }
}

public sealed record DescribeLogGroupsResponse
{
    public IReadOnlyList<LogGroup> LogGroups { get; init => field = value ?? []; } = [];

    public string? NextToken { get; init; }
}

/// <summary>The CloudWatch Logs operations the remediator uses.</summary>
public interface ILogsClient
{
    /// <summary>The log group named exactly <paramref name="logGroupName"/>, or null (DescribeLogGroups by prefix, paged).</summary>
    Task<LogGroup?> FindLogGroupAsync(string logGroupName, CancellationToken cancellationToken = default);

    /// <summary>One page of DescribeLogGroups.</summary>
    Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(DescribeLogGroupsRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed CloudWatch Logs client (JSON 1.1, target prefix Logs_20140328, signing name logs).</summary>
public sealed class LogsClient : AwsJsonClient, ILogsClient
{
    private const int MaxPages = 20;

    public LogsClient(LogsClientConfig config)
        : base(null, config)
    {
    }

    public LogsClient(AWSCredentials? credentials, LogsClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(DescribeLogGroupsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeJsonAsync(
            "DescribeLogGroups", request, AwsJsonContext.Info<DescribeLogGroupsRequest>(), AwsJsonContext.Info<DescribeLogGroupsResponse>(), cancellationToken);
    }

    public async Task<LogGroup?> FindLogGroupAsync(string logGroupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(logGroupName);
        var request = new DescribeLogGroupsRequest { LogGroupNamePrefix = logGroupName, Limit = 50 };
        return await Paging.FirstAsync("DescribeLogGroups", async token =>
        {
            var response = await DescribeLogGroupsAsync(request with { NextToken = token }, cancellationToken);
            return new Page<LogGroup>(response.LogGroups, response.NextToken);
        }, g => g.LogGroupName == logGroupName, MaxPages);
    }
}
