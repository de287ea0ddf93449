using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>
/// The message of an SNS Publish with <c>MessageStructure=json</c>: one string per protocol. SNS gives each
/// subscription the key of its protocol, else <c>default</c>.
/// <list type="bullet">
/// <item><c>default</c>: the Chatbot custom notification. The Chatbot subscription (protocol https) gets it,
/// and so do <c>sqs</c>, <c>lambda</c>, <c>firehose</c> and <c>email-json</c> subscribers: a documented,
/// self-describing JSON shape (category in <c>metadata.eventType</c>, incident in <c>metadata.threadId</c>).</item>
/// <item><c>email</c>: the plain text for people.</item>
/// </list>
/// No <c>sqs</c> key on purpose: a second machine-readable shape would cost part of the 256 KB that SNS
/// counts over all keys together, and programs filter on the message attributes (category, cluster).
/// </summary>
public sealed record SnsStructuredMessage(
    [property: JsonPropertyName("default")] string Default,
    [property: JsonPropertyName("email")] string Email);

/// <summary>Renders the SNS message within a byte budget (pure).</summary>
public static class SnsMessageFormat
{
    public const string EmailCutMarker = "\n… (cut to fit the 256 KB SNS limit: open the console link for the rest)\n";

    /// <summary>
    /// The JSON message, at most <paramref name="maxBytes"/> UTF-8 bytes. The Chatbot part is bounded by its
    /// own field limits; the e-mail text gives way when the whole would not fit.
    /// </summary>
    public static string Render(Advisory advisory, int maxBytes, string? threadId = null)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        var chat = ChatbotFormat.ToJson(ChatbotFormat.Render(advisory, threadId));
        var email = EmailFormat.Render(advisory);
        var withoutEmail = Encoding.UTF8.GetByteCount(Serialize(chat, ""));
        var markerBytes = Encoding.UTF8.GetByteCount(EmailCutMarker);
        for (var attempt = 0; ; attempt++)
        {
            var json = Serialize(chat, email);
            var size = Encoding.UTF8.GetByteCount(json);
            if (size <= maxBytes)
            {
                return json;
            }

            var emailBytes = Encoding.UTF8.GetByteCount(email);
            var room = maxBytes - withoutEmail;
            if (attempt >= 8 || room <= markerBytes * 6 || emailBytes <= markerBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(maxBytes), $"The advisory does not fit in {maxBytes} bytes even without its e-mail text.");
            }

            // Escaping (quotes, line breaks, control characters, characters outside the BMP) makes the JSON of
            // the text longer than the text: scale the cut by what the escaping costs in this text, leaving
            // room for the marker at its worst.
            var escaped = size - withoutEmail;
            var target = (long)(room - (markerBytes * 6)) * emailBytes / escaped;
            email = Text.TruncateUtf8(email, (int)Math.Max(target, 0), EmailCutMarker);
        }
    }

    private static string Serialize(string chat, string email) =>
        JsonSerializer.Serialize(new SnsStructuredMessage(chat, email), FormatJson.Context.SnsStructuredMessage);
}
