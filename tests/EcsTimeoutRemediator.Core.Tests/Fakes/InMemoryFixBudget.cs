using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>An in-memory <see cref="IFixBudget"/> with the same rules as the DynamoDB one (<see cref="FixBudget"/>), safe under concurrency.</summary>
public sealed class InMemoryFixBudget : IFixBudget
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<BudgetEntry>> _budgets = [];

    public Task<string?> TryReserveFixAsync(string serviceKey, string reservationId, DateTimeOffset now, PolicySettings limits, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var service = Budget("service|" + serviceKey);
            var account = Budget("account|" + FixBudget.AccountScopeOf(serviceKey));
            if (service.Any(e => e.ReservationId == reservationId))
            {
                return Task.FromResult<string?>(null);
            }

            if (FixBudget.Check(service, account, now, limits) is { } denied)
            {
                return Task.FromResult<string?>(denied);
            }

            service.Add(new BudgetEntry(reservationId, now));
            account.Add(new BudgetEntry(reservationId, now));
            return Task.FromResult<string?>(null);
        }
    }

    public Task ReleaseFixAsync(string serviceKey, string reservationId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Budget("service|" + serviceKey).RemoveAll(e => e.ReservationId == reservationId);
            Budget("account|" + FixBudget.AccountScopeOf(serviceKey)).RemoveAll(e => e.ReservationId == reservationId);
        }

        return Task.CompletedTask;
    }


    private List<BudgetEntry> Budget(string key)
    {
        if (!_budgets.TryGetValue(key, out var list))
        {
            _budgets[key] = list = [];
        }

        return list;
    }
}
