using System.Text.Json;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Advisories.Formats;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;
using EcsTimeoutRemediator.Policy;
using EcsTimeoutRemediator.Tests.Advisories;
using EcsTimeoutRemediator.Tests.Fakes;

namespace EcsTimeoutRemediator.Tests.Advisories.Formats;

public sealed class ChatActionTests
{
    public static TheoryData<string> Worlds() => new(ChatWorlds.Names);

    [Theory]
    [MemberData(nameof(Worlds))]
    public async Task ContextOf_ForEachDiagnosedWorld_ShouldMatchTheGoldenFile(string world)
    {
        var advisory = await ChatWorlds.AdvisoryAsync(world);

        var notification = ChatbotFormat.Render(advisory);

        var context = System.Text.Json.Nodes.JsonNode.Parse(ChatbotFormat.ToJson(notification))!["metadata"]!["additionalContext"];
        var json = context?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "{}";
        FormatSamples.AssertGolden($"{world}.chat-context.json", json.ReplaceLineEndings("\n") + "\n");
    }

    [Theory]
    [MemberData(nameof(Worlds))]
    public async Task CommandText_WhenTheNotificationsVariablesAreSubstituted_ShouldRunExactlyTheCommandTheAdvisoryPrints(string world)
    {
        var advisory = await ChatWorlds.AdvisoryAsync(world);
        var context = ChatbotFormat.Render(advisory).Metadata.AdditionalContext ?? new Dictionary<string, string>();

        var shown = ChatActions.ShownFor(context);

        var printed = advisory.NextSteps.Select(s => s.Command)
            .Concat(advisory.Fixes.Select(f => f.RevertCommand).OfType<string>())
            .ToList();
        var printedArgv = CommandQuotingTests.ShellSplit(printed);
        foreach (var action in shown)
        {
            var run = action.Command.Select(word => word.StartsWith('$') ? context[ChatActions.VariableOfToken(word[1..]).Name] : word).Prepend("aws").ToList();
            Assert.Contains(printedArgv, argv => argv.SequenceEqual(run));
        }

        Assert.Equal(ChatWorlds.ExpectedButtons(world), shown.Select(a => a.Name));
    }

    [Fact]
    public void ContextOf_WhenTheDiagnosisProvedNoCause_ShouldShowNoButton()
    {
        // Without findings the grace period is only a fix that may help: no one-click change for it.
        var advisory = FormatSamples.Advisory("health-elb");
        Assert.Contains(advisory.NextSteps, s => s.Fix == FixId.RaiseHealthCheckGrace && s.Group == StepGroup.Possible);

        var context = ChatActions.ContextOf(advisory);

        Assert.Empty(context);
        Assert.Null(ChatbotFormat.Render(advisory).Metadata.AdditionalContext);
    }

    [Theory]
    [InlineData("/ecs/api;rm -rf ~")]
    [InlineData("/ecs/$(curl evil)")]
    [InlineData("<log-group>")]
    [InlineData("/ecs/api group")]
    public async Task ContextOf_WhenAValueIsNotAPlainId_ShouldLeaveItsButtonOut(string logGroup)
    {
        var account = ChatWorlds.MissingLogGroup(logGroup);
        var advisory = await FormatSamples.DiagnosedAsync("logs-not-found", account);

        var context = ChatActions.ContextOf(advisory);

        Assert.False(context.ContainsKey("logGroup"));
        Assert.DoesNotContain(ChatActions.ShownFor(context), a => a.Fix == FixId.CreateLogGroup);
    }

    [Fact]
    public async Task ContextOf_WhenTheAdvisoryIsAboutAnotherAccount_ShouldStillNameThatAccountSoTheButtonStaysHidden()
    {
        var advisory = await ChatWorlds.AdvisoryAsync("health-elb");

        var context = ChatActions.ContextOf(advisory with { Task = advisory.Task with { Account = "444455556666" } });

        // The stack's attachments require account == its own account: a member account's advisory shows no button.
        Assert.Equal("444455556666", context["account"]);
    }

    [Theory]
    [InlineData(FixResult.Skipped)]
    [InlineData(FixResult.WouldApply)]
    [InlineData(FixResult.Failed)]
    public async Task ContextOf_WhenTheFixWasNotApplied_ShouldOfferNoUndo(FixResult result)
    {
        var advisory = await ChatWorlds.AdvisoryAsync("health-elb");
        var outcome = ChatWorlds.AppliedGraceFix() with { Result = result };

        var context = ChatActions.ContextOf(advisory with { Fixes = [outcome] });

        Assert.False(context.ContainsKey("previousGracePeriod"));
    }

