using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Gathering;

/// <summary>
/// The reads of one gathering run: counts them, keeps each answer for the rest of the run (one cache per answer type,
/// keyed by action and resource, so an answer is only ever read back as its own type), enforces the budget, turns a
/// denied read into a gap (and, when <paramref name="failuresAreGaps"/>, a read AWS did not answer after the SDK's
/// retries).
/// </summary>
internal sealed class ReadMeter(int budget, bool failuresAreGaps) : IReadMeter
{
    private readonly List<ReadGap> _gaps = [];
    private readonly Dictionary<Type, object> _caches = [];

    public IReadOnlyList<ReadGap> Gaps => _gaps;

    public int Calls { get; private set; }

    /// <summary>The reads that returned an answer.</summary>
    public int Answered { get; private set; }

    /// <summary>The reads left in the budget.</summary>
    public int Remaining => budget - Calls;

    /// <summary>Records a read this run chose not to make, and why.</summary>
    public void Skip(string action, string resource, string why) =>
        _gaps.Add(new ReadGap(action, resource, "not read: " + why) { NotAttempted = true });

    /// <summary>These reads for a port, each call made with <see cref="Try{T}"/>.</summary>
    Task<T?> IReadMeter.ReadAsync<T>(string action, string resource, string whatIsLost, Func<Task<T>> read)
        where T : default => Try(action, resource, read);

    /// <summary>These reads for a port whose calls leave <paramref name="reserve"/> reads for a later, more telling one.</summary>
    public IReadMeter Keeping(int reserve) => new KeepingMeter(this, reserve);

    /// <summary>A read whose "found nothing" (null) is an answer, told apart from "not read" (a null box).</summary>
    public Task<Found<T>?> TryFinding<T>(string action, string resource, Func<Task<T?>> read)
        where T : class =>
        Try(action, resource, async () => new Found<T>(await read().ConfigureAwait(false)));

    /// <returns>The read's result, or the default (null) when the read was denied or over budget.</returns>
    public async Task<T?> Try<T>(string action, string resource, Func<Task<T>> read)
    {
        var cache = CacheOf<T>();
        var key = (action, resource);
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (Calls >= budget)
        {
            _gaps.Add(new ReadGap(action, resource, $"not read: the budget of {budget} read calls is spent") { NotAttempted = true });
            cache[key] = default;
            return default;
        }

        Calls++;
        try
        {
            var value = await read().ConfigureAwait(false);
            Answered++;
            cache[key] = value;
            return value;
        }
        catch (PermissionDeniedException ex)
        {
            _gaps.Add(new ReadGap(string.IsNullOrEmpty(ex.Action) ? action : ex.Action, resource, ex.Message));
            cache[key] = default;
            return default;
        }
        catch (ServiceFailureException ex) when (failuresAreGaps)
        {
            _gaps.Add(new ReadGap(string.IsNullOrEmpty(ex.Action) ? action : ex.Action, resource, ex.Failure.Describe()) { Failure = ex.Failure });
            cache[key] = default;
            return default;
        }
    }

    /// <summary>
    /// <see cref="Try{T}"/>, unless only <paramref name="reserve"/> reads are left: those are kept for a later,
    /// more telling read, and this one is recorded as not made (<paramref name="whatIsLost"/>).
    /// </summary>
    private async Task<T?> TryKeeping<T>(int reserve, string action, string resource, string whatIsLost, Func<Task<T>> read)
    {
        if (Remaining <= reserve)
        {
            Skip(action, resource, $"the read budget keeps {reserve} read(s) for the execution role; {whatIsLost}");
            return default;
        }

        return await Try(action, resource, read).ConfigureAwait(false);
    }

    private Dictionary<(string Action, string Resource), T?> CacheOf<T>()
    {
        if (!_caches.TryGetValue(typeof(T), out var cache))
        {
            cache = new Dictionary<(string Action, string Resource), T?>();
            _caches[typeof(T)] = cache;
        }

        return (Dictionary<(string Action, string Resource), T?>)cache;
    }

    /// <summary>The reads of a run through which a port's calls keep the last reads in reserve.</summary>
    private sealed class KeepingMeter(ReadMeter reads, int reserve) : IReadMeter
    {
        public Task<T?> ReadAsync<T>(string action, string resource, string whatIsLost, Func<Task<T>> read) =>
            reads.TryKeeping(reserve, action, resource, whatIsLost, read);

        public void Skip(string action, string resource, string why) => reads.Skip(action, resource, why);
    }
}

/// <summary>Distinguishes "read, and found nothing" (a null value) from "not read" (a null box).</summary>
internal sealed record Found<T>(T? Value)
    where T : class;
