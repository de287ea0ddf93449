using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.Ports;

/// <summary>The fix budgets of each service and account; a reservation must hold when many invocations run at once.</summary>
public interface IFixBudget
{
    /// <summary>Atomically takes one fix from the service and account budgets; null when reserved, else why not.</summary>
    Task<string?> TryReserveFixAsync(string serviceKey, string reservationId, DateTimeOffset now, PolicySettings limits, CancellationToken cancellationToken);

    /// <summary>Returns a reservation whose update did not happen.</summary>
    Task ReleaseFixAsync(string serviceKey, string reservationId, CancellationToken cancellationToken);
}
