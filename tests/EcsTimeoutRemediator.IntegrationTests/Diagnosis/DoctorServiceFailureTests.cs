using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// <c>ecs-remediator doctor</c> through the real process against moto when a service answers 500 after the SDK's
/// retries (through <see cref="FaultProxy"/>): that area's checks are unknown, every other area is still reported.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DoctorServiceFailureTests(MotoServer moto) : IAsyncLifetime
{
    private const int MaxAttempts = 2;

    private static readonly CallMatch Simulation = CallMatch.Call(SigningName.Iam, "SimulatePrincipalPolicy");

    private DiagnosisWorld _world = null!;
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _world = await DiagnosisWorld.CreateAsync(moto);
        _proxy = FaultProxy.Start(moto.Url);
    }

    public async Task DisposeAsync()
    {
        _world.Dispose();
        await _proxy.DisposeAsync();
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> DoctorAsync(string endpoint, string iamEndpoint, params string[] args)
    {
        var cli = Path.GetFullPath(typeof(DoctorServiceFailureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliAssembly").Value!);
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
        psi.Environment["AWS_ENDPOINT_URL"] = endpoint;
        psi.Environment["AWS_ENDPOINT_URL_IAM"] = iamEndpoint;
        psi.Environment["AWS_MAX_ATTEMPTS"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment.Remove("AWS_PROFILE");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Doctor_WhenSimulatePrincipalPolicyAnswers500_ShouldReportTheRoleUnknownWithTheAttemptsAndStillPrintTheOtherChecks()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);
        _proxy.FailFromNth(Simulation, 1, Fault.InternalError);

        var r = await DoctorAsync(moto.Url, _proxy.Url, "--cluster", DiagnosisWorld.Cluster, "--service", "api");

        // Nothing is missing or wrong, and enough was read: not the internal-error exit.
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.Stdout}{r.Stderr}");
        var calls = _proxy.CallsTo(Simulation);
        Assert.Equal(MaxAttempts, calls.Count);
        Assert.All(calls, c => Assert.Equal(500, c.Status));
        var role = Assert.Single(r.Stdout.Split('\n'), l => l.StartsWith("? execution-role ", StringComparison.Ordinal));
        Assert.Contains($"unknown (IAM answered 500 after {calls.Count} attempts)", role, StringComparison.Ordinal);
        Assert.Contains(DiagnosisWorld.ExecutionRole, role, StringComparison.Ordinal);
        Assert.Contains("✓ route ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ log-group ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ ecr-image ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n0 missing or wrong,", r.Stdout, StringComparison.Ordinal);
        Assert.Empty(r.Stderr);
    }

    [Fact]
    public async Task Doctor_WhenSimulatePrincipalPolicyAnswers500AndJsonIsAsked_ShouldKeepEveryOtherFinding()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: false);
        _proxy.FailFromNth(Simulation, 1, Fault.InternalError);

        var r = await DoctorAsync(moto.Url, _proxy.Url, "--cluster", DiagnosisWorld.Cluster, "--service", "api", "--format", "json");

        // The missing public IP is still found: exit 3, as without the failure.
        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}\n{r.Stdout}{r.Stderr}");
        using var json = JsonDocument.Parse(r.Stdout);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal("public-ip", findings[0].GetProperty("check").GetString());
        var role = Assert.Single(findings, f => f.GetProperty("check").GetString() == "execution-role");
        Assert.Equal("unknown", role.GetProperty("status").GetString()!.ToLowerInvariant());
        Assert.StartsWith($"unknown (IAM answered 500 after {MaxAttempts} attempts)", role.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(json.RootElement.GetProperty("nothingRead").GetBoolean());
    }

    [Fact]
    public async Task Doctor_WhenEveryServiceAnswers500_ShouldPrintTheUnknownAreaAndExitOne()
    {
        await _world.CreateServiceAsync(_world.PublicSubnet, assignPublicIp: true);
        _proxy.FailFromNth(CallMatch.Any, 1, Fault.InternalError);

        var r = await DoctorAsync(_proxy.Url, _proxy.Url, "--cluster", DiagnosisWorld.Cluster, "--service", "api");

        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}\n{r.Stdout}{r.Stderr}");
        Assert.Contains($"? service ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"unknown (ECS answered 500 after {MaxAttempts} attempts)", r.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("ecs-remediator: nothing could be read (", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
