using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>The one check of an account the function cannot read: its member role was refused.</summary>
public static class AccountChecks
{
    public const string Check = "member-role";

    /// <summary>The member role's name both templates default to (each member account deploys it for the central function).</summary>
    public const string DefaultMemberRole = "ecs-remediator-member";

    /// <summary>
    /// "cannot read account A: role R is missing or does not trust this function": STS answers AccessDenied alike for
    /// a role that does not exist and one whose trust policy leaves this function out, so the finding names both.
    /// </summary>
    public static Finding Unreachable(AccountRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Finding.Of(Check, FindingStatus.Missing,
            Sentence.Of($"cannot read account {Sentence.Id(refusal.Account)}: role {Sentence.Id(refusal.RoleName)} is missing or does not trust this function"),
            [refusal.RoleArn], FixId.DeployMemberRole)
        with
        {
            Headline = $"cannot read account {refusal.Account}",
            Detail = refusal.Reason,
        };
    }
}
