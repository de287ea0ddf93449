using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>The containers' own health checks: a command Docker understands and a start period that covers boot.</summary>
public static class ContainerHealthChecks
{
    public static IEnumerable<Finding> Check(DiagnosisTarget target, string? category, TaskDefinitionFacts td)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(td);
        var lived = target.StartedAt is { } started && target.StoppingAt is { } stopping ? (stopping - started).TotalSeconds : (double?)null;
        foreach (var container in td.Containers.Where(c => c.HealthCheckCommand.Count > 0))
        {
            var kind = container.HealthCheckCommand[0];
            if (kind is not ("CMD" or "CMD-SHELL") || container.HealthCheckCommand.Count < 2)
            {
                yield return Finding.Of("container-health-check", FindingStatus.Wrong,
                    Sentence.Of($"The health check of container {container.Name} is [{string.Join(", ", container.HealthCheckCommand.Select(x => $"\"{x}\""))}]: it must start with \"CMD\" or \"CMD-SHELL\" followed by the command."),
                    [td.TaskDefinitionArn], FixId.FixHealthCheck)
                with { Headline = $"malformed health check in {container.Name}" };
                continue;
            }

            var start = container.HealthCheckStartPeriod ?? 0;
            var interval = container.HealthCheckInterval ?? 30;
            var retries = container.HealthCheckRetries ?? 3;
            var window = start + (interval * retries);
            if (category == Category.HealthContainer && lived is { } l && l <= window + 30)
            {
                yield return Finding.Of("container-health-start-period", FindingStatus.Wrong,
                    Sentence.Of($"Container {container.Name} was killed {l:0} s after start: its health check ({string.Join(' ', container.HealthCheckCommand.Skip(1))}) allows {start} s start period + {retries} × {interval} s, less than the application needs to boot."),
                    [td.TaskDefinitionArn], FixId.RaiseContainerHealthStartPeriod)
                with { Headline = $"killed during start-up (start period {start} s)" };
            }
            else
            {
                yield return Finding.Of("container-health-check", FindingStatus.Ok,
                    Sentence.Of($"Container {container.Name} checks {string.Join(' ', container.HealthCheckCommand.Skip(1))} every {interval} s, {retries} retries, start period {start} s."),
                    [td.TaskDefinitionArn]);
            }
        }
    }
}

/// <summary>The container health area: it reads nothing beyond the task definition.</summary>
public sealed class ContainerHealthCheck : IAreaCheck
{
    public DiagnosisScope Checks => DiagnosisScope.ContainerHealth;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && input.TaskDefinition is { } td ? ContainerHealthChecks.Check(input.Target, input.Category, td) : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => null;
}
