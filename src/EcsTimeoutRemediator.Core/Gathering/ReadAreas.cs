using EcsTimeoutRemediator.Gathering.Areas;

namespace EcsTimeoutRemediator.Gathering;

/// <summary>
/// What one area of the gatherer reads: the diagnosis areas it serves, the IAM read actions its reads are named by
/// (a denied read becomes a gap of that action), and the statement of the function's and the member role's policy
/// that grants them. The template tests derive both roles' read statements from these declarations.
/// </summary>
public sealed record ReadArea(string Name, DiagnosisScope Serves, string Sid, IReadOnlyList<string> Actions);

/// <summary>Every read the gatherer's areas declare (<see cref="ContextGatherer"/>), and so every read permission the function needs.</summary>
public static class ReadAreas
{
    public static IReadOnlyList<ReadArea> All { get; } = [.. ContextGatherer.Areas.SelectMany(a => a.Declares).Distinct()];

    /// <summary>Every read action, once.</summary>
    public static IReadOnlyList<string> Actions { get; } = [.. All.SelectMany(a => a.Actions).Distinct(StringComparer.Ordinal)];
}
