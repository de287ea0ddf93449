using System.Text.Json;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Ports;
using EcsTimeoutRemediator.Serialization;
using EcsTimeoutRemediator.Tests.Advisories.Formats;

namespace EcsTimeoutRemediator.Tests.Advisories;

/// <summary>The one advisory document: built once per decision, every format rendered from it, a journal's advisory rendered the same.</summary>
public sealed class AdvisoryDocumentTests
{
    private static readonly FixOutcome Applied = new(FixId.RaiseHealthCheckGrace, FixResult.Applied, "changed healthCheckGracePeriodSeconds from 0 to 60 on payments/api")
    {
        Before = "0",
        After = "60",
        Notable = true,
        Revert = ["aws", "ecs", "update-service", "--region", "us-east-1", "--cluster", "pay ments", "--service", "api", "--health-check-grace-period-seconds", "0"],
    };

    [Fact]
    public void Document_WhenReadAgain_ShouldBeTheOneBuiltForTheDecision()
    {
        var advisory = FormatSamples.Advisory("image-pull-network", FormatSamples.NoRouteFindings);

        Assert.Same(advisory.Document, advisory.Document);
        Assert.Equal(PlainText.Body(advisory.Document), advisory.Body);
    }

    [Fact]
    public void Document_WhenTheAdvisoryIsCopiedWithOtherSteps_ShouldBeBuiltFromTheCopy()
    {
        var advisory = FormatSamples.Advisory("image-pull-network");
        _ = advisory.Document;

        var copy = advisory with { NextSteps = [NextStep.Run("Say hello", "aws", "hello")] };

        Assert.Equal(["aws hello"], copy.Document.Steps.Select(s => s.Command));
        Assert.NotEqual(advisory.Document.Steps.Count, copy.Document.Steps.Count);
    }

    [Fact]
    public async Task Plan_WhenTheDiagnosisProvedTheCause_ShouldNameEachFixAndNumberTheStepsAcrossThem()
    {
        var advisory = await FormatSamples.NoRouteAdvisoryAsync();

        var section = Assert.Single(advisory.Document.Plan);

        Assert.Equal("How to fix it", section.Title);
        Assert.Equal(["Add the VPC endpoints the task needs [add-vpc-endpoints]", "Or instead: route 0.0.0.0/0 through a NAT gateway [add-nat-route]"], section.Options.Select(o => o.Title));
        Assert.Equal([1, 2, 3, 4], advisory.Document.Steps.Select(s => s.Number));
        Assert.All(advisory.Document.Steps, s => Assert.Equal(s.Command, Shell.Join(Assert.Single(s.Argv))));
    }

    [Fact]
    public void Document_WhenBuilt_ShouldHoldEachSectionOnce()
    {
        var advisory = AdvisoryBuilder.Build(FormatSamples.Advisory("health-elb").Task, FormatSamples.Advisory("health-elb").Classification, FormatSamples.NoRouteFindings, [], [Applied], "3 more failures since 09:10");

        var d = advisory.Document;

        Assert.Equal(("ECS task stopped", "payments/api", "failed load balancer health checks"), (d.Lead, d.Who, d.Headline));
        Assert.Equal(["MISSING", "MISSING", "ok"], d.Findings.Select(f => f.Mark));
        Assert.Equal("[APPLIED] raise-health-check-grace: changed healthCheckGracePeriodSeconds from 0 to 60 on payments/api", Assert.Single(d.Fixes).Line);
        Assert.Equal("aws ecs update-service --region us-east-1 --cluster 'pay ments' --service api --health-check-grace-period-seconds 0", d.Fixes[0].RevertCommand);
        Assert.Contains(d.Evidence, i => i.Label == "Target group" && i.Value.EndsWith("targetgroup/payments-api-tg/73e2d6bc24d8a067", StringComparison.Ordinal));
        Assert.Contains(d.Facts, i => i.Label == "Task" && i.InChat);
        Assert.Equal("3 more failures since 09:10", d.IncidentNote);
        Assert.NotNull(d.Console);
    }

    [Fact]
    public void Render_WhenTheAdvisoryIsReadBackFromTheJournal_ShouldGiveEveryFormatUnchanged()
    {
        var advisory = AdvisoryBuilder.Build(FormatSamples.Advisory("health-elb").Task, FormatSamples.Advisory("health-elb").Classification, FormatSamples.NoRouteFindings, FormatSamples.Advisory("health-elb").NextSteps, [Applied]);
        var journal = new EventJournal { Category = advisory.Classification.Category, Advisory = advisory };

        var read = JsonSerializer.Deserialize(JsonSerializer.Serialize(journal, RemediatorJsonContext.Default.EventJournal), RemediatorJsonContext.Default.EventJournal)!.Advisory!;

        Assert.Equal(EmailFormat.Render(advisory), EmailFormat.Render(read));
        Assert.Equal(ChatbotFormat.ToJson(ChatbotFormat.Render(advisory)), ChatbotFormat.ToJson(ChatbotFormat.Render(read)));
        Assert.Equal(SlackFormat.ToJson(SlackFormat.Render(advisory)), SlackFormat.ToJson(SlackFormat.Render(read)));
        Assert.Equal(advisory.Body, PlainText.Body(read.Document));
    }

