using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>What every area's checks see: the stop's target, its category (null for <c>doctor</c>), the scope chosen for it and what was read.</summary>
public sealed record CheckInput(DiagnosisTarget Target, string? Category, DiagnosisScope Scope, InfrastructureContext Context, string Account)
{
    public TaskDefinitionFacts? TaskDefinition => Context.TaskDefinition;

    public bool Asks(DiagnosisScope flags) => (Scope & flags) != DiagnosisScope.None;
}

/// <summary>
/// The checks of one failure area, as one row of <see cref="Diagnoser.Checks"/>: the scope flags it answers, the
/// findings it draws from the context, and the name its findings carry when a read it depends on was not answered.
/// </summary>
public interface IAreaCheck
{
    /// <summary>The scope flags whose questions these checks answer.</summary>
    DiagnosisScope Checks { get; }

    /// <summary>The findings; none when the scope does not ask for them or what they need was not read.</summary>
    IEnumerable<Finding> Check(CheckInput input);

    /// <summary>The finding name for a read of this area that was not answered; null when the read is not this area's.</summary>
    string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition);
}

/// <summary>Reads named by a fixed table of actions.</summary>
internal static class UnreadNames
{
    public static string? Of(ReadGap gap, IReadOnlyDictionary<string, string> names) =>
        names.TryGetValue(gap.Action, out var name) ? name : null;

    public static IReadOnlyDictionary<string, string> All(string name, params string[] actions) =>
        actions.ToDictionary(a => a, _ => name, StringComparer.Ordinal);
}
