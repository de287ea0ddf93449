using System.Text.Json.Nodes;

namespace EcsTimeoutRemediator.IntegrationTests.Template;

/// <summary>
/// The two stacks of an organization-wide deployment: the member template's role derived from the code's declared
/// permissions, its trust in the central function's role alone, its forwarding rules against the central stack's
/// rules, and the central bus's policy, each evaluated for the requests it must allow and refuse.
/// </summary>
public sealed class OrganizationTemplateTests
{
    private const string CentralAccount = "123456789012";
    private const string CentralRole = "arn:aws:iam::123456789012:role/ecs-timeout-remediator-RemediatorRole-1A2B3C";
    private const string CentralBus = "arn:aws:events:us-east-1:123456789012:event-bus/ecs-timeout-remediator-ecs-events";
    private const string Organization = "o-a1b2c3d4e5";

    /// <summary>The member stack's parameters as a StackSet would pass them (the central stack's outputs).</summary>
    private static readonly Dictionary<string, string> MemberParameters = new()
    {
        ["CentralEventBusArn"] = CentralBus,
        ["CentralRoleArn"] = CentralRole,
        ["AWS::AccountId"] = "111111111111",
    };

    [Fact]
    public void MemberRole_WhenComparedWithTheCode_ShouldGrantExactlyTheDeclaredReadsAndTheFixes()
    {
        var statements = MemberRoleStatements();

        var reads = statements.Where(s => (string?)s["Sid"] != "ApplyFixes").SelectMany(Actions).ToList();
        var fixes = Assert.Single(statements, s => (string?)s["Sid"] == "ApplyFixes");

        Assert.Equal(reads.Count, reads.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(EcsTimeoutRemediator.Gathering.ContextGatherer.ReadActions.Order(StringComparer.Ordinal), reads.Order(StringComparer.Ordinal));
        Assert.Equal(EcsTimeoutRemediator.Policy.AutoFixes.Permissions.Order(StringComparer.Ordinal), Actions(fixes).Order(StringComparer.Ordinal));
        Assert.All(statements, s => Assert.Equal("Allow", (string?)s["Effect"]));
    }

    [Fact]
    public void MemberRole_WhenItUpdatesAService_ShouldReachOnlyServicesOfThisAccountCarryingTheOptInTag()
    {
        var fixes = Assert.Single(MemberRoleStatements(), s => (string?)s["Sid"] == "ApplyFixes");

        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["StringLike"] = new JsonObject { ["aws:ResourceTag/" + EcsTimeoutRemediator.Policy.OptIn.AutoFixTag] = "*" } },
            fixes["Condition"]), fixes["Condition"]?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::Sub":"arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:service/*"}"""), fixes["Resource"]), fixes["Resource"]?.ToJsonString());
    }

    [Fact]
    public void MemberRole_WhenItsResourcesAreRead_ShouldNameThisAccountOrBeActionsWithoutResourceLevelPermissions()
    {
        foreach (var statement in MemberRoleStatements())
        {
            foreach (var resource in Resources(statement))
            {
                if (resource is JsonValue value && (string?)value == "*")
                {
                    Assert.All(Actions(statement), action => Assert.True(
                        action == "ecs:DescribeTaskDefinition" || action == "ssm:DescribeParameters"
                        || action.StartsWith("ec2:Describe", StringComparison.Ordinal) || action.StartsWith("elasticloadbalancing:Describe", StringComparison.Ordinal),
                        $"{action} supports resource-level permissions and must not be granted on \"*\"."));
                }
                else
                {
                    Assert.Contains(":${AWS::AccountId}:", (string?)resource["Fn::Sub"], StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void MemberRole_WhenAssumed_ShouldTrustTheCentralFunctionsRoleAlone()
    {
        var template = TemplateFiles.MemberTemplate;
        var trust = new TemplateEvaluator(template, MemberParameters).Resolve(template.Resource("MemberRole")["Properties"]!["AssumeRolePolicyDocument"])!;

        Assert.True(PolicyEvaluator.Allows(trust, AssumeBy(CentralRole)));
        Assert.False(PolicyEvaluator.Allows(trust, AssumeBy("arn:aws:iam::123456789012:role/SomeOtherRoleOfTheCentralAccount")));
        Assert.False(PolicyEvaluator.Allows(trust, AssumeBy("arn:aws:iam::999999999999:role/ecs-timeout-remediator-RemediatorRole-1A2B3C")));
        Assert.False(PolicyEvaluator.Allows(trust, AssumeBy("arn:aws:iam::111111111111:role/Admin")));
        Assert.Equal($"arn:aws:iam::{CentralAccount}:root", (string?)trust["Statement"]![0]!["Principal"]!["AWS"]);
    }

    [Fact]
    public void MemberRole_WhenTheStackSetDeploysToSeveralRegions_ShouldBeCreatedInOneAndEveryRegionShouldForward()
    {
        var template = TemplateFiles.MemberTemplate;
        var home = new TemplateEvaluator(template, new Dictionary<string, string> { ["AWS::Region"] = "us-east-1" });
        var other = new TemplateEvaluator(template, new Dictionary<string, string> { ["AWS::Region"] = "eu-west-1" });

        Assert.Equal("CreatesMemberRole", (string?)template.Resource("MemberRole")["Condition"]);
        Assert.True(home.Condition("CreatesMemberRole"));
        Assert.False(other.Condition("CreatesMemberRole"));
        Assert.Equal("ecs-remediator-member", (string?)home.Resolve(template.Resource("MemberRole")["Properties"]!["RoleName"]));
        Assert.All(["ForwardingRole", "StoppedTaskForwardingRule", "ServiceEventForwardingRule"], id => Assert.Null(template.Resource(id)["Condition"]));
    }

    [Fact]
    public void ForwardingRules_WhenComparedWithTheCentralStack_ShouldForwardExactlyWhatItsRulesHandle()
    {
        var central = TemplateFiles.Template;
        var member = TemplateFiles.MemberTemplate;
        var centralValues = new TemplateEvaluator(central, TemplatePolicyTests.OrgWide);
        JsonNode Pattern(JsonObject template, TemplateEvaluator evaluator, string rule) => evaluator.Resolve(template.Resource(rule)["Properties"]!["EventPattern"])!;
        var memberValues = new TemplateEvaluator(member, MemberParameters);

        var stopped = Pattern(central, centralValues, "StoppedTaskRule");
        var service = Pattern(central, centralValues, "ServiceEventRule");

        Assert.True(JsonNode.DeepEquals(stopped, Pattern(member, memberValues, "StoppedTaskForwardingRule")));
        Assert.True(JsonNode.DeepEquals(service, Pattern(member, memberValues, "ServiceEventForwardingRule")));
        Assert.True(JsonNode.DeepEquals(stopped, Pattern(central, centralValues, "MemberStoppedTaskRule")));
        Assert.True(JsonNode.DeepEquals(service, Pattern(central, centralValues, "MemberServiceEventRule")));
        foreach (var rule in new[] { "StoppedTaskForwardingRule", "ServiceEventForwardingRule" })
        {
            var target = Assert.Single(member.Resource(rule)["Properties"]!["Targets"]!.AsArray())!;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Ref":"CentralEventBusArn"}"""), target["Arn"]), rule);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::GetAtt":["ForwardingRole","Arn"]}"""), target["RoleArn"]), rule);
        }

        foreach (var rule in new[] { "MemberStoppedTaskRule", "MemberServiceEventRule" })
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Ref":"CentralEventBus"}"""), central.Resource(rule)["Properties"]!["EventBusName"]), rule);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::GetAtt":["RemediatorFunction","Arn"]}"""),
                Assert.Single(central.Resource(rule)["Properties"]!["Targets"]!.AsArray())!["Arn"]), rule);
        }
    }

    [Fact]
    public void ForwardingRole_WhenEventBridgeUsesIt_ShouldOnlyPutEventsOnTheCentralBusForThisAccount()
    {
        var template = TemplateFiles.MemberTemplate;
        var role = new TemplateEvaluator(template, MemberParameters).Resolve(template.Resource("ForwardingRole")["Properties"])!;
        var policy = Assert.Single(role["Policies"]!.AsArray())!["PolicyDocument"]!;
        var trust = role["AssumeRolePolicyDocument"]!;

        var put = new PolicyRequest("arn:aws:sts::111111111111:assumed-role/fwd/events", "events:PutEvents", CentralBus, new Dictionary<string, string>());
        Assert.True(PolicyEvaluator.Allows(policy, put));
        Assert.False(PolicyEvaluator.Allows(policy, put with { Resource = "arn:aws:events:us-east-1:123456789012:event-bus/default" }));
        Assert.False(PolicyEvaluator.Allows(policy, put with { Action = "events:PutRule" }));
        var assume = new PolicyRequest("events.amazonaws.com", "sts:AssumeRole", "*", new Dictionary<string, string> { ["aws:SourceAccount"] = "111111111111" });
        Assert.True(PolicyEvaluator.Allows(trust, assume));
        Assert.False(PolicyEvaluator.Allows(trust, assume with { Keys = new Dictionary<string, string> { ["aws:SourceAccount"] = "999999999999" } }));
    }

    [Fact]
    public void CentralBus_WhenInAnOrganization_ShouldAdmitPutEventsFromItsAccountsOnlyAndOnThisBusOnly()
    {
        var policy = BusPolicy(TemplatePolicyTests.OrgWide);

        Assert.True(PolicyEvaluator.Allows(policy, PutBy("111111111111", Organization)));
        Assert.False(PolicyEvaluator.Allows(policy, PutBy("999999999999", "o-zzzzzzzzzz")));
        Assert.False(PolicyEvaluator.Allows(policy, PutBy("999999999999", null)));
        Assert.False(PolicyEvaluator.Allows(policy, PutBy("111111111111", Organization) with { Action = "events:PutRule" }));
        Assert.False(PolicyEvaluator.Allows(policy, PutBy("111111111111", Organization) with { Resource = "arn:aws:events:us-east-1:123456789012:event-bus/default" }));
    }

    [Fact]
    public void CentralBus_WhenAccountsAreListed_ShouldAdmitThoseAccountsOnly()
    {
        var policy = BusPolicy(new Dictionary<string, string> { ["MemberAccountIds"] = "111111111111,222222222222" });

        Assert.True(PolicyEvaluator.Allows(policy, PutBy("222222222222", null)));
        Assert.False(PolicyEvaluator.Allows(policy, PutBy("333333333333", null)));
        Assert.Single(policy["Statement"]!.AsArray());
    }

    [Fact]
    public void PolicyActions_WhenReadFromTheMemberTemplate_ShouldContainNoWildcard()
    {
        var template = TemplateFiles.MemberTemplate;
        var actions = template.ResourcesOfType("AWS::IAM::Role")
            .SelectMany(r => r.Value["Properties"]!["Policies"]!.AsArray())
            .SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray())
            .SelectMany(s => Actions(s!))
            .ToList();

        Assert.NotEmpty(actions);
        Assert.All(actions, action => Assert.Matches("^[a-z0-9-]+:[A-Za-z0-9]+$", action));
    }

    /// <summary>The central bus's policy as deployed with <paramref name="values"/> (resource names resolved).</summary>
    private static JsonNode BusPolicy(IReadOnlyDictionary<string, string> values)
    {
        var template = TemplateFiles.Template;
        return new TemplateEvaluator(template, values).Resolve(template.Resource("CentralEventBus")["Properties"]!["Policy"])!;
    }

    /// <summary>PutEvents on the central bus by a member's forwarding role, its account in <paramref name="organization"/> (null: none).</summary>
    private static PolicyRequest PutBy(string account, string? organization)
    {
        var principal = $"arn:aws:iam::{account}:role/ecs-remediator-member-ForwardingRole-X";
        var keys = new Dictionary<string, string> { ["aws:PrincipalAccount"] = account, ["aws:PrincipalArn"] = principal };
        if (organization is not null)
        {
            keys["aws:PrincipalOrgID"] = organization;
        }

        return new PolicyRequest(principal, "events:PutEvents", CentralBus, keys);
    }

    private static PolicyRequest AssumeBy(string principalRole) => new(
        principalRole, "sts:AssumeRole", "arn:aws:iam::111111111111:role/ecs-remediator-member",
        new Dictionary<string, string> { ["aws:PrincipalArn"] = principalRole, ["aws:PrincipalAccount"] = principalRole.Split(':')[4] });

    private static List<JsonNode> MemberRoleStatements()
    {
        var role = TemplateFiles.MemberTemplate.Resource("MemberRole")["Properties"]!;
        var policy = Assert.Single(role["Policies"]!.AsArray())!;
        return [.. policy["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!)];
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
