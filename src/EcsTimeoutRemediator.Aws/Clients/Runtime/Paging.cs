namespace EcsTimeoutRemediator.Aws.Clients.Runtime;

/// <summary>One page of a paginated AWS answer: its items and the token of the next page (null or empty: the last).</summary>
public readonly record struct Page<T>(IEnumerable<T> Items, string? Next);

/// <summary>
/// One page of an answer whose continuation is not a string (DynamoDB's <c>LastEvaluatedKey</c>): its items and
/// the key of the next page (null: the last).
/// </summary>
public readonly record struct KeyedPage<T, TKey>(IEnumerable<T> Items, TKey? Next)
    where TKey : class;

/// <summary>
/// The one way this project follows an AWS pagination token (NextToken, Marker, NextMarker, LastEvaluatedKey): page
/// after page until the service gives no token, or gives back the token it was asked with (which would loop
/// forever), and never more than a bound of pages, past which it fails rather than return part of the answer as if
/// it were all (or, for an answer the request itself bounds, <see cref="WithinAsync{T}"/>, stops there).
/// </summary>
public static class Paging
{
    /// <summary>The bound when a call names none: far more than any answer this project reads.</summary>
    public const int DefaultMaxPages = 1000;

    /// <summary>Every item of every page of <paramref name="operation"/>; <paramref name="read"/> gets the token to ask with (null first).</summary>
    /// <exception cref="InvalidOperationException">The service gave more than <paramref name="maxPages"/> pages.</exception>
    public static async Task<List<T>> AllAsync<T>(string operation, Func<string?, Task<Page<T>>> read, int maxPages = DefaultMaxPages)
    {
        ArgumentNullException.ThrowIfNull(read);
        return await CollectAsync(operation, Keyed(read), maxPages, StringComparer.Ordinal, failPastBound: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Every item of every page, for a continuation key that is not a string; <paramref name="sameKey"/> says when
    /// the service gave back the key it was asked with.
    /// </summary>
    /// <exception cref="InvalidOperationException">The service gave more than <paramref name="maxPages"/> pages.</exception>
    public static async Task<List<T>> AllAsync<T, TKey>(string operation, Func<TKey?, Task<KeyedPage<T, TKey>>> read, IEqualityComparer<TKey> sameKey, int maxPages = DefaultMaxPages)
        where TKey : class
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(sameKey);
        return await CollectAsync(operation, read, maxPages, sameKey, failPastBound: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Every item of at most <paramref name="pages"/> pages, for an answer the request itself bounds (an exact-name
    /// filter whose matches those pages hold): past them it stops without failing, even when the service still
    /// gives a token (a page that came back short or empty).
    /// </summary>
    public static async Task<List<T>> WithinAsync<T>(string operation, Func<string?, Task<Page<T>>> read, int pages)
    {
        ArgumentNullException.ThrowIfNull(read);
        return await CollectAsync(operation, Keyed(read), pages, StringComparer.Ordinal, failPastBound: false).ConfigureAwait(false);
    }

    /// <summary>The first item that matches <paramref name="match"/>, reading no page after the one that holds it; null when no page does.</summary>
    /// <exception cref="InvalidOperationException">The service gave more than <paramref name="maxPages"/> pages.</exception>
    public static async Task<T?> FirstAsync<T>(string operation, Func<string?, Task<Page<T>>> read, Func<T, bool> match, int maxPages = DefaultMaxPages)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(match);
        T? found = null;
        await ForEachAsync(operation, Keyed(read), page =>
        {
            found = page.FirstOrDefault(match);
            return found is not null;
        }, maxPages, StringComparer.Ordinal, failPastBound: true).ConfigureAwait(false);
        return found;
    }

    /// <summary>Every item of the pages <see cref="ForEachAsync"/> reads, in order.</summary>
    private static async Task<List<T>> CollectAsync<T, TKey>(string operation, Func<TKey?, Task<KeyedPage<T, TKey>>> read, int maxPages, IEqualityComparer<TKey> sameKey, bool failPastBound)
        where TKey : class
    {
        var items = new List<T>();
        await ForEachAsync(operation, read, page =>
        {
            items.AddRange(page);
            return false;
        }, maxPages, sameKey, failPastBound).ConfigureAwait(false);
        return items;
    }

    /// <summary>A string token read as a keyed one: an empty token ends the pages like a missing one.</summary>
    private static Func<string?, Task<KeyedPage<T, string>>> Keyed<T>(Func<string?, Task<Page<T>>> read) =>
        async token =>
        {
            var page = await read(token).ConfigureAwait(false);
            return new KeyedPage<T, string>(page.Items, string.IsNullOrEmpty(page.Next) ? null : page.Next);
        };

    /// <summary>Hands each page to <paramref name="take"/> until it returns true or the pages end.</summary>
    private static async Task ForEachAsync<T, TKey>(string operation, Func<TKey?, Task<KeyedPage<T, TKey>>> read, Func<IEnumerable<T>, bool> take, int maxPages, IEqualityComparer<TKey> sameKey, bool failPastBound)
        where TKey : class
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        TKey? token = null;
        for (var n = 0; n < maxPages; n++)
        {
            var page = await read(token).ConfigureAwait(false);
            if (take(page.Items ?? []) || page.Next is null || (token is not null && sameKey.Equals(page.Next, token)))
            {
                return;
            }

            token = page.Next;
        }

        if (failPastBound)
        {
            throw new InvalidOperationException($"{operation} returned more than {maxPages} pages.");
        }
    }
}
