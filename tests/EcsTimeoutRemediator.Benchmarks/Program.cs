using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EcsTimeoutRemediator.Benchmarks.ClassifierBenchmarks).Assembly).Run(args);
