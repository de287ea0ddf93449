using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Serialization;

namespace EcsTimeoutRemediator.Benchmarks;

/// <summary>Classification throughput over the field corpus (one operation = one stop classified).</summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private StopFacts[] _facts = [];
    private string[] _reasons = [];

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "field-corpus.jsonl");
        _facts = File.ReadLines(path)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize(l, RemediatorJsonContext.Default.StopFacts)!)
            .ToArray();
        _reasons = _facts.Select(f => f.StoppedReason ?? "").ToArray();
    }

    [Benchmark]
    public int ClassifyEveryReason()
    {
        var n = 0;
        foreach (var r in _reasons)
        {
            n += Classifier.Classify(r).Confidence > 0.5 ? 1 : 0;
        }

        return n;
    }

    [Benchmark]
    public int MaskEveryReason()
    {
        var n = 0;
        foreach (var r in _reasons)
        {
            n += NameMask.Apply(r).Length;
        }

        return n;
    }

    [Benchmark]
    public int ScanEveryReason()
    {
        var n = 0;
        foreach (var r in _reasons)
        {
            n += (int)(SignalScanner.Scan(r) & Signal.Pull);
        }

        return n;
    }

    [Benchmark]
    public int ClassifyEveryStopWithContainers()
    {
        var n = 0;
        foreach (var f in _facts)
        {
            n += Classifier.Classify(f).Confidence > 0.5 ? 1 : 0;
        }

        return n;
    }

}
