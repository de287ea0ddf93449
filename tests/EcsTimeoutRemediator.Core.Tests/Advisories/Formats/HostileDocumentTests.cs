using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Serialization;
using EcsTimeoutRemediator.Tests.Fakes;
using EcsTimeoutRemediator.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

/// <summary>
/// Hostile text in every field that comes from the account or the event (the stop reason, the container's reason,
/// name and image, the service, cluster and task family, secret and parameter names, the log group, an opt-in tag's
/// value, a finding's ids and values, the subnets and security groups an undo command names), rendered through every
/// renderer of the one document: the chat formats carry no live mention or link and no broken code span; every
/// command any rendering shows is one of the document's, whole; and every command of the document (its steps and
/// its undo commands), split by bash, gives back exactly the argv it was built from.
/// </summary>
public sealed partial class HostileDocumentTests
{
    private static readonly string[] Hostile =
    [
        "<!channel>", "<!here>", "<@U024BE7LH>", "<#C024BE7LR>", "<https://example.com|click>", "`", "```", "*bold*", "_", "~",
        "\n", "$(id)", "'", "\"", ";", "|", "&&", "&amp;", ">", "<", "🐳", "api", "x",
    ];

    private static readonly string[] Samples = ["image-pull-network", "health-elb", "secrets-permission", "logs-not-found", "exit-oom", "image-pull-not-found"];

    private static Gen<string> HostileText => Gen.ArrayOf(Gen.Elements(Hostile)).Select(parts => string.Concat(parts));

    [Property(MaxTest = 100)]
    public Property Render_WhenEveryAccountFieldIsHostile_ShouldKeepChatInertAndEveryCommandExact()
    {
        var fields = from sample in Gen.Elements(Samples)
                     from service in Gen.OneOf(HostileText.Select(s => (string?)s), Gen.Constant<string?>(null))
                     from values in Gen.ArrayOf(HostileText, 12)
                     select (sample, service, values);
        return Prop.ForAll(fields.ToArbitrary(), c =>
        {
            var h = new HostileFields(c.values);
            var (advisory, explanation) = Build(c.sample, c.service, h);
            var document = advisory.Document;

            // The chat formats: nothing live, no broken span, only the document's commands and only whole.
            var chatbot = ChatbotFormat.Render(advisory);
            var slack = JsonDocument.Parse(SlackFormat.ToJson(SlackFormat.Render(advisory))).RootElement;
            string[] chatbotTexts = [chatbot.Content.Title, chatbot.Content.Description, chatbot.Metadata.Summary!, .. chatbot.Content.NextSteps, .. chatbot.Content.Keywords];
            var slackTexts = HostileTextTests.MarkdownTexts(slack).Append(slack.GetProperty("text").GetString()!).ToList();
            Assert.All(chatbotTexts, HostileTextTests.AssertInert);
            Assert.All(slackTexts, HostileTextTests.AssertInert);

            var commands = document.Steps.Select(s => s.Command).Concat(document.Fixes.Select(f => f.RevertCommand).OfType<string>()).ToHashSet(StringComparer.Ordinal);
            var shown = ChatbotCommands(chatbot).Concat(SlackCommands(slackTexts)).ToList();
            Assert.All(shown, command => Assert.True(commands.Contains(command), $"not a command of the document: {command}\n--- the document's:\n{string.Join("\n", commands)}"));
            Assert.All(document.Fixes.Select(f => f.RevertCommand).OfType<string>().Where(Mrkdwn.FitsCode), revert => Assert.Contains(revert, shown));
            Assert.All(document.Steps.Take(SlackLimits.Steps).Where(s => !s.Command.Contains("```", StringComparison.Ordinal) && s.Command.Length < 2_000), s => Assert.Contains(s.Command, shown));

            // A finding's ids are code spans in chat, its values escaped text.
            var finding = Assert.Single(document.Findings, f => f.Check == "route");
            Assert.Contains(Mrkdwn.Sentence(finding.Sentence), string.Join('\n', slackTexts), StringComparison.Ordinal);

            // The plain renderings show every command whole on its own line, and each finding's plain sentence.
            var email = EmailFormat.Render(advisory);
            foreach (var text in new[] { advisory.Body, email })
            {
                Assert.All(document.Steps, s => Assert.Contains($"\n     {s.Command}\n", text, StringComparison.Ordinal));
                Assert.All(document.Fixes.Where(f => f.RevertCommand is not null), f => Assert.Contains($"\n     undo: {f.RevertCommand}\n", text, StringComparison.Ordinal));
                Assert.Contains($"  [MISSING] {finding.Sentence.Plain}\n", text, StringComparison.Ordinal);
            }

            var explain = explanation.ToText();
            Assert.All(explanation.Document.Steps, s => Assert.Contains($"\n     {s.Command}\n", explain, StringComparison.Ordinal));
            var doctor = PlainText.Doctor(DoctorReportOf(advisory));
            Assert.All(document.Steps.Where(s => s.Fix is not null && s.Kind == StepKind.Change), s => Assert.Contains($"\n     {s.Command}\n", doctor, StringComparison.Ordinal));
            Assert.Contains(finding.Sentence.Plain, doctor, StringComparison.Ordinal);

            // The JSON (handle's output, the journal) carries the same commands as strings.
            var json = JsonNode.Parse(JsonSerializer.Serialize(advisory, RemediatorJsonContext.Default.Advisory))!;
            Assert.Equal(document.Steps.Select(s => s.Command), json["nextSteps"]!.AsArray().Select(s => (string)s!["command"]!));
            Assert.Equal(document.Fixes.Select(f => f.RevertCommand), json["fixes"]!.AsArray().Select(f => (string?)f!["revert"]));

            // Every command of the document, split by bash, is exactly its argv.
            var built = document.Steps.Select(s => (s.Command, Argv: s.Argv.SelectMany(a => a).ToList()))
                .Concat(explanation.Document.Steps.Select(s => (s.Command, Argv: s.Argv.SelectMany(a => a).ToList())))
                .Concat(document.Fixes.Where(f => f.Revert is not null).Select(f => (Command: f.RevertCommand!, Argv: f.Revert!.ToList())))
                .ToList();
            Assert.All(built, b => Assert.NotEmpty(b.Argv));
            Assert.Equal(2, document.Fixes.Count(f => f.Revert is not null));
            var split = CommandQuotingTests.ShellSplit([.. built.Select(b => b.Command)]);
            Assert.Equal(built.Select(b => b.Argv), split);
        });
    }

