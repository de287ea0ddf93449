using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary><c>ecs-remediator doctor</c> through the real process against moto (IAM through the local stub).</summary>
[Collection(MotoCollection.Name)]
public sealed class DoctorProcessTests(MotoServer moto) : IAsyncLifetime
{
    private DiagnosisWorld _world = null!;
    private IamStub _iam = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _world = await DiagnosisWorld.CreateAsync(moto);
        _iam = IamStub.Start();
    }

    public Task DisposeAsync()
    {
        _world.Dispose();
        _iam.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> DoctorAsync(params string[] args)
    {
        var cli = Path.GetFullPath(typeof(DoctorProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliAssembly").Value!);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        psi.ArgumentList.Add("doctor");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["AWS_REGION"] = MotoServer.Region;
        psi.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        psi.Environment["AWS_ENDPOINT_URL"] = moto.Url;
        psi.Environment["AWS_ENDPOINT_URL_IAM"] = _iam.Url;
        psi.Environment["AWS_MAX_ATTEMPTS"] = "2";
        psi.Environment.Remove("AWS_PROFILE");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Doctor_WhenTheServiceIsSetUpCorrectly_ShouldPrintTheTableAndExitZero()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);

        var r = await DoctorAsync("--cluster", DiagnosisWorld.Cluster, "--service", "api");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("ecs-remediator doctor: service shop/api in us-east-1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ route ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ execution-role ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n0 missing or wrong,", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("✗", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Action=SimulatePrincipalPolicy", Assert.Single(_iam.Bodies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WhenThePublicIpIsMissingAndJsonIsAsked_ShouldExitThreeWithTheFindingAndItsFix()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: false);

        var r = await DoctorAsync("--cluster", DiagnosisWorld.Cluster, "--service", "api", "--format", "json");

        Assert.True(r.ExitCode == 3, r.Stdout + r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("problems").GetBoolean());
        var first = root.GetProperty("findings")[0];
        Assert.Equal("public-ip", first.GetProperty("check").GetString());
        Assert.Equal("missing", first.GetProperty("status").GetString()!.ToLowerInvariant());
        var fix = root.GetProperty("fixes")[0];
        Assert.Equal("enable-assign-public-ip", fix.GetProperty("fix").GetString());
        Assert.Contains($"awsvpcConfiguration={{subnets=[{_world.PublicSubnet}],securityGroups=[{_world.TaskSecurityGroup}],assignPublicIp=ENABLED}}",
            fix.GetProperty("steps")[0].GetProperty("command").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WhenATaskDefinitionIsCheckedForAPrivateSubnet_ShouldExitThreeAndListTheEndpointCommands()
    {
        var r = await DoctorAsync("--task-definition", _world.TaskDefinitionArn, "--subnets", _world.PrivateSubnet, "--security-groups", _world.TaskSecurityGroup);

        Assert.True(r.ExitCode == 3, r.Stdout + r.Stderr);
        Assert.Contains($"ecs-remediator doctor: task definition {_world.TaskDefinitionArn}", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("✗ vpc-endpoints", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"--vpc-id {_world.VpcId} --vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids {_world.PrivateRouteTable}", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--service", "api")]
    [InlineData("--task-definition", "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-api:1")]
    [InlineData("--cluster", "shop", "--service", "api", "--format", "yaml")]
    [InlineData("--cluster", "shop", "--service", "api", "--verbose", "yes")]
    public async Task Doctor_WhenTheUsageIsWrong_ShouldExitTwoWithOneLine(params string[] args)
    {
        var r = await DoctorAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("ecs-remediator: ", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(r.Stdout);
    }
}
