using System.Text;
using System.Text.Json;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator.Cli;

/// <summary>JSON Lines in, exactly one JSON line out per input line, in order; a bad line gets an error object.</summary>
public static class ClassifyStream
{
    public static async Task RunAsync(Stream input, Stream output)
    {
        using var reader = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var buffered = new BufferedStream(output, 1 << 16);
        await using (buffered.ConfigureAwait(false))
        {
            using var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { SkipValidation = false });
            var lineNumber = 0;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                writer.Reset();
                if (string.IsNullOrWhiteSpace(line))
                {
                    JsonSerializer.Serialize(writer, new ErrorLine($"line {lineNumber}: empty line"), RemediatorJsonContext.Default.ErrorLine);
                }
                else
                {
                    var facts = EventParser.ParseFacts(line);
                    if (facts.Facts is { } f)
                    {
                        JsonSerializer.Serialize(writer, Classifier.Classify(f), RemediatorJsonContext.Default.ClassificationResult);
                    }
                    else
                    {
                        JsonSerializer.Serialize(writer, new ErrorLine($"line {lineNumber}: {facts.Error}"), RemediatorJsonContext.Default.ErrorLine);
                    }
                }

                writer.Flush();
                buffered.WriteByte((byte)'\n');
            }
        }
    }
}
