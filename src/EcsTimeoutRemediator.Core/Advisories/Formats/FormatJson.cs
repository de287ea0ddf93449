using System.Text.Encodings.Web;
using System.Text.Json;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>
/// The source-generated context with minimal escaping for the chat and SNS payloads: quotes, apostrophes,
/// angle brackets and non-ASCII text stay as they are (only what JSON requires is escaped), so commands and
/// messages stay readable in a raw SQS body and non-ASCII text costs its UTF-8 size, not six bytes per
/// character. The payloads are never embedded in HTML.
/// </summary>
internal static class FormatJson
{
    public static RemediatorJsonContext Context { get; } = new(new JsonSerializerOptions(RemediatorJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
