using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Clients;
using EcsTimeoutRemediator.IntegrationTests.Template;

namespace EcsTimeoutRemediator.IntegrationTests.Infrastructure;

/// <summary>
/// An STS endpoint in front of moto that decides <c>sts:AssumeRole</c> as IAM would (moto grants every one): the
/// caller's own policy must allow it, the role must exist in moto's IAM of its account, and the role's trust policy
/// must admit the caller; otherwise it answers 403 AccessDenied with STS's own wording. Every other request, and an
/// admitted AssumeRole, is passed to moto unchanged. Point <c>AWS_ENDPOINT_URL_STS</c> (or an STS client's service
/// URL) at <see cref="Url"/>.
/// </summary>
public sealed class StsTrustGate : IDisposable
{
    private readonly MotoServer _moto;
    private readonly string _callerRoleArn;
    private readonly JsonNode _callerPolicy;
    private readonly IReadOnlyDictionary<string, string> _organizationOf;
    private readonly HttpListener _listener = new();
    private readonly HttpClient _forward = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentQueue<(string RoleArn, bool Allowed)> _assumed = new();
    private readonly Task _loop;

    /// <param name="callerRoleArn">The role the callers act as (the central function's role).</param>
    /// <param name="callerPolicy">That role's identity policy for sts:AssumeRole.</param>
    /// <param name="organizationOf">The organization of each account that belongs to one.</param>
    public StsTrustGate(MotoServer moto, string callerRoleArn, JsonNode callerPolicy, IReadOnlyDictionary<string, string> organizationOf)
    {
        _moto = moto;
        _callerRoleArn = callerRoleArn;
        _callerPolicy = callerPolicy;
        _organizationOf = organizationOf;
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Every AssumeRole asked, in order, and whether it was admitted.</summary>
    public IReadOnlyList<(string RoleArn, bool Allowed)> AssumeRoleCalls => [.. _assumed];

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under the loop.
        }

        _forward.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "", StringComparer.Ordinal);
        if (form.GetValueOrDefault("Action") == "AssumeRole" && form.GetValueOrDefault("RoleArn") is { } roleArn)
        {
            var allowed = await AdmitsAsync(roleArn);
            _assumed.Enqueue((roleArn, allowed));
            if (!allowed)
            {
                var caller = _callerRoleArn.Split(':');
                var message = $"User: arn:aws:sts::{caller[4]}:assumed-role/{caller[5]["role/".Length..]}/{form.GetValueOrDefault("RoleSessionName")} is not authorized to perform: sts:AssumeRole on resource: {roleArn}";
                await WriteAsync(context, 403, "text/xml",
                    $"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>sts-gate-refused</RequestId></ErrorResponse>");
                return;
            }
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_moto.Url + context.Request.Url!.PathAndQuery))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/x-www-form-urlencoded");
        foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
        {
            if (name is not ("Host" or "Content-Type" or "Content-Length" or "Connection" or "Expect"))
            {
                request.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
            }
        }

        using var response = await _forward.SendAsync(request);
        await WriteAsync(context, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "text/xml", await response.Content.ReadAsStringAsync());
    }

    /// <summary>IAM's decision: the caller's policy allows it, the role exists, and its trust policy admits the caller.</summary>
    private async Task<bool> AdmitsAsync(string roleArn)
    {
        var parts = roleArn.Split(':');
        if (parts.Length != 6 || !parts[5].StartsWith("role/", StringComparison.Ordinal))
        {
            return false;
        }

        var account = parts[4];
        var resourceKeys = new Dictionary<string, string> { ["aws:ResourceAccount"] = account };
        if (_organizationOf.TryGetValue(account, out var resourceOrg))
        {
            resourceKeys["aws:ResourceOrgID"] = resourceOrg;
        }

        if (!PolicyEvaluator.Allows(_callerPolicy, new PolicyRequest(_callerRoleArn, "sts:AssumeRole", roleArn, resourceKeys)))
        {
            return false;
        }

        using var iam = new IamSetupClient(await MotoOrganization.CredentialsAsync(_moto, account), _moto.Configure(new IamClientConfig()));
        if (await iam.TrustPolicyAsync(parts[5]["role/".Length..]) is not { } trust)
        {
            return false;
        }

        var callerAccount = _callerRoleArn.Split(':')[4];
        var principalKeys = new Dictionary<string, string> { ["aws:PrincipalArn"] = _callerRoleArn, ["aws:PrincipalAccount"] = callerAccount };
        if (_organizationOf.TryGetValue(callerAccount, out var callerOrg))
        {
            principalKeys["aws:PrincipalOrgID"] = callerOrg;
        }

        return PolicyEvaluator.Allows(JsonNode.Parse(trust)!, new PolicyRequest(_callerRoleArn, "sts:AssumeRole", roleArn, principalKeys));
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
