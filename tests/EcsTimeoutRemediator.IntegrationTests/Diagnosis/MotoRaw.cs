using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.IntegrationTests.Infrastructure;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// Test-only set-up calls for the services the product only reads (ECR, CloudWatch Logs, EFS, ELBv2 details):
/// plain HTTP to moto, which routes by the credential scope of the Authorization header and does not verify it.
/// </summary>
public sealed class MotoRaw(MotoServer moto) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    /// <summary>A JSON 1.1 call (ECR, CloudWatch Logs).</summary>
    public Task<JsonNode?> JsonAsync(string signingName, string target, JsonObject body) =>
        SendAsync(signingName, HttpMethod.Post, "/", body.ToJsonString(), "application/x-amz-json-1.1", target);

    /// <summary>A rest-json call (EFS).</summary>
    public Task<JsonNode?> RestAsync(string signingName, HttpMethod method, string path, JsonObject? body) =>
        SendAsync(signingName, method, path, body?.ToJsonString() ?? "", "application/json", null);

    /// <summary>A Query call (ELBv2), form-encoded.</summary>
    public async Task<string> QueryAsync(string signingName, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var request = Request(signingName, HttpMethod.Post, "/");
        request.Content = new FormUrlEncodedContent(fields);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{signingName} {(int)response.StatusCode}: {text}");
    }

    private async Task<JsonNode?> SendAsync(string signingName, HttpMethod method, string path, string body, string contentType, string? target)
    {
        using var request = Request(signingName, method, path);
        if (target is not null)
        {
            request.Headers.Add("X-Amz-Target", target);
        }

        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{signingName} {target ?? path} {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private HttpRequestMessage Request(string signingName, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(moto.Url + path));
        var date = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=testing/{date}/{MotoServer.Region}/{signingName}/aws4_request, SignedHeaders=host, Signature=0");
        return request;
    }
}
