using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.Cli;

/// <summary>
/// <c>clear-fix --cluster C --service S --fix F</c>: forgets that a fix did not cure a service, so the function may
/// apply it again. Reads the service to find its account and region, then deletes the fix's history in the ledger.
/// </summary>
public static class ClearFixCommand
{
    public static async Task<int> RunAsync(Options options, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AllowOnly("clear-fix", "--cluster", "--service", "--fix");
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
        Context.ServiceFacts facts;
        string clusterName;
        bool cleared;
        try
        {
            facts = await root.Ecs.DescribeServiceAsync(cluster, service, CancellationToken.None).ConfigureAwait(false)
                ?? throw new UsageException($"service {cluster}/{service} not found in {settings.Region}");
            var arn = ArnParts.Parse(facts.ServiceArn);
            clusterName = ArnParts.LastSegment(facts.ClusterArn) ?? cluster;
            var key = $"{arn.Account}:{arn.Region}:{clusterName}/{facts.ServiceName}";
            cleared = await root.Ledger!.ClearFixAsync(key, fix, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (Aws.Clients.AwsErrorCodes.Describe(ex) is { } aws)
        {
            await stderr.WriteLineAsync(CliApp.AwsFailureLine(aws, "nothing was cleared: run clear-fix again")).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }

        await CliApp.WriteAsync(stdout, cleared
            ? $"cleared {fix} on {clusterName}/{facts.ServiceName}: the function may apply it again\n"
            : $"nothing to clear: {fix} has no history on {clusterName}/{facts.ServiceName}\n").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private sealed class NoPublisher : Ports.IAdvisoryPublisher
    {
        public Task<string> PublishAsync(Advisories.Advisory advisory, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("clear-fix publishes nothing");
    }
}
