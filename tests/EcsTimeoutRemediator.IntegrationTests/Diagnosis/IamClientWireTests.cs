using Amazon;
using EcsTimeoutRemediator.Aws.Adapters;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Iam;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;
using EcsTimeoutRemediator.Ports;
using WireMock.RequestBuilders;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>The IAM client's wire format against a local stub built from the documented SimulatePrincipalPolicy shape.</summary>
public sealed class IamClientWireTests : IDisposable
{
    private const string Role = "arn:aws:iam::123456789012:role/shopApiExecutionRole";
    private const string SecretA = "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf";
    private const string SecretB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf";
    private readonly IamStub _stub = IamStub.Start();

    public void Dispose() => _stub.Dispose();

    private IamClient Client()
    {
        // The region first: setting RegionEndpoint after ServiceURL would clear the URL.
        var config = new IamClientConfig { RegionEndpoint = RegionEndpoint.EUWest1 };
        config.ServiceURL = _stub.Url;
        config.MaxErrorRetry = 0;
        return new IamClient(MotoServer.Credentials, config);
    }

    [Fact]
    public void Flatten_WhenTheSimulatorLacksAConditionKey_ShouldCarryTheKeyOnEveryDecisionOfThatAction()
    {
        IReadOnlyList<EvaluationResult> results =
        [
            new()
            {
                EvalActionName = "kms:Decrypt",
                EvalDecision = "implicitDeny",
                MissingContextValues = ["kms:ViaService"],
                ResourceSpecificResults = [new ResourceSpecificResult("arn:aws:kms:us-east-1:111122223333:key/k1", "implicitDeny")],
            },
            new() { EvalActionName = "secretsmanager:GetSecretValue", EvalDecision = "allowed" },
        ];

        var decisions = IamPolicySimulatorAdapter.Flatten(results, ["arn:aws:kms:us-east-1:111122223333:key/k1", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"]);

        var decrypt = Assert.Single(decisions, d => d.Action == "kms:Decrypt");
        Assert.True(decrypt.IsUndecided);
        Assert.Equal(["kms:ViaService"], decrypt.MissingContext);
        Assert.All(decisions.Where(d => d.Action == "secretsmanager:GetSecretValue"), d => Assert.False(d.IsUndecided));
    }

    [Fact]
    public async Task SimulatePrincipalPolicyAsync_WhenCalled_ShouldSendTheQueryFormSignedForUsEast1()
    {
        using var client = Client();

        await client.SimulatePrincipalPolicyAsync(new SimulatePrincipalPolicyRequest
        {
            PolicySourceArn = Role,
            ActionNames = ["secretsmanager:GetSecretValue", "ssm:GetParameters"],
            ResourceArns = [SecretA],
        });

        var entry = Assert.Single(_stub.Server.LogEntries);
        var body = entry.RequestMessage.Body!;
        Assert.Contains("Action=SimulatePrincipalPolicy", body, StringComparison.Ordinal);
        Assert.Contains("Version=2010-05-08", body, StringComparison.Ordinal);
        Assert.Contains("PolicySourceArn=" + Uri.EscapeDataString(Role), body, StringComparison.Ordinal);
        Assert.Contains("ActionNames.member.1=secretsmanager%3AGetSecretValue", body, StringComparison.Ordinal);
        Assert.Contains("ActionNames.member.2=ssm%3AGetParameters", body, StringComparison.Ordinal);
        Assert.Contains("ResourceArns.member.1=" + Uri.EscapeDataString(SecretA), body, StringComparison.Ordinal);
        var authorization = entry.RequestMessage.Headers!["Authorization"].ToString();
        Assert.Contains("/us-east-1/iam/aws4_request", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateAsync_WhenTheAnswerHasPerResourceResults_ShouldGiveOneDecisionPerResource()
    {
        _stub.Server.Reset();
        _stub.Answer(IamStub.Response(
            [("secretsmanager:GetSecretValue", "implicitDeny")],
            perResourceXml: $"<ResourceSpecificResults><member><EvalResourceName>{SecretA}</EvalResourceName><EvalResourceDecision>allowed</EvalResourceDecision></member>"
                + $"<member><EvalResourceName>{SecretB}</EvalResourceName><EvalResourceDecision>implicitDeny</EvalResourceDecision></member></ResourceSpecificResults>"));
        using var client = Client();

        var decisions = await new IamPolicySimulatorAdapter(client).SimulateAsync(Role, ["secretsmanager:GetSecretValue"], [SecretA, SecretB], CancellationToken.None);

        Assert.Equal(2, decisions.Count);
        Assert.True(decisions.Single(d => d.Resource == SecretA).IsAllowed);
        Assert.False(decisions.Single(d => d.Resource == SecretB).IsAllowed);
    }

    [Fact]
    public async Task SimulatePrincipalPolicyAsync_WhenTheAnswerIsTruncated_ShouldFollowTheMarker()
    {
        _stub.Server.Reset();
        _stub.Server.Given(Request.Create().WithPath("/").UsingPost()).InScenario("paging").WillSetStateTo("second")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/xml")
                .WithBody(IamStub.Response([("ecr:BatchGetImage", "allowed")], truncated: true, marker: "page-2")));
        _stub.Server.Given(Request.Create().WithPath("/").UsingPost()).InScenario("paging").WhenStateIs("second")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/xml")
                .WithBody(IamStub.Response([("ecr:GetDownloadUrlForLayer", "explicitDeny")])));
        using var client = Client();

        var results = await client.SimulatePrincipalPolicyAsync(new SimulatePrincipalPolicyRequest
        {
            PolicySourceArn = Role,
            ActionNames = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        });

        Assert.Equal(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], results.Select(r => r.EvalActionName));
        Assert.Equal("explicitDeny", results[1].EvalDecision);
        Assert.Contains("Marker=page-2", _stub.Bodies[1], StringComparison.Ordinal);
        Assert.DoesNotContain("ResourceArns", _stub.Bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateAsync_WhenTheRoleDoesNotExist_ShouldReturnNoDecision()
    {
        _stub.Server.Reset();
        _stub.Answer(ErrorXml("Sender", "NoSuchEntity", "The role with name shopApiExecutionRole cannot be found."), status: 404);
        using var client = Client();

        var decisions = await new IamPolicySimulatorAdapter(client).SimulateAsync(Role, ["ecr:BatchGetImage"], ["*"], CancellationToken.None);

        Assert.Empty(decisions);
    }

    [Fact]
    public async Task SimulateAsync_WhenTheFunctionMayNotSimulate_ShouldRaisePermissionDenied()
    {
        _stub.Server.Reset();
        _stub.Answer(ErrorXml("Sender", "AccessDenied", "User is not authorized to perform: iam:SimulatePrincipalPolicy"), status: 403);
        using var client = Client();

        var ex = await Assert.ThrowsAsync<PermissionDeniedException>(() =>
            new IamPolicySimulatorAdapter(client).SimulateAsync(Role, ["ecr:BatchGetImage"], ["*"], CancellationToken.None));

        Assert.Equal("iam:SimulatePrincipalPolicy", ex.Action);
    }

    private static string ErrorXml(string type, string code, string message) =>
        $"<ErrorResponse xmlns=\"{IamStub.Namespace}\"><Error><Type>{type}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>stub-1</RequestId></ErrorResponse>";
}
