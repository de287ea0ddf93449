using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>The chat buttons template.yaml defines, compared with the buttons the code declares (<see cref="ChatActions"/>).</summary>
public sealed partial class ChatButtonTemplateTests
{
    private const string Channel = "arn:aws:chatbot::123456789012:chat-configuration/slack-channel/oncall";

    private static Dictionary<string, string> WithChannel => new() { ["ChatChannelArns"] = Channel };

    [Fact]
    public void CustomActions_WhenComparedWithTheCode_ShouldDefineEveryDeclaredButtonExactlyAndNoOther()
    {
        var template = TemplateFiles.Template;
        var evaluator = new TemplateEvaluator(template, WithChannel);
        var defined = template.ResourcesOfType("AWS::Chatbot::CustomAction").ToList();

        Assert.Equal(ChatActions.All.Select(a => a.Name).Order(StringComparer.Ordinal), defined.Select(d => (string)d.Value["Properties"]!["ActionName"]!).Order(StringComparer.Ordinal));
        foreach (var action in ChatActions.All)
        {
            var resource = defined.Single(d => (string?)d.Value["Properties"]!["ActionName"] == action.Name).Value;
            Assert.Equal("HasChatChannels", (string?)resource["Condition"]);
            var properties = evaluator.Resolve(resource["Properties"])!;
            Assert.Equal(action.CommandText, (string?)properties["Definition"]!["CommandText"]);

            var attachments = properties["Attachments"]!.AsArray();
            Assert.Equal(
                ChatActions.CategoriesOf(action).Select(ChatbotFormat.EventTypeOf).Order(StringComparer.Ordinal),
                attachments.Select(a => (string)a!["NotificationType"]!).Order(StringComparer.Ordinal));
            foreach (var attachment in attachments)
            {
                Assert.Equal(action.ButtonText, (string?)attachment!["ButtonText"]);
                var expectedVariables = new JsonObject(ChatActions.AttachmentVariables(action).Select(v => KeyValuePair.Create(v.Token, (JsonNode?)v.Path)));
                Assert.True(JsonNode.DeepEquals(expectedVariables, attachment["Variables"]), attachment["Variables"]!.ToJsonString());

                // Every variable of the command must have a value, and the advisory must be about this account.
                var expectedCriteria = new JsonArray([
                    .. action.Variables.Select(v => (JsonNode)new JsonObject { ["Operator"] = "HAS_VALUE", ["VariableName"] = v.Token }),
                    new JsonObject { ["Operator"] = "EQUALS", ["VariableName"] = ChatActions.Account.Token, ["Value"] = "123456789012" },
                ]);
                Assert.True(JsonNode.DeepEquals(expectedCriteria, attachment["Criteria"]), attachment["Criteria"]!.ToJsonString());
            }
        }
    }

    [Fact]
    public void Attachments_WhenTheirCriteriaAndCommandNameVariables_ShouldNameOnlyVariablesTheNotificationDefines()
    {
        var template = TemplateFiles.Template;
        var known = ChatActions.AllVariables.ToDictionary(v => v.Token, v => v.Path, StringComparer.Ordinal);

        foreach (var (logicalId, resource) in template.ResourcesOfType("AWS::Chatbot::CustomAction"))
        {
            var properties = resource["Properties"]!;
            var commandVariables = VariableReference().Matches((string)properties["Definition"]!["CommandText"]!).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(commandVariables);
            foreach (var attachment in properties["Attachments"]!.AsArray())
            {
                var extracted = attachment!["Variables"]!.AsObject();
                Assert.All(extracted, v => Assert.Equal(known[v.Key], (string?)v.Value));
                Assert.All(commandVariables, v => Assert.True(extracted.ContainsKey(v), $"{logicalId}'s command takes ${v}, which its attachment does not extract"));
                Assert.All(attachment["Criteria"]!.AsArray(), c => Assert.True(extracted.ContainsKey((string)c!["VariableName"]!), $"{logicalId} tests {c["VariableName"]}, which it does not extract"));
            }
        }
    }

