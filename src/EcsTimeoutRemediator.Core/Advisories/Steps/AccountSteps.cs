using EcsTimeoutRemediator.Classification;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>Reaching another account: the member role.</summary>
internal sealed class AccountSteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.DeployMemberRole];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        switch (fix)
        {
            case FixId.DeployMemberRole:
                var role = t.MemberRole ?? Diagnosis.AccountChecks.DefaultMemberRole;
                var account = t.Account ?? "<account-id>";
                yield return NextStep.Run($"In account {account}, see whether role {role} exists and whom it trusts (the central function's role must be named in aws:PrincipalArn)",
                    "aws", "iam", "get-role", "--role-name", role, "--query", "Role.AssumeRolePolicyDocument");
                yield return NextStep.Run($"Deploy the member stack to account {account}: add it to the organizational unit of the member StackSet, or deploy it there alone",
                    "aws", "cloudformation", "create-stack-instances", "--stack-set-name", "ecs-remediator-member", "--regions", r,
                    "--deployment-targets", $"OrganizationalUnitIds=<ou-id>,Accounts={account},AccountFilterType=INTERSECTION");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }
}
