using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>Whether the awslogs log groups of the task's containers exist (a group in another Region is left unknown).</summary>
internal sealed class LogGroupsArea : IGatheringArea
{
    public IReadOnlyList<ReadArea> Declares { get; } = [new("log groups", DiagnosisScope.LogGroup, "ReadLogGroups", ["logs:DescribeLogGroups"])];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        if (context.TaskDefinition is not { } td || !run.Asks(DiagnosisScope.LogGroup) || run.Ports.Inspectors.Logs is not { } logs)
        {
            return context;
        }

        var region = context.Target!.Region;
        var result = new Dictionary<string, LogGroupFacts?>(StringComparer.Ordinal);
        foreach (var settings in td.Containers.Select(c => RolePermissions.LogGroupOf(c, region)).OfType<AwsLogsSettings>())
        {
            if (result.ContainsKey(settings.Name) || !string.Equals(settings.Region, region, StringComparison.Ordinal))
            {
                continue;
            }

            var name = settings.Name;
            var found = await run.Reads.TryFinding("logs:DescribeLogGroups", name, () => logs.FindLogGroupAsync(name, run.Cancellation)).ConfigureAwait(false);
            if (found is not null)
            {
                result[name] = found.Value;
            }
        }

        return context with { LogGroups = result };
    }
}
