using System.Text.Json.Nodes;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

public sealed class TemplateLintTests
{
    [Theory]
    [InlineData("template.yaml")]
    [InlineData("template-member.yaml")]
    public void CfnLint_WhenTemplateIsLinted_ShouldExitZeroWithNoOutput(string file)
    {
        var result = TemplateFiles.Run("cfn-lint", Path.Combine(AppContext.BaseDirectory, file));

        Assert.True(
            result.ExitCode == 0 && result.Stdout.Length == 0 && result.Stderr.Length == 0,
            $"cfn-lint {file} exited {result.ExitCode}:\n{result.Stdout}{result.Stderr}");
    }

    [Fact]
    public void SamTransform_WhenTheMemberTemplateIsTranslated_ShouldLeaveItPlainCloudFormationForAStackSet()
    {
        var written = TemplateFiles.MemberTemplate;

        var translated = TemplateFiles.MemberTransformedTemplate;

        // StackSets take no transforms: the member template must need none, so translating it changes nothing.
        Assert.Null(written["Transform"]);
        Assert.True(JsonNode.DeepEquals(written["Resources"], translated["Resources"]), translated["Resources"]?.ToJsonString());
        Assert.DoesNotContain(translated["Resources"]!.AsObject(), r => ((string?)r.Value!["Type"])!.StartsWith("AWS::Serverless::", StringComparison.Ordinal));
    }

    [Fact]
    public void SamTransform_WhenTemplateIsTranslated_ShouldProduceTheFunctionAsConfigured()
    {
        var template = TemplateFiles.TransformedTemplate;

        var function = template.Resource("RemediatorFunction");
        Assert.Equal("AWS::Lambda::Function", (string?)function["Type"]);
        var properties = function["Properties"]!;
        Assert.Equal("dotnet10", (string?)properties["Runtime"]);
        // An executable assembly: the managed runtime cannot load a Type::Method handler without Amazon.Lambda.Core.
        Assert.Equal("EcsTimeoutRemediator", (string?)properties["Handler"]);
        Assert.Equal("x86_64", (string?)properties["Architectures"]![0]);
        Assert.Equal(60, (int)properties["Timeout"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Ref":"FunctionMemorySize"}"""), properties["MemorySize"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Ref":"FunctionLogGroup"}"""), properties["LoggingConfig"]!["LogGroup"]));
        var variables = properties["Environment"]!["Variables"]!.AsObject();
        Assert.Equal(
            ["ADVISORY_TOPIC_ARN", "AUTO_FIX_MODE", "CENTRAL_ACCOUNT_ID", "CLAIM_LEASE_SECONDS", "DEADLINE_MARGIN_MS", "EVIDENCE_COUNT", "EVIDENCE_WINDOW_MINUTES", "HARD_MAX_GRACE_SECONDS", "INCIDENT_WINDOW_MINUTES", "LEDGER_TABLE_NAME", "MAX_FIXES_PER_ACCOUNT_PER_HOUR", "MAX_FIXES_PER_SERVICE_PER_DAY", "MAX_GRACE_SECONDS", "MEMBER_ROLE_NAME", "MIN_MINUTES_BETWEEN_FIXES", "SERVICE_NAME", "SLACK_WEBHOOK_PARAMETER"],
            variables.Select(v => v.Key).Order(StringComparer.Ordinal));
        Assert.Equal("ecs-timeout-remediator", (string?)variables["SERVICE_NAME"]);

        // A claim must outlive the invocation that holds it, or a live invocation could be overtaken by a retry.
        Assert.True(int.Parse((string)variables["CLAIM_LEASE_SECONDS"]!, System.Globalization.CultureInfo.InvariantCulture) >= (int)properties["Timeout"]!);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"Fn::If":["HasReservedConcurrency",{"Ref":"ReservedConcurrency"},{"Ref":"AWS::NoValue"}]}"""), properties["ReservedConcurrentExecutions"]));
        Assert.Equal("10", TemplateFiles.Template["Parameters"]!["ReservedConcurrency"]!["Default"]!.ToString());
    }

    [Fact]
    public void Template_WhenAFunctionIsBuiltByMakefile_ShouldHaveItsTargetAndTheMakefilesArchitecture()
    {
        var template = TemplateFiles.Template;
        var makefile = File.ReadAllText(Path.Combine(LambdaRuntime.LambdaPackage.RepositoryRoot, "Makefile"));

        var functions = template.ResourcesOfType("AWS::Serverless::Function").ToList();

        Assert.NotEmpty(functions);
        foreach (var (logicalId, function) in functions)
        {
            Assert.Equal("makefile", (string?)function["Metadata"]?["BuildMethod"]);
            Assert.Equal(".", (string?)function["Properties"]!["CodeUri"]);
            Assert.Matches($"(?m)^build-{logicalId}:", makefile);
            var architecture = (string?)function["Properties"]!["Architectures"]![0];
            Assert.Matches($"(?m)^LAMBDA_ARCH \\?= {architecture}$", makefile);
        }
    }

    [Fact]
    public void SamTransform_WhenTemplateIsTranslated_ShouldSendFailedInvocationsToTheDeadLetterQueue()
    {
        var template = TemplateFiles.TransformedTemplate;

        var config = Assert.Single(template.ResourcesOfType("AWS::Lambda::EventInvokeConfig")).Value["Properties"]!;
        Assert.Equal(3600, (int)config["MaximumEventAgeInSeconds"]!);
        Assert.Equal(2, (int)config["MaximumRetryAttempts"]!);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"Fn::GetAtt":["DeadLetterQueue","Arn"]}"""), config["DestinationConfig"]!["OnFailure"]!["Destination"]));
        var queue = template.Resource("DeadLetterQueue")["Properties"]!;
        Assert.True((bool)queue["SqsManagedSseEnabled"]!);
        Assert.Equal(1_209_600, (int)queue["MessageRetentionPeriod"]!);
    }

    [Fact]
    public void SamTransform_WhenTemplateIsTranslated_ShouldCreateNoRoleBesidesTheExplicitOne()
    {
        var template = TemplateFiles.TransformedTemplate;

        // A SAM-generated role would add AWSLambdaBasicExecutionRole (logs on every log group) and a
        // second policy for the destination.
        var role = Assert.Single(template.ResourcesOfType("AWS::IAM::Role"));
        Assert.Equal("RemediatorRole", role.Key);
        Assert.Null(role.Value["Properties"]!["ManagedPolicyArns"]);
        Assert.Empty(template.ResourcesOfType("AWS::IAM::Policy"));
        // The one managed policy is for the chat channels' role (outside this stack): it is attached to nothing here.
        var managed = Assert.Single(template.ResourcesOfType("AWS::IAM::ManagedPolicy"));
        Assert.Equal("ChatChannelFixPolicy", managed.Key);
        Assert.All(new[] { "Roles", "Users", "Groups" }, p => Assert.Null(managed.Value["Properties"]![p]));
    }
}
