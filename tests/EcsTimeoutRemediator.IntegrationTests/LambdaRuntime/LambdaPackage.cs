using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace EcsTimeoutRemediator.IntegrationTests.LambdaRuntime;

/// <summary>
/// The function's package exactly as `sam build` makes it: the Makefile's <c>build-RemediatorFunction</c> target,
/// once per build kind and test run. CI builds both first and names them in <c>LAMBDA_PACKAGE_AOT</c> and
/// <c>LAMBDA_PACKAGE_JIT</c>; without those the first test that needs a package runs make itself.
/// </summary>
public static class LambdaPackage
{
    private static readonly Dictionary<string, Lazy<Task<string>>> Builds = new()
    {
        ["aot"] = new(() => BuildAsync("aot")),
        ["jit"] = new(() => BuildAsync("jit")),
    };

    public static string RepositoryRoot { get; } = Path.GetFullPath(typeof(LambdaPackage).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

    /// <summary>The folder Lambda would unpack to /var/task for <paramref name="build"/> (aot or jit).</summary>
    public static Task<string> DirectoryAsync(string build) => Builds[build].Value;

    private static async Task<string> BuildAsync(string build)
    {
        if (Environment.GetEnvironmentVariable($"LAMBDA_PACKAGE_{build.ToUpperInvariant()}") is { Length: > 0 } given)
        {
            return Path.GetFullPath(given);
        }

        var output = Path.Combine(RepositoryRoot, ".build", $"package-{build}");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x86_64";
        var psi = new ProcessStartInfo("make") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-C", RepositoryRoot, "build-RemediatorFunction", $"LAMBDA_BUILD={build}", $"LAMBDA_ARCH={arch}", $"ARTIFACTS_DIR={output}" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"make build-RemediatorFunction LAMBDA_BUILD={build} failed ({p.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}

/// <summary>
/// Starts a package the way Lambda's runtimes start it. dotnet10, for a Handler without "::": the runtime runs
/// <c>dotnet exec /var/task/&lt;Handler&gt;.dll</c> when that assembly exists, else the native executable
/// <c>/var/task/&lt;Handler&gt;</c>. provided.al2023: <c>/var/task/bootstrap</c>. The environment is Lambda's, not the
/// test process's: the runtime's variables, the function's own, nothing else.
/// </summary>
public sealed class LambdaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private LambdaProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static LambdaProcess Start(string taskRoot, string runtime, string handler, string runtimeApi, IReadOnlyDictionary<string, string> functionEnvironment)
    {
        var (file, args) = runtime switch
        {
            "dotnet10" when handler.Contains(':', StringComparison.Ordinal) => throw new NotSupportedException("class-library handlers need Amazon.Lambda.RuntimeSupport"),
            "dotnet10" when File.Exists(Path.Combine(taskRoot, handler + ".dll")) => (DotnetHost(), new[] { "exec", Path.Combine(taskRoot, handler + ".dll") }),
            "dotnet10" when File.Exists(Path.Combine(taskRoot, handler)) => (Path.Combine(taskRoot, handler), Array.Empty<string>()),
            "dotnet10" => throw new FileNotFoundException($"executable assembly {handler}.dll or binary {handler} not found in {taskRoot} (the runtime exits 104)"),
            "provided.al2023" => (Path.Combine(taskRoot, "bootstrap"), Array.Empty<string>()),
            _ => throw new NotSupportedException(runtime),
        };
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = taskRoot };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Clear();
        psi.Environment["PATH"] = $"{Path.GetDirectoryName(DotnetHost())}:/usr/local/bin:/usr/bin:/bin";
        psi.Environment["LANG"] = "en_US.UTF-8";
        psi.Environment["TZ"] = ":UTC";
        psi.Environment["LAMBDA_TASK_ROOT"] = taskRoot;
        psi.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        psi.Environment["_HANDLER"] = handler;
        psi.Environment["AWS_EXECUTION_ENV"] = $"AWS_Lambda_{runtime}";
        psi.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "ecs-timeout-remediator";
        psi.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512";
        psi.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        foreach (var (k, v) in functionEnvironment)
        {
            psi.Environment[k] = v;
        }

        return new LambdaProcess(Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start"));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "/usr/share/dotnet/dotnet";

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