    [Fact]
    public void CommandText_WhenAGoldenNotificationsVariablesAreSubstituted_ShouldRunTheCodesCommandWithThoseValues()
    {
        var template = TemplateFiles.Template;
        var goldens = Directory.GetFiles(GoldenDirectory, "*.chat-context.json");
        Assert.NotEmpty(goldens);
        var shownAnywhere = 0;

        foreach (var golden in goldens)
        {
            var context = JsonNode.Parse(File.ReadAllText(golden))!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);
            var account = context.GetValueOrDefault(ChatActions.Account.Name, "123456789012");
            var evaluator = new TemplateEvaluator(template, new Dictionary<string, string>(WithChannel) { ["AWS::AccountId"] = account });
            foreach (var (_, resource) in template.ResourcesOfType("AWS::Chatbot::CustomAction"))
            {
                var properties = evaluator.Resolve(resource["Properties"])!;
                var action = ChatActions.All.Single(a => a.Name == (string?)properties["ActionName"]);
                var shows = properties["Attachments"]!.AsArray().Any(a => Satisfies(a!, context));
                Assert.Equal(ChatActions.ShownFor(context).Contains(action), shows);
                if (!shows)
                {
                    continue;
                }

                shownAnywhere++;
                var extracted = properties["Attachments"]![0]!["Variables"]!.AsObject();
                var command = VariableReference().Replace((string)properties["Definition"]!["CommandText"]!, m => context[PathKey((string)extracted[m.Groups[1].Value]!)]);
                // Chatbot splits the command on spaces; values are printable ASCII without spaces.
                Assert.Equal(action.Command.Select(w => w.StartsWith('$') ? context[ChatActions.VariableOfToken(w[1..]).Name] : w), command.Split(' '));
            }
        }