    /// <summary>The twelve hostile values, by the field each one goes into.</summary>
    private sealed record HostileFields(string[] V)
    {
        public string Reason => V[0];
        public string ContainerReason => V[1];
        public string Container => V[2];
        public string Image => V[3];
        public string Cluster => V[4];
        public string Family => V[5];
        public string Secret => V[6];
        public string Parameter => V[7];
        public string LogGroup => V[8];
        public string TagValue => V[9];
        public string FindingId => V[10];
        public string FindingValue => V[11];
    }

    private static (Advisory Advisory, Explanation Explanation) Build(string sample, string? service, HostileFields h)
    {
        var e = EventOf(sample, service, h);
        var c = Classifier.Classify(e.Facts);
        c = c with
        {
            Evidence = c.Evidence with
            {
                SecretArns = [$"arn:aws:secretsmanager:us-east-1:111122223333:secret:{h.Secret}", $"arn:aws:ssm:us-east-1:111122223333:parameter/{h.Parameter}"],
                LogGroup = h.LogGroup,
            },
        };

        Finding[] findings =
        [
            Finding.Of("route", FindingStatus.Missing, Sentence.Of($"{Sentence.Id(h.FindingId)} has no route to the internet ({h.FindingValue})."), [h.FindingId], FixId.AddNatRoute) with { Headline = h.FindingValue, Detail = h.FindingValue },
            Finding.Of("security-group-egress", FindingStatus.Ok, Sentence.Of($"{Sentence.Id(h.FindingId)} allows HTTPS out to {h.FindingValue}."), [h.FindingId]),
            new Finding("log-group", FindingStatus.Unknown, "could not read " + h.LogGroup, [h.LogGroup]),
        ];

        var advisory = AdvisoryBuilder.Build(TaskIdentity.From(e), c, findings, NextSteps.For(e, c), Outcomes(e, EventOf("health-elb", service, h), c, service ?? h.Family, h), h.ContainerReason);
        return (advisory, Explanation.Of(e));
    }

    /// <summary>The sample event with every field the account or the event controls set to hostile text.</summary>
    private static TaskStoppedEvent EventOf(string sample, string? service, HostileFields h)
    {
        var json = JsonNode.Parse(EventFiles.Read(sample))!;
        var detail = json["detail"]!;
        detail["stoppedReason"] = (string?)detail["stoppedReason"] + h.Reason;
        detail["clusterArn"] = "arn:aws:ecs:us-east-1:111122223333:cluster/" + h.Cluster;
        detail["group"] = service is null ? "family:" + h.Family : "service:" + service;
        detail["taskDefinitionArn"] = $"arn:aws:ecs:us-east-1:111122223333:task-definition/{h.Family}:7";
        var container = detail["containers"]![0]!;
        container["name"] = h.Container;
        container["image"] = h.Image;
        container["reason"] = h.ContainerReason;
        return EventParser.Parse(json.ToJsonString()) is ParseResult.Parsed p ? p.Event : throw new InvalidOperationException($"{sample} no longer parses");
    }

