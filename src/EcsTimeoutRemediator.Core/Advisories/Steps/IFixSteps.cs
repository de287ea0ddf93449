using EcsTimeoutRemediator.Classification;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>
/// The manual steps of one area's fixes, as one row of <see cref="NextSteps.Areas"/>: the fix ids it owns and, for
/// each, the commands filled with what was diagnosed.
/// </summary>
internal interface IFixSteps
{
    IReadOnlyList<string> Fixes { get; }

    /// <summary>The steps of <paramref name="fix"/>, one of <see cref="Fixes"/>; any other id throws.</summary>
    IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c);
}
