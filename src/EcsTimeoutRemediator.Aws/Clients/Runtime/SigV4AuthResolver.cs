using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// Picks SigV4 for every operation. The default pipeline has no auth-resolver handler; without one the
/// signer has no identity to sign with.
/// </summary>
internal sealed class SigV4AuthResolver : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext)
        => AuthSchemeOption.DEFAULT_SIGV4;
}
