using System.Text.Json;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator.Tests.Classification;

/// <summary>The labelled corpora beside these tests: the field corpus and every hold-out set, each a JSON Lines file.</summary>
internal static class Corpora
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Classification");

    /// <summary>Every corpus file by name; a new hold-out set joins every test that reads them all.</summary>
    public static IReadOnlyList<string> Files { get; } =
        [.. Directory.GetFiles(Folder, "*.jsonl").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> FileNames() => [.. Files];

    /// <summary>The non-blank lines of one corpus file.</summary>
    public static IEnumerable<string> LinesOf(string file) =>
        File.ReadLines(Path.Combine(Folder, file)).Where(l => !string.IsNullOrWhiteSpace(l));

    /// <summary>The stop of every line of every corpus.</summary>
    public static IEnumerable<StopFacts> AllStops() =>
        Files.SelectMany(LinesOf).Select(l => JsonSerializer.Deserialize(l, RemediatorJsonContext.Default.StopFacts)!);
}
