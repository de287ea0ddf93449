using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.Cli;

/// <summary>
/// <c>clear-fix --cluster C --service S --fix F [--account A --region R]</c>: forgets that a fix did not cure a
/// service, so the function may apply it again. Reads the service to find its account and region (or takes them from
/// <c>--account</c>, for a member account's service the central ledger keeps), then deletes the fix's history.
/// </summary>
public static class ClearFixCommand
{
    public static async Task<int> RunAsync(Options options, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AllowOnly("clear-fix", "--cluster", "--service", "--fix", "--account", "--region");
        var cluster = options.Get("--cluster") ?? throw new UsageException("clear-fix needs --cluster");
        var service = options.Get("--service") ?? throw new UsageException("clear-fix needs --service");
        var fix = options.Get("--fix") ?? throw new UsageException("clear-fix needs --fix");
        if (!AutoFixes.Ids.Contains(fix))
        {
            throw new UsageException($"unknown fix \"{fix}\" (known: {string.Join(", ", AutoFixes.Ids)})");
        }

        var settings = Settings.FromEnvironment();
        if (settings.LedgerTableName is null)
        {
            throw new UsageException("LEDGER_TABLE_NAME is not set (the ledger table of the deployed stack)");
        }

        if (settings.Region is null)
        {
            throw new UsageException("AWS_REGION is not set");
        }

        using var root = CompositionRoot.ForCli(settings, stderr, clients => new NoPublisher());
        string key, clusterName, serviceName;
        bool cleared;
        try
        {
            if (options.Get("--account") is { } account)
            {
                // The service is in another account: the ledger names it by account, Region, cluster and service.
                if (account.Length != 12 || !account.All(char.IsAsciiDigit))
                {
                    throw new UsageException($"--account must be a 12-digit AWS account id, not \"{account}\"");
                }

                (clusterName, serviceName) = (ArnParts.LastSegment(cluster) ?? cluster, service);
                key = $"{account}:{options.Get("--region") ?? settings.Region}:{clusterName}/{serviceName}";
            }
            else
            {
                if (options.Has("--region"))
                {
                    throw new UsageException("clear-fix --region goes with --account (without it the service is read in AWS_REGION)");
                }

                var facts = await root.Ecs.DescribeServiceAsync(cluster, service, CancellationToken.None).ConfigureAwait(false)
                    ?? throw new UsageException($"service {cluster}/{service} not found in {settings.Region}");
                var arn = ArnParts.Parse(facts.ServiceArn);
                (clusterName, serviceName) = (ArnParts.LastSegment(facts.ClusterArn) ?? cluster, facts.ServiceName);
                key = $"{arn.Account}:{arn.Region}:{clusterName}/{serviceName}";
            }

            cleared = await root.FixHistory!.ClearFixAsync(key, fix, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (Aws.Clients.AwsErrorCodes.Describe(ex) is { } aws)
        {
            await stderr.WriteLineAsync(CliApp.AwsFailureLine(aws, "nothing was cleared: run clear-fix again")).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }

        await CliApp.WriteAsync(stdout, cleared
            ? $"cleared {fix} on {clusterName}/{serviceName}: the function may apply it again\n"
            : $"nothing to clear: {fix} has no history on {clusterName}/{serviceName}\n").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private sealed class NoPublisher : Ports.IAdvisoryPublisher
    {
        public Task<string> PublishAsync(Advisories.Advisory advisory, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("clear-fix publishes nothing");
    }
}