    /// <summary>What the real fixes decide for a service and network named by hostile text: both undo commands, and a skip that quotes a tag's value.</summary>
    private static IReadOnlyList<FixOutcome> Outcomes(TaskStoppedEvent e, TaskStoppedEvent startedThenKilled, ClassificationResult c, string service, HostileFields h)
    {
        var optIn = OptIn.From(Scenarios.Service(service) with { Tags = new Dictionary<string, string> { [OptIn.AutoFixTag] = h.TagValue } }, AutoFixes.Ids);
        var grace = new RaiseHealthCheckGraceFix().Evaluate(new FixInput(startedThenKilled, c, InfrastructureContext.Empty, Scenarios.Service(service, grace: 30), optIn, new PolicySettings(), 5));
        var subnet = h.FindingId;
        var group = h.FindingValue;
        var network = new InfrastructureContext
        {
            Network = new NetworkFacts(
                [new SubnetFacts(subnet, "vpc-1", "us-east-1a", null, 10, true)],
                [new RouteTableFacts("rtb-1", "vpc-1", true, [subnet], [new RouteFacts("0.0.0.0/0", null, "igw-1", null, "active")])],
                [],
                [new SecurityGroupFacts(group, null, "vpc-1", [], [])],
                []),
        };
        var publicIp = new EnableAssignPublicIpFix().Evaluate(new FixInput(e, c, network, Scenarios.Service(service) with { Network = new AwsVpcFacts([subnet], [group], false) }, optIn, new PolicySettings(), 1));
        var plans = new[] { grace, publicIp }.Select(x => x.Plan ?? throw new InvalidOperationException($"no plan: {x.SkipReason}"));
        return
        [
            .. plans.Select(plan => new FixOutcome(plan.Fix, FixResult.Applied, $"changed {plan.Setting} from {plan.Before} to {plan.After} on {e.ClusterName}/{plan.Update.Service}")
            {
                Before = plan.Before,
                After = plan.After,
                Revert = plan.Revert,
                Notable = true,
            }),
            FixOutcome.Skipped(FixId.RaiseHealthCheckGrace, $"the opt-in tags are invalid, so they count as no opt-in: {string.Join("; ", optIn.Problems)} ({h.TagValue})"),
        ];
    }

    private static DoctorReport DoctorReportOf(Advisory advisory) => new()
    {
        Region = "us-east-1",
        Cluster = advisory.Task.Cluster,
        Service = advisory.Task.Service,
        Subnets = [],
        SecurityGroups = [],
        Findings = advisory.Findings,
        Fixes = [.. advisory.NextSteps.Where(s => s.Fix is not null && s.Kind == StepKind.Change).GroupBy(s => s.Fix!).Select(g => new DoctorFix(g.Key, [.. g]))],
    };

    /// <summary>The commands the Chatbot notification shows: each next step's code span, the Commands block's fences, the undo spans.</summary>
    private static IEnumerable<string> ChatbotCommands(ChatbotNotification n)
    {
        foreach (var item in n.Content.NextSteps)
        {
            if (StepSpan().Match(item) is { Success: true } m)
            {
                yield return Unescape(m.Groups[1].Value);
            }
        }

        foreach (Match m in Fence().Matches(n.Content.Description))
        {
            yield return Unescape(m.Groups[1].Value);
        }

        foreach (Match m in UndoSpan().Matches(n.Content.Description))
        {
            yield return Unescape(m.Groups[1].Value);
        }
    }

    /// <summary>The commands Slack shows: each numbered step's code block (whole, not cut) and the undo spans.</summary>
    private static IEnumerable<string> SlackCommands(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            if (SlackStep().Match(text) is { Success: true } m && !m.Groups[1].Value.EndsWith(Text.Marker, StringComparison.Ordinal))
            {
                yield return Unescape(m.Groups[1].Value);
            }

            foreach (Match u in UndoSpan().Matches(text))
            {
                yield return Unescape(u.Groups[1].Value);
            }
        }
    }

    private static string Unescape(string mrkdwn) =>
        mrkdwn.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    [GeneratedRegex(@": `([^`]*)`$")]
    private static partial Regex StepSpan();

    [GeneratedRegex(@"```([^`]*)```")]
    private static partial Regex Fence();

    [GeneratedRegex(@"undo: `([^`]*)`")]
    private static partial Regex UndoSpan();

    [GeneratedRegex(@"\A\*\d+\. .*?\*\n```\n(.*)\n```\z", RegexOptions.Singleline)]
    private static partial Regex SlackStep();
}
