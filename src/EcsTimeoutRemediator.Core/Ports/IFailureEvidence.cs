namespace EcsTimeoutRemediator.Ports;

/// <summary>The failure evidence: how often a service failed the same way lately, which a fix's policy asks before it acts.</summary>
public interface IFailureEvidence
{
    /// <summary>Records one failure (idempotent per event) and returns how many of that category the service had within the window, this one included.</summary>
    Task<int> RecordFailureAsync(string serviceKey, string category, string eventKey, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken);
}
