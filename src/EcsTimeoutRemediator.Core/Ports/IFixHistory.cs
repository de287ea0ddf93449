namespace EcsTimeoutRemediator.Ports;

/// <summary>A fix applied to a service, remembered so that a fix that did not cure is never applied again by itself.</summary>
public sealed record FixRecord(string Fix, string Category, DateTimeOffset AppliedAt, string Before, string After, bool Ineffective = false);

/// <summary>The fix history: what each fix last did to a service, and whether it cured; a person may clear it.</summary>
public interface IFixHistory
{
    Task<FixRecord?> GetFixAsync(string serviceKey, string fix, CancellationToken cancellationToken);

    Task RecordFixAsync(string serviceKey, FixRecord record, CancellationToken cancellationToken);

    /// <summary>Forgets a fix's history (a person clears an ineffective fix).</summary>
    Task<bool> ClearFixAsync(string serviceKey, string fix, CancellationToken cancellationToken);
}
