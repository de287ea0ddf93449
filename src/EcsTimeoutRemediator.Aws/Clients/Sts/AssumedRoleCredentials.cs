using Amazon.Runtime;

namespace EcsTimeoutRemediator.Aws.Clients.Sts;

/// <summary>
/// The credentials of one assumed role. They are renewed in place (<see cref="Renew"/>), so the clients built over
/// them are built once and kept: every signed request reads the current keys. Nothing here calls STS or runs in the
/// background (a Lambda environment is frozen between invocations); the owner renews them before they run out.
/// </summary>
public sealed class AssumedRoleCredentials : AWSCredentials
{
    private State _state;

    public AssumedRoleCredentials(StsCredentials credentials) => _state = StateOf(credentials);

    /// <summary>When the current keys stop working.</summary>
    public DateTimeOffset ExpiresAt => Volatile.Read(ref _state).Expiration;

    public override DateTime? Expiration => ExpiresAt.UtcDateTime;

    /// <summary>The access key id in use (for logs and tests; never the secret).</summary>
    public string AccessKeyId => Volatile.Read(ref _state).Keys.AccessKey;

    public void Renew(StsCredentials credentials) => Volatile.Write(ref _state, StateOf(credentials));

    public override ImmutableCredentials GetCredentials() => Volatile.Read(ref _state).Keys.Copy();

    private static State StateOf(StsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new State(new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken), credentials.Expiration);
    }

    private sealed record State(ImmutableCredentials Keys, DateTimeOffset Expiration);
}
