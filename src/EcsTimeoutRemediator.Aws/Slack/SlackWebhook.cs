using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace EcsTimeoutRemediator.Aws.Slack;

/// <summary>
/// An incoming-webhook URL. It is a bearer secret (anyone holding it can post to the channel): it prints as
/// a redacted placeholder, and <see cref="Redact"/> scrubs it out of any text before that text is logged.
/// </summary>
public sealed class SlackWebhook
{
    private SlackWebhook(Uri uri) => Uri = uri;

    public Uri Uri { get; }

    /// <summary>A webhook from a parameter value: https, or http on a loopback address (local tests).</summary>
    public static SlackWebhook Parse(string value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) ||
            !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            // The value itself is never quoted: it may be the secret with a typo.
            throw new SlackConfigurationException("The Slack webhook parameter does not hold an https URL.");
        }

        return new SlackWebhook(uri);
    }

    /// <summary>Reads the webhook from an SSM SecureString parameter (decrypted with its KMS key).</summary>
    public static async Task<SlackWebhook> ReadAsync(IAmazonSimpleSystemsManagement ssm, string parameterName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
        if (response.Parameter is not { } parameter || parameter.Type != ParameterType.SecureString)
        {
            throw new SlackConfigurationException($"The Slack webhook parameter {parameterName} must be a SecureString; it is {response.Parameter?.Type?.Value ?? "missing"}.");
        }

        return Parse(parameter.Value);
    }

    /// <summary><paramref name="text"/> with every form of this URL replaced by a placeholder.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in new[] { Uri.OriginalString, Uri.AbsoluteUri, Uri.PathAndQuery })
        {
            if (secret.Length > 1)
            {
                text = text.Replace(secret, "[redacted webhook]", StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    public override string ToString() => $"{Uri.Scheme}://{Uri.Host}/[redacted]";
}

/// <summary>The Slack webhook is not usable: the parameter is missing, not a SecureString, or not a URL.</summary>
public sealed class SlackConfigurationException : Exception
{
    public SlackConfigurationException()
    {
    }

    public SlackConfigurationException(string message)
        : base(message)
    {
    }

    public SlackConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
