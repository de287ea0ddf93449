using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>The awslogs log groups exist, or the driver creates them with the permission for it.</summary>
public static class LogsChecks
{
    public static IEnumerable<Finding> Check(DiagnosisTarget target, TaskDefinitionFacts td, IReadOnlyDictionary<string, LogGroupFacts?>? groups, RolePermissionFacts? role)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(td);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in td.Containers)
        {
            if (RolePermissions.LogGroupOf(container, target.Region) is not { } settings || !seen.Add(settings.Name))
            {
                continue;
            }

            if (groups is null || !groups.TryGetValue(settings.Name, out var group))
            {
                if (!string.Equals(settings.Region, target.Region, StringComparison.Ordinal))
                {
                    yield return Finding.Of("log-group", FindingStatus.Unknown,
                        Sentence.Of($"Log group {Sentence.Id(settings.Name)} is in {settings.Region}; only {target.Region} was read."), [settings.Name]);
                }

                continue;
            }

            if (group is not null)
            {
                yield return Finding.Of("log-group", FindingStatus.Ok, Sentence.Of($"Log group {Sentence.Id(settings.Name)} exists."), [group.Arn ?? settings.Name]);
            }
            else if (settings.CreateGroup)
            {
                var create = role?.Required.FirstOrDefault(p => p.Action == RolePermissions.CreateLogGroup);
                var allowed = create is null || role is null || role.Decisions.Count == 0 ? (bool?)null : RolePermissions.DecisionFor(create, role.Decisions)?.IsAllowed ?? false;
                if (allowed == false)
                {
                    var policy = RolePermissions.PolicyJson([create!]);
                    yield return Finding.Of("log-group", FindingStatus.Missing,
                        Sentence.Of($"Log group {Sentence.Id(settings.Name)} does not exist; awslogs-create-group is set but the execution role {Sentence.Id(role!.RoleArn)} may not logs:CreateLogGroup. Missing policy: {policy}"),
                        [settings.Name, role.RoleArn], FixId.GrantExecutionRolePermissions)
                    with { Headline = $"execution role cannot create log group {settings.Name}", Detail = policy };
                }
                else
                {
                    yield return Finding.Of("log-group", allowed == true ? FindingStatus.Ok : FindingStatus.Unknown,
                        Sentence.Of($"Log group {Sentence.Id(settings.Name)} does not exist yet; awslogs-create-group is set{Sentence.Words(allowed == true ? " and the execution role may create it" : ", but whether the execution role may create it is unknown")}."),
                        [settings.Name]);
                }
            }
            else
            {
                yield return Finding.Of("log-group", FindingStatus.Missing,
                    Sentence.Of($"Log group {Sentence.Id(settings.Name)} (container {container.Name}) does not exist and awslogs-create-group is not set."),
                    [settings.Name], FixId.CreateLogGroup)
                with { Headline = $"log group {settings.Name} missing" };
            }
        }
    }
}

/// <summary>The logs area: the awslogs log groups.</summary>
public sealed class LogGroupCheck : IAreaCheck
{
    private static readonly IReadOnlyDictionary<string, string> Unread = UnreadNames.All("log-group", "logs:DescribeLogGroups");

    public DiagnosisScope Checks => DiagnosisScope.LogGroup;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Asks(Checks) && input.TaskDefinition is { } td
            ? LogsChecks.Check(input.Target, td, input.Context.LogGroups, input.Context.ExecutionRole)
            : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => UnreadNames.Of(gap, Unread);
}
