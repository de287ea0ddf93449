using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Sts;
using EcsTimeoutRemediator.IntegrationTests.Template;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>
/// An AWS Organization on one moto server: moto keeps a backend per account and acts in the account of the access
/// key a request is signed with, and an AssumeRole into <c>arn:aws:iam::A:role/…</c> returns such a key for A. The
/// member roles are created from template-member.yaml as a StackSet would create them.
/// </summary>
public static class MotoOrganization
{
    public const string Id = "o-a1b2c3d4e5";

    /// <summary>The central function's role, as the central stack's RemediatorRoleArn output would name it.</summary>
    public const string CentralRole = "arn:aws:iam::123456789012:role/ecs-timeout-remediator-RemediatorRole-1A2B3C";

    public const string CentralBus = "arn:aws:events:us-east-1:123456789012:event-bus/ecs-timeout-remediator-ecs-events";

    /// <summary>Credentials that act in <paramref name="account"/> on <paramref name="moto"/> (to build its world).</summary>
    public static async Task<AWSCredentials> CredentialsAsync(MotoServer moto, string account)
    {
        using var sts = new StsClient(MotoServer.Credentials, moto.Configure(new StsClientConfig()));
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{account}:role/world-builder", RoleSessionName = "world-builder" });
        return new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
    }

    /// <summary>
    /// Creates the member role of template-member.yaml in <paramref name="account"/>: its name, its trust policy for
    /// <paramref name="centralRoleArn"/> and its permissions, as CloudFormation would deploy them there.
    /// </summary>
    public static async Task<string> DeployMemberRoleAsync(MotoServer moto, string account, string centralRoleArn = CentralRole)
    {
        var template = TemplateFiles.MemberTemplate;
        var values = new Dictionary<string, string>
        {
            ["CentralEventBusArn"] = CentralBus,
            ["CentralRoleArn"] = centralRoleArn,
            ["AWS::AccountId"] = account,
        };
        var role = new TemplateEvaluator(template, values).Resolve(template.Resource("MemberRole")["Properties"])!;
        var name = (string)role["RoleName"]!;
        var policy = role["Policies"]![0]!;
        using var iam = new IamSetupClient(await CredentialsAsync(moto, account), moto.Configure(new IamClientConfig()));
        var arn = await iam.CreateRoleAsync(name, role["AssumeRolePolicyDocument"]!.ToJsonString());
        await iam.PutRolePolicyAsync(name, (string)policy["PolicyName"]!, policy["PolicyDocument"]!.ToJsonString());
        return arn;
    }

    /// <summary>The central function's sts:AssumeRole statement, as the central stack deploys it for this organization.</summary>
    public static JsonNode CentralAssumePolicy()
    {
        var template = TemplateFiles.Template;
        var values = new Dictionary<string, string> { ["OrganizationId"] = Id };
        var role = new TemplateEvaluator(template, values, keepUnresolved: true).ResolveConditions(template.Resource("RemediatorRole")["Properties"])!;
        var statement = role["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "AssumeMemberRoles");
        return new JsonObject { ["Statement"] = new JsonArray(new TemplateEvaluator(template, values).Resolve(statement)) };
    }
}
