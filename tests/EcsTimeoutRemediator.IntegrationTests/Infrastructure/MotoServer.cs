using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SQS;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.Aws.Clients.Ecs;
using EcsTimeoutRemediator.Aws.Clients.ElbV2;
using EcsTimeoutRemediator.Aws.Clients.Sns;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>
/// A moto server on a free loopback port, started for the collection and killed at its end. Nothing is
/// set in the test process's environment: clients get the endpoint through their config (ServiceURL and
/// AuthenticationRegion) and dummy credentials.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;

    public MotoServer()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A server whose process gets <paramref name="environment"/> (moto's own switches, such as MOTO_ECS_SERVICE_FAILED_TASKS).</summary>
    internal MotoServer(IReadOnlyDictionary<string, string> environment) => _environment = environment;

    /// <summary>The server's base URL, e.g. http://127.0.0.1:40123.</summary>
    public string Url { get; private set; } = "";

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("testing", "testing");

    private const string SingleThreadedServer = """
        import sys
        from werkzeug.serving import run_simple
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)
        """;

    public async Task InitializeAsync()
    {
        var port = FreeLoopbackPort();
        Url = $"http://127.0.0.1:{port}";
        // moto's own entry point serves requests on many threads, and its in-memory backends do not lock an item
        // between read and write, so two concurrent UpdateItem ADDs can lose one. AWS applies every item write
        // atomically; serving one request at a time gives the tests the same guarantee.
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { "-c", SingleThreadedServer, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri($"{Url}/moto-api/data.json"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"moto server did not answer on {Url} within {StartTimeout}:\n{Output}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Forgets every resource (POST /moto-api/reset). Each test calls it first.</summary>
    public async Task ResetAsync()
    {
        using var response = await _http.PostAsync(new Uri($"{Url}/moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Points <paramref name="config"/> at this server, signing for <see cref="Region"/>.</summary>
    public T Configure<T>(T config)
        where T : ClientConfig
    {
        config.ServiceURL = Url;
        config.AuthenticationRegion = Region;
        return config;
    }

    public EcsClient CreateEcsClient() => new(Credentials, Configure(new EcsClientConfig()));

    public SnsClient CreateSnsClient() => new(Credentials, Configure(new SnsClientConfig()));

    public ElbV2Client CreateElbV2Client() => new(Credentials, Configure(new ElbV2ClientConfig()));

    public AmazonEC2Client CreateEc2Client() => new(Credentials, Configure(new AmazonEC2Config()));

    public AmazonSQSClient CreateSqsClient() => new(Credentials, Configure(new AmazonSQSConfig()));

    /// <summary>All typed clients through the production factory, pointed at this server.</summary>
    public AwsClients CreateClients() => AwsClients.Create(new AwsClientsOptions
    {
        Credentials = Credentials,
        ServiceUrl = Url,
        AuthenticationRegion = Region,
    });

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Tests against the shared moto server run in this collection, one at a time and alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