    [Fact]
    public void Actions_WhenDeclared_ShouldFitTheCustomActionLimitsAndTakeOnlyDeclaredVariables()
    {
        foreach (var action in ChatActions.All)
        {
            Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", action.Name);
            Assert.InRange(action.ButtonText.Length, 1, 50);
            // CreateCustomAction takes 1 to 100 characters of command text (CloudFormation's schema says 5000).
            Assert.InRange(action.CommandText.Length, 1, ChatActions.MaxCommandText);
            Assert.NotEqual("aws", action.Command[0]);
            // An attachment extracts at most five variables and checks at most five criteria.
            Assert.InRange(ChatActions.AttachmentVariables(action).Count, 1, 5);
            Assert.All(action.Variables, v => Assert.Contains(v, ChatActions.AllVariables));
            Assert.NotEmpty(ChatActions.CategoriesOf(action));
        }

        Assert.Equal(ChatActions.All.Count, ChatActions.All.Select(a => a.Name).Distinct().Count());
        Assert.Equal(ChatActions.AllVariables.Count, ChatActions.AllVariables.Select(v => v.Token).Distinct().Count());
        Assert.All(ChatActions.AllVariables, v => Assert.Matches("^[A-Za-z0-9_-]{1,100}$", v.Token));
    }
}

/// <summary>The diagnosed advisories a chat button can fit, and the buttons each must show.</summary>
internal static class ChatWorlds
{
    public static readonly string[] Names = ["health-elb", "public-subnet", "missing-log-group", "no-route", "grace-applied", "deployment-failed"];

    public static IReadOnlyList<string> ExpectedButtons(string world) => world switch
    {
        "health-elb" => ["ecs-remediator-raise-grace"],
        "public-subnet" => ["ecs-remediator-public-ip"],
        "missing-log-group" => ["ecs-remediator-create-log-group"],
        // The change was made: the button undoes it, and none offers to make it again.
        "grace-applied" => ["ecs-remediator-undo-grace"],
        _ => [],
    };

    public static async Task<EcsTimeoutRemediator.Advisories.Advisory> AdvisoryAsync(string world) => world switch
    {
        "health-elb" => await FormatSamples.HealthCheckAdvisoryAsync(),
        "public-subnet" => await FormatSamples.DiagnosedAsync("image-pull-network", Scenarios.PublicSubnet(assignPublicIp: false)),
        "missing-log-group" => await FormatSamples.DiagnosedAsync("logs-not-found", MissingLogGroup("/ecs/payments-api")),
        "no-route" => await FormatSamples.NoRouteAdvisoryAsync(),
        "grace-applied" => await GraceAppliedAsync(),
        "deployment-failed" => await FormatSamples.DeploymentFailedAdvisoryAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(world), world, null),
    };

    public static FixOutcome AppliedGraceFix() => new(FixId.RaiseHealthCheckGrace, FixResult.Applied, "raised the grace period from 0 s to 60 s")
    {
        Before = "0",
        After = "60",
        Revert = ["aws", "ecs", "update-service", "--region", "us-east-1", "--cluster", "payments", "--service", "api", "--health-check-grace-period-seconds", "0"],
    };

    /// <summary>events/logs-not-found.json's service (internal/scheduler), whose task definition names <paramref name="logGroup"/>, which does not exist.</summary>
    public static FakeAccount MissingLogGroup(string logGroup)
    {
        const string TaskDefinition = "arn:aws:ecs:us-east-1:111122223333:task-definition/scheduler:7";
        var account = Scenarios.PrivateSubnetWithoutEgress();
        account.Services.Clear();
        account.Services["scheduler"] = Scenarios.Service("scheduler") with
        {
            ServiceArn = "arn:aws:ecs:us-east-1:111122223333:service/internal/scheduler",
            ClusterArn = "arn:aws:ecs:us-east-1:111122223333:cluster/internal",
            TaskDefinitionArn = TaskDefinition,
            LoadBalancers = [],
        };
        account.TaskDefinitions[TaskDefinition] = new TaskDefinitionFacts
        {
            TaskDefinitionArn = TaskDefinition,
            ExecutionRoleArn = "arn:aws:iam::111122223333:role/scheduler-execution",
            Containers = [new ContainerDefinitionFacts { Name = "scheduler", Image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/scheduler:3.1.0", LogDriver = "awslogs", LogOptions = new Dictionary<string, string> { ["awslogs-group"] = logGroup, ["awslogs-region"] = "us-east-1" } }],
        };
        return account;
    }

    private static async Task<EcsTimeoutRemediator.Advisories.Advisory> GraceAppliedAsync()
    {
        var advisory = await FormatSamples.HealthCheckAdvisoryAsync();
        return advisory with { Fixes = [AppliedGraceFix()] };
    }
}
