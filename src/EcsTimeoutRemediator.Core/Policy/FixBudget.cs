using System.Globalization;

namespace EcsTimeoutRemediator.Policy;

/// <summary>One fix counted against a budget.</summary>
public sealed record BudgetEntry(string ReservationId, DateTimeOffset At);

/// <summary>The budget rules, shared by every ledger implementation so they cannot drift apart.</summary>
public static class FixBudget
{
    public static readonly TimeSpan ServiceWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan AccountWindow = TimeSpan.FromHours(1);

    /// <summary>Null when one more fix fits both budgets now; else the reason, in words.</summary>
    public static string? Check(IReadOnlyList<BudgetEntry> service, IReadOnlyList<BudgetEntry> account, DateTimeOffset now, PolicySettings limits)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(limits);
        var inDay = service.Where(e => e.At > now - ServiceWindow).ToList();
        if (inDay.Count >= limits.MaxFixesPerServicePerDay)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the service already had {inDay.Count} automatic fix(es) in the last 24 hours (budget {limits.MaxFixesPerServicePerDay})");
        }

        var last = inDay.Count == 0 ? (DateTimeOffset?)null : inDay.Max(e => e.At);
        if (last is { } l && now - l < limits.MinTimeBetweenFixesOnAService)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the service had an automatic fix {(now - l).TotalMinutes:0} minute(s) ago; at most one per {limits.MinTimeBetweenFixesOnAService.TotalMinutes:0} minutes");
        }

        var inHour = account.Count(e => e.At > now - AccountWindow);
        if (inHour >= limits.MaxFixesPerAccountPerHour)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the account already had {inHour} automatic fix(es) in the last hour (budget {limits.MaxFixesPerAccountPerHour})");
        }

        return null;
    }

    /// <summary>
    /// The account and Region a service key (<c>account:region:cluster/service</c>) belongs to: the scope of the
    /// account budget, so that one organization-wide deployment keeps a budget per account and Region.
    /// </summary>
    public static string AccountScopeOf(string serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        var first = serviceKey.IndexOf(':', StringComparison.Ordinal);
        var second = first < 0 ? -1 : serviceKey.IndexOf(':', first + 1);
        return second < 0 ? serviceKey : serviceKey[..second];
    }

    /// <summary>The entries still worth keeping (inside the longest window).</summary>
    public static List<BudgetEntry> Prune(IEnumerable<BudgetEntry> entries, DateTimeOffset now, TimeSpan window) =>
        [.. entries.Where(e => e.At > now - window)];
}
