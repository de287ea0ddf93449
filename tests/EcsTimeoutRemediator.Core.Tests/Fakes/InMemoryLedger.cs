namespace EcsTimeoutRemediator.Tests.Fakes;

/// <summary>One in-memory fake of each ledger port, as the ledger table holds them together in production.</summary>
public sealed class InMemoryLedger
{
    public InMemoryEventJournal Events { get; } = new();
    public InMemoryFailureEvidence Evidence { get; } = new();
    public InMemoryIncidentGate Incidents { get; } = new();
    public InMemoryFixHistory Fixes { get; } = new();
    public InMemoryFixBudget Budget { get; } = new();
    public InMemoryAuditTrail Audit { get; } = new();
}
