namespace EcsTimeoutRemediator.Aws.Clients.Runtime;

/// <summary>One page of a paginated AWS answer: its items and the token of the next page (null or empty: the last).</summary>
public readonly record struct Page<T>(IEnumerable<T> Items, string? Next);

/// <summary>
/// The one way this project follows an AWS pagination token (NextToken, Marker, NextMarker): page after page until
/// the service gives no token, or gives back the token it was asked with (which would loop forever), and never
/// more than a bound of pages, past which it fails rather than return part of the answer as if it were all.
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
        var items = new List<T>();
        await ForEachAsync(operation, read, page =>
        {
            items.AddRange(page);
            return false;
        }, maxPages).ConfigureAwait(false);
        return items;
    }

    /// <summary>The first item that matches <paramref name="match"/>, reading no page after the one that holds it; null when no page does.</summary>
    /// <exception cref="InvalidOperationException">The service gave more than <paramref name="maxPages"/> pages.</exception>
    public static async Task<T?> FirstAsync<T>(string operation, Func<string?, Task<Page<T>>> read, Func<T, bool> match, int maxPages = DefaultMaxPages)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(match);
        T? found = null;
        await ForEachAsync(operation, read, page =>
        {
            found = page.FirstOrDefault(match);
            return found is not null;
        }, maxPages).ConfigureAwait(false);
        return found;
    }

    /// <summary>Hands each page to <paramref name="take"/> until it returns true or the pages end.</summary>
    private static async Task ForEachAsync<T>(string operation, Func<string?, Task<Page<T>>> read, Func<IEnumerable<T>, bool> take, int maxPages)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        string? token = null;
        for (var n = 0; n < maxPages; n++)
        {
            var page = await read(token).ConfigureAwait(false);
            if (take(page.Items ?? []) || string.IsNullOrEmpty(page.Next) || page.Next == token)
            {
                return;
            }

            token = page.Next;
        }

        throw new InvalidOperationException($"{operation} returned more than {maxPages} pages.");
    }
}