        Assert.True(shownAnywhere >= 4, $"only {shownAnywhere} buttons showed on the golden notifications");
    }

    [Theory]
    [InlineData("444455556666", false)]
    [InlineData("111122223333", true)]
    public void RaiseGraceButton_WhenTheAdvisoryNamesAnAccount_ShouldShowOnlyForTheStacksOwnAccount(string advisoryAccount, bool shows)
    {
        // An organization-wide stack advises on member accounts, but a button runs in the channel's account: it
        // must not update a same-named service there.
        var template = TemplateFiles.Template;
        var evaluator = new TemplateEvaluator(template, new Dictionary<string, string>(WithChannel) { ["AWS::AccountId"] = "111122223333" });
        var context = new Dictionary<string, string>
        {
            ["account"] = advisoryAccount, ["region"] = "us-east-1", ["cluster"] = "payments", ["service"] = "api", ["gracePeriod"] = "120",
        };

        var properties = evaluator.Resolve(template.Resource("ChatActionRaiseGrace")["Properties"])!;

        Assert.Equal(shows, properties["Attachments"]!.AsArray().Any(a => Satisfies(a!, context)));
    }

    [Fact]
    public void ChatChannelFixPolicy_WhenComparedWithTheButtons_ShouldGrantExactlyTheActionsTheyRunInThisAccount()
    {
        var template = TemplateFiles.Template;
        var policy = new TemplateEvaluator(template, WithChannel).Resolve(template.Resource("ChatChannelFixPolicy")["Properties"]!["PolicyDocument"])!;
        Assert.Equal("HasChatChannels", (string?)template.Resource("ChatChannelFixPolicy")["Condition"]);

        var statements = policy["Statement"]!.AsArray();
        var granted = statements.SelectMany(s => Strings(s!["Action"])).Order(StringComparer.Ordinal);
        var run = ChatActions.All.Select(a => IamActionOf(a.Command)).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(run, granted);
        Assert.All(statements, s =>
        {
            Assert.Equal("Allow", (string?)s!["Effect"]);
            Assert.Null(s["Condition"]);
            Assert.All(Strings(s["Resource"]), r => Assert.Matches(@"^arn:aws:(ecs|logs):\*:123456789012:(service/\*|log-group:\*)$", r));
        });
    }

    [Fact]
    public void ChatResources_WhenNoChannelIsGiven_ShouldAllBeLeftOut()
    {
        var template = TemplateFiles.Template;

        Assert.False(new TemplateEvaluator(template).Condition("HasChatChannels"));
        Assert.True(new TemplateEvaluator(template, WithChannel).Condition("HasChatChannels"));
        var chat = template["Resources"]!.AsObject().Where(r => ((string)r.Value!["Type"]!).StartsWith("AWS::Chatbot::", StringComparison.Ordinal) || r.Key.StartsWith("Chat", StringComparison.Ordinal)).ToList();
        Assert.Equal(ChatActions.All.Count + 1, chat.Count);
        Assert.All(chat, r => Assert.Equal("HasChatChannels", (string?)r.Value!["Condition"]));
        Assert.All(template["Outputs"]!.AsObject().Where(o => o.Key.StartsWith("Chat", StringComparison.Ordinal)), o => Assert.Equal("HasChatChannels", (string?)o.Value!["Condition"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SamTransform_WhenChatChannelsAreGivenOrNot_ShouldKeepTheButtonsForCloudFormationToDecide(bool withChannel)
    {
        var arguments = new List<string> { TemplateFiles.ToolsPath, "transform", TemplateFiles.TemplatePath };
        if (withChannel)
        {
            arguments.Add("ChatChannelArns=" + Channel);
        }

        var result = TemplateFiles.Run("python3", [.. arguments]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var translated = JsonNode.Parse(result.Stdout)!.AsObject();
        Assert.Equal(ChatActions.All.Count, translated.ResourcesOfType("AWS::Chatbot::CustomAction").Count());
        Assert.Equal(withChannel, new TemplateEvaluator(translated, withChannel ? WithChannel : null).Condition("HasChatChannels"));
    }

    /// <summary>The Core tests' golden files: the notification variables of each diagnosed world.</summary>
    private static string GoldenDirectory => Path.Combine(LambdaRuntime.LambdaPackage.RepositoryRoot, "tests", "EcsTimeoutRemediator.Core.Tests", "Advisories", "Formats", "Golden");

    /// <summary>Whether Chatbot attaches <paramref name="attachment"/> to a notification with <paramref name="context"/>.</summary>
    /// <summary>
    /// Whether Chatbot would attach the button to a notification with <paramref name="context"/>: each criterion
    /// names a variable the attachment extracts, whose value is the notification field its path names.
    /// </summary>
    internal static bool Satisfies(JsonNode attachment, Dictionary<string, string> context)
    {
        var extracted = attachment["Variables"]!.AsObject();
        string? ValueOf(JsonNode criterion) =>
            extracted[(string)criterion["VariableName"]!] is { } path && context.TryGetValue(PathKey((string)path!), out var value) ? value : null;

        return attachment["Criteria"]!.AsArray().All(c => (string)c!["Operator"]! switch
        {
            "HAS_VALUE" => ValueOf(c) is not null,
            "EQUALS" => ValueOf(c) == (string?)c["Value"],
            var other => throw new InvalidOperationException($"unknown operator {other}"),
        });
    }

    /// <summary>The notification variable an attachment's variable path names.</summary>
    internal static string PathKey(string path) => path.StartsWith(ChatActions.ContextPath, StringComparison.Ordinal)
        ? path[ChatActions.ContextPath.Length..]
        : throw new InvalidOperationException($"{path} is not a notification variable");

    /// <summary><c>ecs update-service</c> → <c>ecs:UpdateService</c>: the IAM action of a CLI command.</summary>
    private static string IamActionOf(IReadOnlyList<string> command) =>
        command[0] + ":" + string.Concat(command[1].Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(x => (string)x!),
        null => [],
        _ => [(string)node!],
    };

    [GeneratedRegex(@"\$([A-Za-z0-9_-]+)")]
    private static partial Regex VariableReference();
}
