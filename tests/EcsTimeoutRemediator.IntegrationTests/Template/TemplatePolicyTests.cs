using System.Text.Json.Nodes;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

public sealed class TemplatePolicyTests
{
    /// <summary>
    /// The function's permissions, by statement: what the code calls, nothing more. The read statements come from
    /// the areas the gatherer declares (<see cref="EcsTimeoutRemediator.Gathering.ReadAreas"/>), the fixes' from the
    /// fix types, the ledger's from its adapters; the rest are the function's own edges.
    /// </summary>
    private static readonly Dictionary<string, string[]> ExpectedActions = new Dictionary<string, string[]>
    {
        ["WriteLogs"] = ["logs:CreateLogStream", "logs:PutLogEvents"],
        ["ReadSlackWebhook"] = ["ssm:GetParameter"],
        ["PublishAdvisories"] = ["sns:Publish"],
        ["EncryptAdvisories"] = ["kms:Decrypt", "kms:GenerateDataKey"],
        ["SendFailedEvents"] = ["sqs:SendMessage"],
        ["ApplyFixes"] = [.. EcsTimeoutRemediator.Policy.AutoFixes.Permissions],
        ["UseLedger"] = [.. EcsTimeoutRemediator.Aws.Adapters.DynamoDbLedgerTable.Permissions],
        ["AssumeMemberRoles"] = ["sts:AssumeRole"],
    }
    .Concat(EcsTimeoutRemediator.Gathering.ReadAreas.All.GroupBy(a => a.Sid)
        .Select(g => KeyValuePair.Create(g.Key, g.SelectMany(a => a.Actions).ToArray())))
    .ToDictionary();

    /// <summary>The parameters of an organization-wide deployment: every conditional statement is in.</summary>
    internal static readonly Dictionary<string, string> OrgWide = new() { ["OrganizationId"] = "o-a1b2c3d4e5" };

