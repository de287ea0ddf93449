using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Remediation;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EcsTimeoutRemediator.Tests.Pipeline;

/// <summary>
/// A stop the classifier does not know is a gap to close: its log line carries the reasons with the names masked, so
/// the operator can query the unknown stops and share them without the account's names or ids.
/// </summary>
public class ClassifiedLogTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly ListLogSink _log = new();
    private readonly CountingMetrics _metrics = new();
    private readonly InMemoryLedger _ledger = new();
    private readonly FakeAccount _account = Scenarios.WithTargetGroup(Scenarios.PrivateSubnetWithoutEgress());

    private EcsTimeoutRemediator.Pipeline Pipeline() =>
        new(new ContextGatherer(_account, _account, _account),
            new Remediator(_account, _ledger.Fixes, _ledger.Budget, _ledger.Audit, new PolicySettings(), _clock, _log, _metrics),
            _ledger.Events, _ledger.Incidents, _ledger.Evidence, new RecordingPublisher(), _log, _metrics, _clock);

    private static ReadOnlyMemory<byte> Event(string name, string? stoppedReason = null)
    {
        var node = JsonNode.Parse(EventFiles.Read(name))!;
        if (stoppedReason is not null)
        {
            node["detail"]!["stoppedReason"] = stoppedReason;
        }

        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private string? MaskedReasonLogged() =>
        _log.Entries.Single(e => e.Message == "task classified").Fields.SingleOrDefault(f => f.Key == "maskedReason").Value;

    [Fact]
    public async Task HandleAsync_WhenTheStopIsUnknown_ShouldLogItsReasonWithNamesMasked()
    {
        await Pipeline().HandleAsync(
            Event("unknown", "VolumeMount: odd failure for arn:aws:iam::210987654321:role/payments-exec in account 210987654321 (ops@payments.example.com)"),
            CancellationToken.None);

        var masked = MaskedReasonLogged();
        Assert.NotNull(masked);
        Assert.StartsWith("VolumeMount: odd failure for arn:aws:iam::123456789012:role/x in account 123456789012 (user@example.com)", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("payments", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("210987654321", masked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheStopIsClassified_ShouldNotLogItsReason()
    {
        await Pipeline().HandleAsync(Event("exit-essential"), CancellationToken.None);

        Assert.Null(MaskedReasonLogged());
    }
}
