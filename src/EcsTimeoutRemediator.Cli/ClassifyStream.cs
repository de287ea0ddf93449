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

    /// <summary>
    /// JSON Lines in; out, one shareable sample (<see cref="FieldSample"/>) per distinct stop that came out
    /// <c>unknown</c>, names masked, most frequent first. Bad lines are reported on stderr and skipped.
    /// </summary>
    public static async Task RunUnknownAsync(Stream input, Stream output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        using var reader = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var samples = new Dictionary<string, (int Order, FieldSample Sample)>(StringComparer.Ordinal);
        int lineNumber = 0, stops = 0, unknown = 0;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var facts = EventParser.ParseFacts(line);
            if (facts.Facts is not { } f)
            {
                await errors.WriteLineAsync($"ecs-remediator: line {lineNumber}: {facts.Error}").ConfigureAwait(false);
                continue;
            }

            stops++;
            var result = Classifier.Classify(f);
            if (result.Category != Category.Unknown)
            {
                continue;
            }

            unknown++;
            var sample = FieldSample.Of(f, result);
            samples[sample.Key] = samples.TryGetValue(sample.Key, out var seen)
                ? (seen.Order, seen.Sample with { Count = seen.Sample.Count + 1 })
                : (samples.Count, sample);
        }

        var buffered = new BufferedStream(output, 1 << 16);
        await using (buffered.ConfigureAwait(false))
        {
            using var writer = new Utf8JsonWriter(buffered);
            foreach (var (_, sample) in samples.Values.OrderByDescending(s => s.Sample.Count).ThenBy(s => s.Order))
            {
                writer.Reset();
                JsonSerializer.Serialize(writer, sample, RemediatorJsonContext.Default.FieldSample);
                writer.Flush();
                buffered.WriteByte((byte)'\n');
            }
        }

        await errors.WriteLineAsync($"ecs-remediator: {stops} stops read, {unknown} unknown ({samples.Count} distinct after masking)").ConfigureAwait(false);
    }
}
