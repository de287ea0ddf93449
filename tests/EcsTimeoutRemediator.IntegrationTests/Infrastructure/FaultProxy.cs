using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>What an armed <see cref="FaultProxy"/> rule does to a request instead of forwarding it.</summary>
public enum FaultKind
{
    /// <summary>400 with the protocol's throttling error (ThrottlingException, Throttling, EC2 RequestLimitExceeded).</summary>
    Throttling,

    /// <summary>429 with TooManyRequestsException (EC2: RequestLimitExceeded).</summary>
    TooManyRequests,

    /// <summary>500 with InternalFailure (EC2: InternalError).</summary>
    InternalError,

    /// <summary>503 with ServiceUnavailable (EC2: Unavailable).</summary>
    ServiceUnavailable,

    /// <summary>403 with AccessDeniedException (JSON), AccessDenied (query XML) or UnauthorizedOperation (EC2).</summary>
    AccessDenied,

    /// <summary>The connection is reset (TCP RST) without a response; the request never reaches the server.</summary>
    ResetConnection,

    /// <summary>The request is forwarded and takes effect, then the connection is reset: the caller never sees the answer.</summary>
    LostResponse,

    /// <summary>The request is forwarded and its answer held back for <see cref="Fault.Delay"/> before it is sent.</summary>
    Slow,
}

/// <summary>One fault: its kind, and for <see cref="FaultKind.Slow"/> how long the answer is held back.</summary>
public sealed record Fault(FaultKind Kind, TimeSpan Delay = default)
{
    public static Fault Throttling { get; } = new(FaultKind.Throttling);

    public static Fault TooManyRequests { get; } = new(FaultKind.TooManyRequests);

    public static Fault InternalError { get; } = new(FaultKind.InternalError);

    public static Fault ServiceUnavailable { get; } = new(FaultKind.ServiceUnavailable);

    public static Fault AccessDenied { get; } = new(FaultKind.AccessDenied);

    public static Fault ResetConnection { get; } = new(FaultKind.ResetConnection);

    public static Fault LostResponse { get; } = new(FaultKind.LostResponse);

    public static Fault Slow(TimeSpan delay) => new(FaultKind.Slow, delay);

    /// <summary>True when the request reaches the upstream server (and so takes effect there).</summary>
    public bool Forwards => Kind is FaultKind.Slow or FaultKind.LostResponse;
}

/// <summary>
/// The SigV4 signing names the proxy reports as <see cref="ProxiedCall.Service"/> (the fourth part of the
/// Authorization header's credential scope).
/// </summary>
public static class SigningName
{
    public const string Ecs = "ecs";
    public const string Ec2 = "ec2";
    public const string ElbV2 = "elasticloadbalancing";
    public const string Sns = "sns";
    public const string Sqs = "sqs";
    public const string DynamoDb = "dynamodb";
    public const string Sts = "sts";
    public const string Iam = "iam";
    public const string Ecr = "ecr";
    public const string Logs = "logs";
    public const string Efs = "elasticfilesystem";
    public const string Ssm = "ssm";
    public const string SecretsManager = "secretsmanager";
    public const string Kms = "kms";
}

/// <summary>Which requests a rule counts: a set of services (null: any) and an operation (null: any).</summary>
public sealed record CallMatch(IReadOnlySet<string>? Services = null, string? Operation = null)
{
    public static CallMatch Any { get; } = new();

    /// <summary>Every request to one of <paramref name="services"/> (signing names, see <see cref="SigningName"/>).</summary>
    public static CallMatch Service(params string[] services) =>
        new(new HashSet<string>(services, StringComparer.OrdinalIgnoreCase));

    /// <summary>One operation of one service, e.g. <c>Call("ec2", "DescribeSubnets")</c>.</summary>
    public static CallMatch Call(string service, string operation) =>
        new(new HashSet<string>([service], StringComparer.OrdinalIgnoreCase), operation);

    /// <summary>One operation of any service.</summary>
    public static CallMatch AnyServiceOperation(string operation) => new(null, operation);

    public bool Matches(string service, string operation) =>
        (Services is null || Services.Contains(service))
        && (Operation is null || string.Equals(Operation, operation, StringComparison.Ordinal));

    public bool Matches(ProxiedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Matches(call.Service, call.Operation);
    }
}