    [Fact]
    public void Deserialize_WhenAJournalHoldsOnlyTheRenderedRevertCommand_ShouldKeepItAndRenderTheUndo()
    {
        const string revert = "aws ecs update-service --region us-east-1 --cluster payments --service api --health-check-grace-period-seconds 0";
        var json = $$"""
            {"category":"health/elb",
             "intents":[{"plan":{"fix":"raise-health-check-grace","update":{"cluster":"payments","service":"api","healthCheckGracePeriodSeconds":60},"setting":"healthCheckGracePeriodSeconds","before":"0","after":"60","revertCommand":"{{revert}}"},"reservation":"task-1#5:raise-health-check-grace"}],
             "fixes":[{"fix":"raise-health-check-grace","result":"Applied","message":"changed","before":"0","after":"60","revert":"{{revert}}","notable":true}]}
            """;

        var journal = JsonSerializer.Deserialize(json, RemediatorJsonContext.Default.EventJournal)!;

        var plan = Assert.Single(journal.Intents).Plan;
        Assert.Null(plan.Revert);
        Assert.Equal(revert, plan.RevertCommand);
        var outcome = Assert.Single(journal.Fixes!);
        Assert.Equal(revert, outcome.RevertCommand);
        var sample = FormatSamples.Advisory("health-elb");
        var advisory = AdvisoryBuilder.Build(sample.Task, sample.Classification, [], [], [outcome]);
        Assert.Contains("     undo: " + revert + "\n", EmailFormat.Render(advisory), StringComparison.Ordinal);
        Assert.Contains("undo: `" + revert + "`", ChatbotFormat.Render(advisory).Content.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_WhenAPlanHasItsUndoAsArgv_ShouldWriteTheArgvAndTheRenderedCommand()
    {
        var plan = new FixPlan(FixId.RaiseHealthCheckGrace, new ServiceUpdate("payments", "api") { HealthCheckGracePeriodSeconds = 60 }, "healthCheckGracePeriodSeconds", "0", "60", ["aws", "ecs", "update-service", "--cluster", "it's"]);
        var journal = new EventJournal { Category = Category.HealthElb, Intents = [new FixIntent(plan, "r")] };

        using var written = JsonDocument.Parse(JsonSerializer.Serialize(journal, RemediatorJsonContext.Default.EventJournal));
        var read = JsonSerializer.Deserialize(written.RootElement.GetRawText(), RemediatorJsonContext.Default.EventJournal)!.Intents[0].Plan;

        var element = written.RootElement.GetProperty("intents")[0].GetProperty("plan");
        Assert.Equal("aws ecs update-service --cluster 'it'\\''s'", element.GetProperty("revertCommand").GetString());
        Assert.Equal(5, element.GetProperty("revert").GetArrayLength());
        Assert.Equal(plan.Revert, read.Revert);
        Assert.Equal(plan.RevertCommand, read.RevertCommand);
    }

    [Fact]
    public void EscapedCut_WhenTheCutFallsInsideACodeSpan_ShouldEndBeforeTheSpan()
    {
        var text = "• Image: `" + new string('a', 50) + "`";

        var cut = Mrkdwn.EscapedCut(text, 30);

        Assert.Equal("• Image: …", cut);
    }

    [Fact]
    public void Render_WhenACommandHoldsABacktickOrAFence_ShouldKeepItVerbatimInSlackOrLeaveItToTheEmail()
    {
        var advisory = FormatSamples.Advisory("image-pull-network") with
        {
            NextSteps = [NextStep.Run("Tick", "aws", "ecs", "describe-services", "--services", "a`b"), NextStep.Run("Fence", "aws", "ecs", "describe-services", "--services", "a```b")],
        };

        var sections = SlackFormat.Render(advisory).Blocks.OfType<SlackSectionBlock>().Select(s => s.Text?.Text).OfType<string>().ToList();

        Assert.Contains("*1. Tick*\n```\naws ecs describe-services --services 'a`b'\n```", sections);
        Assert.Contains("*2. Fence*\n_The command holds a code fence, so it is only in the e-mail advisory._", sections);
    }

    [Fact]
    public void Doctor_WhenTheReportHasFixes_ShouldShowThemAsThePlanWithEachFixNamed()
    {
        var endpoint = NextStep.Change("Add the endpoint", "aws", "ec2", "create-vpc-endpoint") with { Fix = FixId.AddVpcEndpoints, Group = StepGroup.Fix };
        var route = NextStep.Change("Route through NAT", "aws", "ec2", "create-route") with { Fix = FixId.AddNatRoute, Group = StepGroup.Alternative };
        var report = new DoctorReport
        {
            Region = "us-east-1",
            Cluster = "payments",
            Service = "api",
            Subnets = ["subnet-1"],
            SecurityGroups = [],
            Findings = [Finding.Of("vpc-endpoints", FindingStatus.Missing, Sentence.Of($"{Sentence.Id("vpc-1")} lacks the endpoints."), ["vpc-1"], FixId.AddVpcEndpoints)],
            Fixes = [new DoctorFix(FixId.AddVpcEndpoints, [endpoint]), new DoctorFix(FixId.AddNatRoute, [route]) { Group = StepGroup.Alternative }],
        };

        var text = PlainText.Doctor(report);

        Assert.Contains("✗ vpc-endpoints  missing  vpc-1 lacks the endpoints.\n", text, StringComparison.Ordinal);
        Assert.EndsWith(
            "\nHow to fix it\n  Add the VPC endpoints the task needs [add-vpc-endpoints]\n  1. Add the endpoint\n     aws ec2 create-vpc-endpoint\n  Or instead: route 0.0.0.0/0 through a NAT gateway [add-nat-route]\n  2. Route through NAT\n     aws ec2 create-route\n",
            text,
            StringComparison.Ordinal);
    }
}