    [Fact]
    public void ApplyFixes_WhenComparedWithTheFixTypes_ShouldGrantExactlyTheActionsTheyDeclare()
    {
        var statement = Assert.Single(FunctionStatements(), s => (string?)s["Sid"] == "ApplyFixes");

        Assert.Equal(EcsTimeoutRemediator.Policy.AutoFixes.Permissions.Order(StringComparer.Ordinal), Actions(statement).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ApplyFixes_WhenGranted_ShouldOnlyReachServicesCarryingTheOptInTag()
    {
        var statement = Assert.Single(FunctionStatements(), s => (string?)s["Sid"] == "ApplyFixes");

        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["StringLike"] = new JsonObject { ["aws:ResourceTag/" + EcsTimeoutRemediator.Policy.OptIn.AutoFixTag] = "*" } },
            statement["Condition"]), statement["Condition"]?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"Fn::Sub":"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/*"}"""),
            statement["Resource"]), statement["Resource"]?.ToJsonString());
    }

    [Fact]
    public void ReadActions_WhenDeclaredByTheGatherer_ShouldEachBeGrantedToTheFunction()
    {
        var granted = FunctionStatements().SelectMany(Actions).ToHashSet(StringComparer.Ordinal);

        Assert.All(EcsTimeoutRemediator.Gathering.ContextGatherer.ReadActions, action => Assert.Contains(action, granted));
        Assert.Subset(EcsTimeoutRemediator.Gathering.ContextGatherer.ReadActions.ToHashSet(StringComparer.Ordinal),
            EcsTimeoutRemediator.Aws.Adapters.EcsClusterAdapter.Permissions.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void ClusterReads_WhenGranted_ShouldReachOnlyThisAccountsClustersAndCapacityProviders()
    {
        var statement = Assert.Single(FunctionStatements(), s => Actions(s).Contains("ecs:DescribeCapacityProviders"));

        Assert.Contains("ecs:DescribeClusters", Actions(statement));
        var resources = Resources(statement).Select(r => r.ToJsonString()).ToList();
        Assert.Contains(JsonNode.Parse("""{"Fn::Sub":"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:capacity-provider/*"}""")!.ToJsonString(), resources);
        Assert.Contains(JsonNode.Parse("""{"Fn::Sub":"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/*"}""")!.ToJsonString(), resources);
        Assert.DoesNotContain("\"*\"", resources);
    }

    [Fact]
    public void LedgerTable_WhenDeclared_ShouldMatchTheKeysAndTtlTheLedgerUses()
    {
        var table = TemplateFiles.Template.Resource("LedgerTable")["Properties"]!;

        Assert.Equal("PAY_PER_REQUEST", (string?)table["BillingMode"]);
        Assert.Equal(["pk:HASH", "sk:RANGE"], table["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]}:{k["KeyType"]}"));
        Assert.Equal("expiresAt", (string?)table["TimeToLiveSpecification"]!["AttributeName"]);
        Assert.True((bool?)table["TimeToLiveSpecification"]!["Enabled"]);
    }

    [Fact]
    public void PolicyActions_WhenReadFromEveryIamResource_ShouldContainNoWildcard()
    {
        var actions = IamStatements(TemplateFiles.TransformedTemplate).SelectMany(Actions).ToList();

        Assert.NotEmpty(actions);
        Assert.All(actions, action =>
        {
            Assert.DoesNotContain("*", action, StringComparison.Ordinal);
            Assert.Matches("^[a-z0-9-]+:[A-Za-z0-9]+$", action);
        });
    }

    [Fact]
    public void PolicyStatements_WhenGroupedBySid_ShouldGrantExactlyTheActionsTheCodeNeeds()
    {
        var statements = FunctionStatements().ToList();

        Assert.All(statements, s => Assert.Equal("Allow", (string?)s["Effect"]));
        Assert.Equal(
            ExpectedActions.Keys.Order(StringComparer.Ordinal),
            statements.Select(s => (string?)s["Sid"]).Order(StringComparer.Ordinal));
        foreach (var statement in statements)
        {
            Assert.Equal(
                ExpectedActions[(string)statement["Sid"]!].Order(StringComparer.Ordinal),
                Actions(statement).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void SnsPublish_WhenGranted_ShouldBeScopedToTheAdvisoryTopicOnly()
    {
        var publishing = IamStatements(TemplateFiles.TransformedTemplate)
            .Where(s => Actions(s).Any(a => a.StartsWith("sns:", StringComparison.Ordinal)))
            .ToList();

        var statement = Assert.Single(publishing);
        Assert.Equal(["sns:Publish"], Actions(statement));
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"Ref":"AdvisoryTopic"}"""), statement["Resource"]),
            $"sns:Publish must be on the advisory topic only, not {statement["Resource"]?.ToJsonString()}");
    }

    [Fact]
    public void Alarms_WhenTheyFireOrRecover_ShouldNotifyTheAdvisoryTopic()
    {
        var alarms = TemplateFiles.Template.ResourcesOfType("AWS::CloudWatch::Alarm").ToList();

        Assert.Equal(["DeadLetterQueueAlarm", "FunctionErrorsAlarm"], alarms.Select(a => a.Key).Order(StringComparer.Ordinal));
        var advisoryTopic = JsonNode.Parse("""{"Ref":"AdvisoryTopic"}""");
        Assert.All(alarms, alarm =>
        {
            foreach (var actions in new[] { "AlarmActions", "OKActions" })
            {
                var target = Assert.Single(alarm.Value["Properties"]![actions]!.AsArray());
                Assert.True(JsonNode.DeepEquals(advisoryTopic, target), $"{alarm.Key}.{actions} -> {target?.ToJsonString()}");
            }
        });
    }

    [Fact]
    public void AdvisoryTopicKey_WhenAlarmsPublish_ShouldLetCloudWatchAndTheFunctionUseIt()
    {
        var topic = TemplateFiles.Template.Resource("AdvisoryTopic")["Properties"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Ref":"AdvisoryTopicKey"}"""), topic["KmsMasterKeyId"]), topic["KmsMasterKeyId"]?.ToJsonString());

        var key = TemplateFiles.Template.Resource("AdvisoryTopicKey")["Properties"]!;
        Assert.True((bool?)key["EnableKeyRotation"]);
        var cloudWatch = Assert.Single(
            key["KeyPolicy"]!["Statement"]!.AsArray(),
            s => (string?)s!["Principal"]?["Service"] == "cloudwatch.amazonaws.com")!;
        Assert.Equal("Allow", (string?)cloudWatch["Effect"]);
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], Actions(cloudWatch).Order(StringComparer.Ordinal));

        var encrypt = Assert.Single(FunctionStatements(), s => (string?)s["Sid"] == "EncryptAdvisories");
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::GetAtt":["AdvisoryTopicKey","Arn"]}"""), encrypt["Resource"]),
            $"The function may use the advisory key only, not {encrypt["Resource"]?.ToJsonString()}");
    }

    [Fact]
    public void AdvisoryTopicPolicy_WhenCloudWatchPublishes_ShouldAllowOnlyThisAccountsAlarmsOverHttps()
    {
        var document = TemplateFiles.Template.Resource("AdvisoryTopicPolicy")["Properties"]!["PolicyDocument"]!;
        var statements = document["Statement"]!.AsArray().Select(s => s!).ToList();

        var allow = Assert.Single(statements, s => (string?)s["Effect"] == "Allow");
        Assert.Equal("cloudwatch.amazonaws.com", (string?)allow["Principal"]!["Service"]);
        Assert.Equal(["sns:Publish"], Actions(allow));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"ArnLike":{"aws:SourceArn":{"Fn::Sub":"arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"}}}"""),
            allow["Condition"]), allow["Condition"]?.ToJsonString());
        var deny = Assert.Single(statements, s => (string?)s["Effect"] == "Deny");
        Assert.Equal("false", (string?)deny["Condition"]!["Bool"]!["aws:SecureTransport"]);
    }

    [Fact]
    public void WildcardResources_WhenGranted_ShouldCarryOnlyActionsWithoutResourceLevelPermissions()
    {
        var onEverything = FunctionStatements()
            .Where(s => Resources(s).Any(r => r is JsonValue v && (string?)v == "*"))
            .SelectMany(Actions)
            .ToList();

        Assert.NotEmpty(onEverything);
        Assert.All(onEverything, action => Assert.True(
            action == "ecs:DescribeTaskDefinition"
            || action.StartsWith("ec2:Describe", StringComparison.Ordinal)
            || action.StartsWith("elasticloadbalancing:Describe", StringComparison.Ordinal)
            // ssm:DescribeParameters has no resource-level permissions.
            || action == "ssm:DescribeParameters",
            $"{action} supports resource-level permissions and must not be granted on \"*\"."));
    }

    [Fact]
    public void QueuePolicy_WhenEventBridgeSendsDeadLetters_ShouldAllowOnlyTheStoppedTaskRule()
    {
        var allow = Assert.Single(QueueAllows(new Dictionary<string, string>()));

        Assert.Equal("events.amazonaws.com", (string?)allow["Principal"]!["Service"]);
        Assert.Equal(["sqs:SendMessage"], Actions(allow));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"ArnEquals":{"aws:SourceArn":{"Fn::GetAtt":["StoppedTaskRule","Arn"]}}}"""),
            allow["Condition"]));
    }

    [Fact]
    public void QueuePolicy_WhenOrganizationWide_ShouldAlsoAllowTheCentralBusStoppedTaskRuleAndNothingElse()
    {
        var allows = QueueAllows(OrgWide);

        Assert.Equal(
            ["{\"ArnEquals\":{\"aws:SourceArn\":{\"Fn::GetAtt\":[\"MemberStoppedTaskRule\",\"Arn\"]}}}", "{\"ArnEquals\":{\"aws:SourceArn\":{\"Fn::GetAtt\":[\"StoppedTaskRule\",\"Arn\"]}}}"],
            allows.Select(a => a["Condition"]!.ToJsonString()).Order(StringComparer.Ordinal));
        Assert.All(allows, a => Assert.Equal("events.amazonaws.com", (string?)a["Principal"]!["Service"]));
    }

    [Fact]
    public void FunctionStatements_WhenTheStackServesOneAccount_ShouldAssumeNoRoleAndCreateNoBus()
    {
        var template = TemplateFiles.Template;
        var single = new TemplateEvaluator(template);

        Assert.DoesNotContain(FunctionStatements(new Dictionary<string, string>()), s => Actions(s).Any(a => a.StartsWith("sts:", StringComparison.Ordinal)));
        Assert.All(
            ["CentralEventBus", "MemberStoppedTaskRule", "MemberServiceEventRule", "MemberStoppedTaskRulePermission", "MemberServiceEventRulePermission"],
            id => Assert.False(single.Condition((string)template.Resource(id)["Condition"]!), id));
        Assert.Equal("", (string?)single.Resolve(template.Resource("RemediatorFunction")["Properties"]!["Environment"]!["Variables"]!["MEMBER_ROLE_NAME"]));
    }

    [Fact]
    public void AssumeMemberRoles_WhenInAnOrganization_ShouldReachOnlyRolesOfThatNameInsideIt()
    {
        var statement = Assert.Single(FunctionStatements(), s => (string?)s["Sid"] == "AssumeMemberRoles");
        var resolved = new TemplateEvaluator(TemplateFiles.Template, OrgWide).Resolve(statement)!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::Sub":"arn:${AWS::Partition}:iam::*:role/${MemberRoleName}"}"""), statement["Resource"]), statement["Resource"]?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"StringEquals":{"aws:ResourceOrgID":{"Ref":"OrganizationId"}}}"""), statement["Condition"]), statement["Condition"]?.ToJsonString());
        var document = new JsonObject { ["Statement"] = new JsonArray(resolved) };
        Assert.True(PolicyEvaluator.Allows(document, AssumeRequest("arn:aws:iam::111111111111:role/ecs-remediator-member", "o-a1b2c3d4e5")));
        Assert.False(PolicyEvaluator.Allows(document, AssumeRequest("arn:aws:iam::111111111111:role/OrganizationAccountAccessRole", "o-a1b2c3d4e5")));
        Assert.False(PolicyEvaluator.Allows(document, AssumeRequest("arn:aws:iam::999999999999:role/ecs-remediator-member", "o-zzzzzzzzzz")));
        Assert.False(PolicyEvaluator.Allows(document, AssumeRequest("arn:aws:iam::999999999999:role/ecs-remediator-member", null)));
    }

    [Fact]
    public void AssumeMemberRoles_WhenAccountsAreListedWithoutAnOrganization_ShouldReachOnlyThoseAccounts()
    {
        var values = new Dictionary<string, string> { ["MemberAccountIds"] = "111111111111,222222222222" };
        var statement = Assert.Single(FunctionStatements(values), s => (string?)s["Sid"] == "AssumeMemberRoles");
        var document = new JsonObject { ["Statement"] = new JsonArray(new TemplateEvaluator(TemplateFiles.Template, values).Resolve(statement)) };

        Assert.True(PolicyEvaluator.Allows(document, AssumeRequest("arn:aws:iam::222222222222:role/ecs-remediator-member", null)));
        Assert.False(PolicyEvaluator.Allows(document, AssumeRequest("arn:aws:iam::333333333333:role/ecs-remediator-member", null)));
    }

    [Fact]
    public void MemberRoleName_WhenBothStacksTakeTheirDefaults_ShouldBeTheRoleTheAdvisoryNames()
    {
        var central = (string?)TemplateFiles.Template["Parameters"]!["MemberRoleName"]!["Default"];
        var member = (string?)TemplateFiles.MemberTemplate["Parameters"]!["MemberRoleName"]!["Default"];

        Assert.Equal(EcsTimeoutRemediator.Diagnosis.AccountChecks.DefaultMemberRole, central);
        Assert.Equal(central, member);
        Assert.Equal(central, (string?)new TemplateEvaluator(TemplateFiles.Template, OrgWide)
            .Resolve(TemplateFiles.Template.Resource("RemediatorFunction")["Properties"]!["Environment"]!["Variables"]!["MEMBER_ROLE_NAME"]));
    }

    /// <summary>sts:AssumeRole of <paramref name="roleArn"/> by the central function, the role in <paramref name="organization"/> (null: none).</summary>
    private static PolicyRequest AssumeRequest(string roleArn, string? organization)
    {
        var keys = new Dictionary<string, string> { ["aws:ResourceAccount"] = roleArn.Split(':')[4] };
        if (organization is not null)
        {
            keys["aws:ResourceOrgID"] = organization;
        }

        return new PolicyRequest("arn:aws:iam::123456789012:role/ecs-timeout-remediator-RemediatorRole-X", "sts:AssumeRole", roleArn, keys);
    }

    private static List<JsonNode> QueueAllows(IReadOnlyDictionary<string, string> values)
    {
        var template = TemplateFiles.Template;
        var document = new TemplateEvaluator(template, values).ResolveConditions(template.Resource("DeadLetterQueuePolicy")["Properties"]!["PolicyDocument"])!;
        return [.. document["Statement"]!.AsArray().Where(s => (string?)s!["Effect"] == "Allow").Select(s => s!)];
    }

    /// <summary>The statements of the function's one inline policy, as deployed with <paramref name="values"/> (default: organization-wide).</summary>
    private static IEnumerable<JsonNode> FunctionStatements(IReadOnlyDictionary<string, string>? values = null)
    {
        var template = TemplateFiles.Template;
        var role = new TemplateEvaluator(template, values ?? OrgWide).ResolveConditions(template.Resource("RemediatorRole")["Properties"])!;
        var policy = Assert.Single(role["Policies"]!.AsArray())!;
        return policy["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!);
    }

    /// <summary>Every identity-policy statement in the template (organization-wide): role inline policies and policy resources.</summary>
    private static IEnumerable<JsonNode> IamStatements(JsonObject written)
    {
        var template = new TemplateEvaluator(written, OrgWide).ResolveConditions(written)!.AsObject();
        foreach (var (_, role) in template.ResourcesOfType("AWS::IAM::Role"))
        {
            foreach (var policy in role["Properties"]!["Policies"]?.AsArray() ?? [])
            {
                foreach (var statement in policy!["PolicyDocument"]!["Statement"]!.AsArray())
                {
                    yield return statement!;
                }
            }
        }

        foreach (var type in new[] { "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" })
        {
            foreach (var (_, policy) in template.ResourcesOfType(type))
            {
                foreach (var statement in policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
                {
                    yield return statement!;
                }
            }
        }
    }

    private static List<string> Actions(JsonNode statement) => statement["Action"] switch
    {
        JsonArray list => [.. list.Select(a => (string)a!)],
        JsonValue single => [(string)single!],
        var other => throw new InvalidOperationException($"Statement without Action: {other?.ToJsonString()}"),
    };

    private static List<JsonNode> Resources(JsonNode statement) => statement["Resource"] switch
    {
        JsonArray list => [.. list.Select(r => r!)],
        { } single => [single],
        null => [],
    };
}