/// <summary>
/// One request as the proxy saw it, in arrival order. <see cref="Status"/> is what the client was sent (0: no
/// response, the connection was reset); <see cref="Forwarded"/> is whether the request reached the upstream
/// server, so whether it can have taken effect there. <see cref="Attempt"/> and <see cref="InvocationId"/> come from the
/// SDK's amz-sdk-request and amz-sdk-invocation-id headers: the SDK's retries of one call share the invocation id.
/// </summary>
public sealed record ProxiedCall(int Sequence, string Service, string Operation, int Status, FaultKind? Fault, bool Forwarded, int? Attempt = null, string? InvocationId = null)
{
    public override string ToString() =>
        $"#{Sequence} {Service}:{Operation} → {(Status == 0 ? "reset" : Status.ToString(CultureInfo.InvariantCulture))}"
        + (Fault is { } f ? $" ({f})" : "") + (Forwarded ? "" : " [not forwarded]")
        + (Attempt is { } a ? $" attempt {a}" : "") + (InvocationId is { } id ? $" of {id[..Math.Min(8, id.Length)]}" : "");
}

/// <summary>An armed rule: the <see cref="Nth"/> matching request (and with <see cref="FromNthOn"/> every later one) gets <see cref="Fault"/>.</summary>
public sealed class FaultRule
{
    private int _matched;
    private int _fired;

    internal FaultRule(CallMatch match, int nth, bool fromNthOn, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nth, 1);
        Match = match;
        Nth = nth;
        FromNthOn = fromNthOn;
        Fault = fault;
    }

    public CallMatch Match { get; }

    public int Nth { get; }

    public bool FromNthOn { get; }

    public Fault Fault { get; }

    /// <summary>Requests this rule matched so far (whether or not it fired on them).</summary>
    public int Matched => Volatile.Read(ref _matched);

    /// <summary>Requests this rule answered with its fault.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Counts one matching request; true when the rule fires on it. Called under the proxy's lock.</summary>
    internal bool Count()
    {
        var n = ++_matched;
        return FromNthOn ? n >= Nth : n == Nth;
    }

    internal void MarkFired() => _fired++;
}

