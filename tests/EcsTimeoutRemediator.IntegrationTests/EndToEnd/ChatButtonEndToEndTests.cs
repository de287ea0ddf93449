using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.IntegrationTests.Ledger;
using EcsTimeoutRemediator.IntegrationTests.Template;
using EcsTimeoutRemediator.Policy;

namespace EcsTimeoutRemediator.IntegrationTests.EndToEnd;

/// <summary>
/// The chat buttons as a person uses them: the advisory SNS delivers (the Chatbot notification) carries the
/// variables; the stack's custom action, given those variables as Chatbot substitutes them, is run with the aws CLI
/// against the emulator, and the service changes as the advisory said it would.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ChatButtonEndToEndTests(MotoServer moto) : IAsyncLifetime
{
    private BrokenAccount _account = null!;
    private string _table = "";
    private AwsEnvironment? _environment;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _account = await BrokenAccount.CreateAsync(moto);
        _table = await LedgerTable.CreateAsync(moto);
        _environment = AwsEnvironment.Point(moto.Url);
    }

    public Task DisposeAsync()
    {
        _environment?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RaiseGraceButton_WhenPressedOnTheDeliveredAdvisory_ShouldSetTheGracePeriodTheAdvisoryNames()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet, withTargetGroup: true);
        using var root = Root();

        await HandleAsync(root, _account.BootTimeElbFailure(seconds: 25));

        var context = ContextOf(Assert.Single(await _account.ReadAdvisoriesAsync()).Message);
        Assert.Equal(_account.AccountId, context["account"]);
        Press("ChatActionRaiseGrace", context);
        Assert.Equal(int.Parse(context["gracePeriod"], System.Globalization.CultureInfo.InvariantCulture), await GraceAsync());
        Assert.Equal(120, await GraceAsync());
    }

    [Fact]
    public async Task PublicIpButton_WhenPressedForAServiceInAPublicSubnet_ShouldGiveItsTasksAPublicIpAndKeepItsNetwork()
    {
        await _account.CreateServiceAsync("api", _account.PublicSubnet);
        using var root = Root();

        await HandleAsync(root, _account.Event("image-pull-network", "api", _account.PublicSubnet));

        var context = ContextOf(Assert.Single(await _account.ReadAdvisoriesAsync()).Message);
        Press("ChatActionPublicIp", context);
        var network = await NetworkAsync();
        Assert.Equal("ENABLED", network.AssignPublicIp);
        Assert.Equal([_account.PublicSubnet], network.Subnets);
        Assert.Equal([_account.TaskSecurityGroup], network.SecurityGroups);
    }

    [Fact]
    public async Task Advisory_WhenTheSubnetIsPrivate_ShouldOfferNoPublicIpButton()
    {
        await _account.CreateServiceAsync("api", _account.PrivateSubnet);
        using var root = Root();

        await HandleAsync(root, _account.Event("image-pull-network", "api", _account.PrivateSubnet));

        using var chat = JsonDocument.Parse(Assert.Single(await _account.ReadAdvisoriesAsync()).Message);
        Assert.False(chat.RootElement.GetProperty("metadata").TryGetProperty("additionalContext", out _));
    }

    private CompositionRoot Root(AutoFixMode mode = AutoFixMode.Enforce) =>
        CompositionRoot.ForCli(
            new Settings
            {
                Region = MotoServer.Region,
                AdvisoryTopicArn = _account.TopicArn,
                LedgerTableName = _table,
                Policy = new PolicySettings { Mode = mode, EvidenceCount = 2 },
            },
            TextWriter.Null,
            clients => new EcsTimeoutRemediator.Aws.Adapters.SnsAdvisoryPublisher(clients.Sns, _account.TopicArn));

    private static async Task<DecisionRecord> HandleAsync(CompositionRoot root, string eventJson) =>
        await root.Pipeline.HandleAsync(Encoding.UTF8.GetBytes(eventJson), CancellationToken.None);

    private static Dictionary<string, string> ContextOf(string chatbotJson) =>
        (JsonNode.Parse(chatbotJson)!["metadata"]!["additionalContext"] ?? throw new Xunit.Sdk.XunitException("no additionalContext in " + chatbotJson)).AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);

    /// <summary>
    /// Runs the stack's custom action <paramref name="logicalId"/> as Chatbot would for a notification with
    /// <paramref name="context"/>: its attachment must apply, its variables are substituted, and the command runs
    /// (the CLI, against the emulator).
    /// </summary>
    private void Press(string logicalId, Dictionary<string, string> context)
    {
        var template = TemplateFiles.Template;
        var properties = new TemplateEvaluator(template, new Dictionary<string, string>
        {
            ["ChatChannelArns"] = "arn:aws:chatbot::123456789012:chat-configuration/slack-channel/oncall",
            ["AWS::AccountId"] = _account.AccountId,
        }).Resolve(template.Resource(logicalId)["Properties"])!;
        var attachment = properties["Attachments"]!.AsArray().FirstOrDefault(a => ChatButtonTemplateTests.Satisfies(a!, context));
        Assert.True(attachment is not null, $"{logicalId} does not show on a notification with {string.Join(',', context.Keys)}");
        var variables = attachment!["Variables"]!.AsObject().ToDictionary(v => v.Key, v => context[ChatButtonTemplateTests.PathKey((string)v.Value!)], StringComparer.Ordinal);
        var words = ((string)properties["Definition"]!["CommandText"]!).Split(' ').Select(w => w.StartsWith('$') ? variables[w[1..]] : w);

        var start = new ProcessStartInfo("aws", ["--endpoint-url", moto.Url, "--output", "json", .. words])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var cli = Process.Start(start)!;
        var stderr = cli.StandardError.ReadToEndAsync();
        _ = cli.StandardOutput.ReadToEnd();
        cli.WaitForExit();
        Assert.True(cli.ExitCode == 0, $"aws {string.Join(' ', words)} exited {cli.ExitCode}: {stderr.Result}");
    }

    private async Task<int> GraceAsync()
    {
        using var ecs = moto.CreateEcsClient();
        var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = BrokenAccount.Cluster, Services = ["api"] });
        return services.Services[0].HealthCheckGracePeriodSeconds;
    }

    private async Task<EcsAwsVpcConfiguration> NetworkAsync()
    {
        using var ecs = moto.CreateEcsClient();
        var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = BrokenAccount.Cluster, Services = ["api"] });
        return services.Services[0].NetworkConfiguration!.AwsVpcConfiguration!;
    }
}
