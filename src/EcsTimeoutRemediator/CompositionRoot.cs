using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Slack;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Gathering;
using EcsTimeoutRemediator.Ports;

namespace EcsTimeoutRemediator;

/// <summary>
/// The one place where the pipeline is wired to AWS: built once per execution environment (the Lambda's static
/// lifetime, or one CLI run), so every client is created once and reused across invocations.
/// </summary>
public sealed class CompositionRoot : IDisposable
{
    private readonly AwsClients _clients;
    private readonly OrganizationAccounts? _organization;

    private CompositionRoot(Settings settings, AwsClients clients, IAdvisoryPublisher publisher, TextWriter logOutput, TimeProvider time, Func<ILogSink, IMetricSink, IChatChannel?>? openChat = null, Runtime.InvocationScope? scope = null)
    {
        Settings = settings;
        _clients = clients;
        Time = time;
        Log = new JsonLogSink(logOutput, time, settings.ServiceName, scope);
        Metrics = new EmfMetricSink(logOutput, time, settings.MetricsNamespace, settings.ServiceName);
        Publisher = publisher;
        Chat = openChat?.Invoke(Log, Metrics);
        var central = AwsAccountPorts.From(clients);
        Gatherer = new ContextGatherer(central);
        // The ledger table, when configured, keeps each concern under its own keys: without it nothing is fixed.
        var ledger = settings.LedgerTableName is { } table ? new DynamoDbLedgerTable(clients.DynamoDb, table) : null;
        EventJournal = ledger is null ? null : new DynamoDbEventJournal(ledger);
        FixHistory = ledger is null ? null : new DynamoDbFixHistory(ledger);
        var incidents = ledger is null ? null : new DynamoDbIncidentGate(ledger, time);
        var evidence = ledger is null ? null : new DynamoDbFailureEvidence(ledger);
        var budget = ledger is null ? null : new DynamoDbFixBudget(ledger, time);
        var audit = ledger is null ? null : new DynamoDbAuditTrail(ledger);
        Remediator = new Remediation.Remediator(central.Ecs, FixHistory, budget, audit, settings.Policy, time, Log, Metrics);

        // Organization-wide: another account's events are read and fixed through its member role.
        _organization = settings.MemberRoleName is { } memberRole
            ? new OrganizationAccounts(central, clients.Sts, new OrganizationAccountsOptions
            {
                MemberRoleName = memberRole,
                CentralRegion = settings.Region ?? "",
                CentralAccount = settings.CentralAccountId,
                MemberClients = clients.Options with { Region = null, Credentials = null },
            }, time)
            : null;
        Accounts = _organization ?? (IAccountAccess)new SingleAccount(central);
        Pipeline = new Pipeline(Accounts, Remediator, EventJournal, incidents, evidence, Publisher, Log, Metrics, time, Chat, new DeliveryOptions { ClaimLease = settings.ClaimLease });
    }

    /// <summary>Where an event's account is read: the function's own, or also the organization's member accounts.</summary>
    public IAccountAccess Accounts { get; }

    public Settings Settings { get; }
    public TimeProvider Time { get; }
    public ILogSink Log { get; }
    public IMetricSink Metrics { get; }
    public IAdvisoryPublisher Publisher { get; }

    /// <summary>The Slack channel, when configured and readable.</summary>
    public IChatChannel? Chat { get; }
    public ContextGatherer Gatherer { get; }

    /// <summary>The events' claims and journals in the ledger table (null without one).</summary>
    public IEventJournalStore? EventJournal { get; }

    /// <summary>The fix history in the ledger table (null without one), for commands that clear a fix.</summary>
    public IFixHistory? FixHistory { get; }

    public Remediation.Remediator Remediator { get; }
    public Pipeline Pipeline { get; }

    /// <summary>The ECS adapter, for commands that read or clear state outside the pipeline.</summary>
    public IEcsServices Ecs => new EcsServicesAdapter(_clients.Ecs);

    /// <summary>The Lambda's wiring: publishes to <c>ADVISORY_TOPIC_ARN</c>, logs and metrics on stdout.</summary>
    /// <remarks>Log lines carry the request id of the invocation <paramref name="scope"/> holds.</remarks>
    public static CompositionRoot ForLambda(Settings settings, TextWriter logOutput, Runtime.InvocationScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clients = AwsClients.Create(settings.Region);
        return new CompositionRoot(settings, clients, new SnsAdvisoryPublisher(clients.Sns, settings.RequireTopic()), logOutput, TimeProvider.System,
            settings.SlackWebhookParameter is { } slack ? (log, metrics) => SlackDelivery.Open(clients.Ssm, slack, log, metrics, TimeProvider.System) : null,
            scope);
    }

    /// <summary>
    /// The CLI's wiring: the same pipeline and clients; <paramref name="publisher"/> replaces SNS when the user
    /// asked not to publish.
    /// </summary>
    public static CompositionRoot ForCli(Settings settings, TextWriter logOutput, Func<AwsClients, IAdvisoryPublisher> publisher)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(publisher);
        var clients = AwsClients.Create(settings.Region);
        return new CompositionRoot(settings, clients, publisher(clients), logOutput, TimeProvider.System);
    }

    public void Dispose()
    {
        _organization?.Dispose();
        _clients.Dispose();
    }
}