/// <summary>
/// An in-process HTTP/1.1 reverse proxy on a free loopback port in front of an AWS endpoint (moto). Point SDK
/// clients at <see cref="Url"/> exactly as at moto (ServiceURL or AWS_ENDPOINT_URL). Every request is identified
/// (service from the SigV4 credential scope; operation from X-Amz-Target, the query protocol's Action, or the REST
/// method and path), logged in arrival order with the status returned, and either forwarded unchanged (method,
/// target, every header including Host, body) or answered by the first armed rule that fires on it. Serves
/// connections concurrently and keeps them alive.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Expect", "Content-Length",
    };

    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly List<ProxiedCall> _calls = [];
    private readonly HashSet<Socket> _open = [];
    private readonly List<Task> _connections = [];
    private readonly TcpListener _listener;
    private readonly HttpClient _upstream;
    private readonly Uri _upstreamBase;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _sequence;
    private int _accepted;

    private FaultProxy(string upstreamUrl)
    {
        _upstreamBase = new Uri(upstreamUrl.TrimEnd('/'));
        _upstream = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 128);
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Starts a proxy in front of <paramref name="upstreamUrl"/> (e.g. <see cref="MotoServer.Url"/>).</summary>
    public static FaultProxy Start(string upstreamUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamUrl);
        return new FaultProxy(upstreamUrl);
    }

    /// <summary>The proxy's base URL, e.g. http://127.0.0.1:40124.</summary>
    public string Url { get; }

    /// <summary>TCP connections accepted so far (keep-alive serves many requests on one).</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ProxiedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls.OrderBy(c => c.Sequence)];
            }
        }
    }

    /// <summary>The calls matching <paramref name="match"/>, in arrival order.</summary>
    public IReadOnlyList<ProxiedCall> CallsTo(CallMatch match) => [.. Calls.Where(match.Matches)];

    /// <summary>Points <paramref name="config"/> at this proxy, signing for <see cref="MotoServer.Region"/>.</summary>
    public T Configure<T>(T config)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ServiceURL = Url;
        config.AuthenticationRegion = MotoServer.Region;
        return config;
    }

    /// <summary>Answers only the <paramref name="nth"/> request matching <paramref name="match"/> (1-based) with <paramref name="fault"/>.</summary>
    public FaultRule FailNth(CallMatch match, int nth, Fault fault) => Arm(new FaultRule(match, nth, fromNthOn: false, fault));

    /// <summary>Answers the <paramref name="nth"/> request matching <paramref name="match"/> and every later one with <paramref name="fault"/>.</summary>
    public FaultRule FailFromNth(CallMatch match, int nth, Fault fault) => Arm(new FaultRule(match, nth, fromNthOn: true, fault));

    /// <summary>Removes every rule: from now on every request is forwarded.</summary>
    public void Disarm()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Forgets the call log (rules and their counts stay).</summary>
    public void ClearCalls()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Socket[] open;
        Task[] connections;
        lock (_gate)
        {
            open = [.. _open];
            connections = [.. _connections];
        }

        foreach (var socket in open)
        {
            socket.Dispose();
        }

        await Task.WhenAll([_acceptLoop, .. connections]).WaitAsync(TimeSpan.FromSeconds(10));
        _upstream.Dispose();
        _stop.Dispose();
    }

    private FaultRule Arm(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            lock (_gate)
            {
                _open.Add(socket);
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(Task.Run(() => ServeConnectionAsync(socket)));
            }
        }
    }

    private async Task ServeConnectionAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new HttpReader(stream);
            while (!_stop.IsCancellationRequested)
            {
                var request = await reader.ReadRequestAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }

                var keepAlive = await HandleAsync(socket, stream, request);
                if (!keepAlive)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            // The client went away, the proxy is stopping, or the request was not HTTP: drop the connection.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(socket);
            }

            socket.Dispose();
        }
    }

    /// <summary>Answers one request; false when the connection must not serve another.</summary>
    private async Task<bool> HandleAsync(Socket socket, NetworkStream stream, ProxyRequest request)
    {
        var service = ServiceOf(request);
        var operation = OperationOf(request);
        int sequence;
        Fault? fault = null;
        lock (_gate)
        {
            sequence = ++_sequence;
            foreach (var rule in _rules)
            {
                if (rule.Match.Matches(service, operation) && rule.Count() && fault is null)
                {
                    rule.MarkFired();
                    fault = rule.Fault;
                }
            }
        }

        void Log(int status, bool forwarded)
        {
            lock (_gate)
            {
                _calls.Add(new ProxiedCall(sequence, service, operation, status, fault?.Kind, forwarded, AttemptOf(request), request.Header("amz-sdk-invocation-id")));
            }
        }

        if (fault is { Kind: FaultKind.ResetConnection })
        {
            Log(0, forwarded: false);
            Reset(socket);
            return false;
        }

        ProxyResponse response;
        var forwarded = fault is null || fault.Forwards;
        if (forwarded)
        {
            response = await ForwardAsync(request);
        }
        else
        {
            response = ErrorResponse(fault!.Kind, service, request);
        }

        if (fault is { Kind: FaultKind.LostResponse })
        {
            Log(0, forwarded: true);
            Reset(socket);
            return false;
        }

        if (fault is { Kind: FaultKind.Slow })
        {
            await Task.Delay(fault.Delay, _stop.Token);
        }

        Log(response.Status, forwarded);
        var keepAlive = request.KeepAlive && !_stop.IsCancellationRequested;
        await WriteResponseAsync(stream, request, response, keepAlive);
        return keepAlive;
    }

    private static void Reset(Socket socket)
    {
        // Linger 0: close sends RST instead of FIN, so the client sees a reset, not an orderly end.
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private async Task<ProxyResponse> ForwardAsync(ProxyRequest request)
    {
        var target = new Uri(_upstreamBase.GetLeftPart(UriPartial.Authority) + request.Target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target) { Version = HttpVersion.Version11 };
        var hasBody = request.Body.Length > 0 || request.Headers.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
        if (hasBody)
        {
            message.Content = new ByteArrayContent(request.Body);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                // The Host the client signed stays as it was.
                message.Headers.Host = value;
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await _upstream.SendAsync(message, HttpCompletionOption.ResponseContentRead, _stop.Token);
            var body = await response.Content.ReadAsByteArrayAsync(_stop.Token);
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var (name, values) in response.Headers.NonValidated)
            {
                foreach (var v in values)
                {
                    headers.Add(new(name, v));
                }
            }

            foreach (var (name, values) in response.Content.Headers.NonValidated)
            {
                foreach (var v in values)
                {
                    headers.Add(new(name, v));
                }
            }

            return new ProxyResponse((int)response.StatusCode, response.ReasonPhrase, headers, body);
        }
        catch (HttpRequestException e)
        {
            return new ProxyResponse(502, "Bad Gateway", [new("Content-Type", "text/plain")], Encoding.UTF8.GetBytes($"upstream failed: {e.Message}"));
        }
    }

    private static async Task WriteResponseAsync(NetworkStream stream, ProxyRequest request, ProxyResponse response, bool keepAlive)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} {response.Reason ?? ReasonOf(response.Status)}\r\n");
        foreach (var (name, value) in response.Headers)
        {
            if (!HopByHop.Contains(name))
            {
                head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }
        }

        var isHead = request.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
        var length = isHead
            ? response.Headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value ?? "0"
            : response.Body.Length.ToString(CultureInfo.InvariantCulture);
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        head.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()));
        if (!isHead && response.Body.Length > 0)
        {
            await stream.WriteAsync(response.Body);
        }

        await stream.FlushAsync();
    }

    private static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>The signing name in <c>Credential=AKID/date/region/SERVICE/aws4_request</c> (header or pre-signed query).</summary>
    internal static string ServiceOf(ProxyRequest request)
    {
        var authorization = request.Header("Authorization");
        string? credential = null;
        if (authorization is not null)
        {
            var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (at >= 0)
            {
                var start = at + "Credential=".Length;
                var end = authorization.IndexOfAny([',', ' '], start);
                credential = end < 0 ? authorization[start..] : authorization[start..end];
            }
        }

        credential ??= QueryValue(request.Query, "X-Amz-Credential");
        var parts = credential?.Split('/');
        return parts is { Length: 5 } ? parts[3].ToLowerInvariant() : "unknown";
    }

    /// <summary>
    /// The operation: after the dot of X-Amz-Target (JSON protocols), the Action of a form body or query string
    /// (query protocols), else "METHOD /path" (REST protocols).
    /// </summary>
    internal static string OperationOf(ProxyRequest request)
    {
        if (request.Header("X-Amz-Target") is { } target)
        {
            var dot = target.LastIndexOf('.');
            return dot >= 0 ? target[(dot + 1)..] : target;
        }

        if (request.IsForm && QueryValue(Encoding.UTF8.GetString(request.Body), "Action") is { } formAction)
        {
            return formAction;
        }

        if (QueryValue(request.Query, "Action") is { } queryAction)
        {
            return queryAction;
        }

        return $"{request.Method} {request.Path}";
    }

    /// <summary>The attempt in <c>amz-sdk-request: attempt=2; max=3</c>.</summary>
    private static int? AttemptOf(ProxyRequest request)
    {
        foreach (var part in (request.Header("amz-sdk-request") ?? "").Split(';', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("attempt=", StringComparison.Ordinal)
                && int.TryParse(part["attempt=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
            {
                return attempt;
            }
        }

        return null;
    }

    private static string? QueryValue(string query, string key)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            if (name == key)
            {
                return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    /// <summary>The fault's answer in the shape of the request's protocol.</summary>
    internal static ProxyResponse ErrorResponse(FaultKind kind, string service, ProxyRequest request)
    {
        var requestId = Guid.NewGuid().ToString();
        var ec2 = service == SigningName.Ec2;
        var (status, jsonCode, queryCode, ec2Code, message) = kind switch
        {
            FaultKind.Throttling => (400, "ThrottlingException", "Throttling", "RequestLimitExceeded", "Rate exceeded"),
            FaultKind.TooManyRequests => (429, "TooManyRequestsException", "TooManyRequestsException", "RequestLimitExceeded", "Too many requests"),
            FaultKind.InternalError => (500, "InternalFailure", "InternalFailure", "InternalError", "An internal error occurred"),
            FaultKind.ServiceUnavailable => (503, "ServiceUnavailable", "ServiceUnavailable", "Unavailable", "The service is unavailable"),
            FaultKind.AccessDenied => (403, "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "User is not authorized to perform this operation"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an error answer"),
        };

        if (request.Header("X-Amz-Target") is not null)
        {
            var contentType = request.Header("Content-Type") is { } ct && ct.StartsWith("application/x-amz-json", StringComparison.Ordinal) ? ct : "application/x-amz-json-1.1";
            return new ProxyResponse(status, null, [new("Content-Type", contentType), new("x-amzn-RequestId", requestId)],
                Encoding.UTF8.GetBytes($$"""{"__type":"{{jsonCode}}","message":"{{message}}"}"""));
        }

        if (ec2)
        {
            return new ProxyResponse(status, null, [new("Content-Type", "text/xml;charset=UTF-8")], Encoding.UTF8.GetBytes(
                $"""<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{ec2Code}</Code><Message>{message}</Message></Error></Errors><RequestID>{requestId}</RequestID></Response>"""));
        }

        if (request.IsForm || QueryValue(request.Query, "Action") is not null)
        {
            var type = status >= 500 ? "Receiver" : "Sender";
            return new ProxyResponse(status, null, [new("Content-Type", "text/xml"), new("x-amzn-RequestId", requestId)], Encoding.UTF8.GetBytes(
                $"""<?xml version="1.0"?><ErrorResponse><Error><Type>{type}</Type><Code>{queryCode}</Code><Message>{message}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>"""));
        }

        // REST-JSON: the code in x-amzn-ErrorType and the body.
        return new ProxyResponse(status, null, [new("Content-Type", "application/json"), new("x-amzn-RequestId", requestId), new("x-amzn-ErrorType", jsonCode)],
            Encoding.UTF8.GetBytes($$"""{"__type":"{{jsonCode}}","message":"{{message}}"}"""));
    }

    /// <summary>A parsed request: its line, its headers in order and as sent, and its (de-chunked) body.</summary>
    internal sealed record ProxyRequest(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public string Path => Target.Split('?', 2)[0];

        public string Query => Target.Split('?', 2) is [_, var q] ? q : "";

        public bool IsForm => Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

        public bool KeepAlive
        {
            get
            {
                var connection = Header("Connection");
                return Version == "HTTP/1.1"
                    ? !string.Equals(connection, "close", StringComparison.OrdinalIgnoreCase)
                    : string.Equals(connection, "keep-alive", StringComparison.OrdinalIgnoreCase);
            }
        }

        public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    internal sealed record ProxyResponse(int Status, string? Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);

    /// <summary>Reads HTTP/1.x requests off one connection: lines, then an exact or chunked body.</summary>
    private sealed class HttpReader(Stream stream)
    {
        private const int MaxHeadBytes = 256 * 1024;
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        /// <summary>The next request, or null when the client closed the connection between requests.</summary>
        public async Task<ProxyRequest?> ReadRequestAsync(Stream output, CancellationToken ct)
        {
            string? line;
            do
            {
                line = await ReadLineAsync(ct);
                if (line is null)
                {
                    return null;
                }
            }
            while (line.Length == 0);

            var parts = line.Split(' ');
            if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"not an HTTP/1.x request line: {line}");
            }

            var headers = new List<KeyValuePair<string, string>>();
            while ((line = await ReadLineAsync(ct) ?? throw new IOException("connection closed in the headers")).Length > 0)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new InvalidDataException($"bad header line: {line}");
                }

                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }

            string? Get(string name) => headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
            if (string.Equals(Get("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
            {
                await output.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct);
                await output.FlushAsync(ct);
            }

            byte[] body;
            if (Get("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = await ReadChunkedAsync(ct);
            }
            else if (Get("Content-Length") is { } cl)
            {
                body = await ReadExactAsync(int.Parse(cl, NumberStyles.None, CultureInfo.InvariantCulture), ct);
            }
            else
            {
                body = [];
            }

            return new ProxyRequest(parts[0], parts[1], parts[2], headers, body);
        }

        private async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
        {
            using var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(ct) ?? throw new IOException("connection closed in a chunked body");
                var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    // Trailers up to the empty line.
                    while ((await ReadLineAsync(ct) ?? "").Length > 0)
                    {
                    }

                    return body.ToArray();
                }

                body.Write(await ReadExactAsync(size, ct));
                await ReadLineAsync(ct);
            }
        }

        private async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var scanned = 0;
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
                if (newline >= 0)
                {
                    var length = newline - _start;
                    if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                    {
                        length--;
                    }

                    var line = Encoding.Latin1.GetString(_buffer, _start, length);
                    _start = newline + 1;
                    return line;
                }

                scanned = _end - _start;
                if (!await FillAsync(ct))
                {
                    return scanned == 0 ? null : throw new IOException("connection closed mid-line");
                }
            }
        }

        private async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var have = Math.Min(count, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, 0, have);
            _start += have;
            if (have < count)
            {
                await stream.ReadExactlyAsync(result.AsMemory(have), ct);
            }

            return result;
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxHeadBytes)
                {
                    throw new InvalidDataException("request head too large");
                }

                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
            _end += n;
            return n > 0;
        }
    }
}
