namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>Clients built on first use are disposed only if they were built.</summary>
internal static class LazyClient
{
    public static void DisposeIfCreated<T>(Lazy<T> client)
        where T : IDisposable
    {
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }
}
