namespace EcsTimeoutRemediator.Context;

/// <summary>
/// Why an account could not be opened: its member role could not be assumed (missing, or it does not trust this
/// function). A fact the advisory reports, not an error: the event is still advised.
/// </summary>
/// <param name="Account">The account the event came from.</param>
/// <param name="RoleArn">The role that was asked for.</param>
/// <param name="Reason">What STS said.</param>
public sealed record AccountRefusal(string Account, string RoleArn, string Reason)
{
    /// <summary>The role's name (the last segment of its ARN).</summary>
    public string RoleName => RoleArn[(RoleArn.LastIndexOf('/') + 1)..];
}
