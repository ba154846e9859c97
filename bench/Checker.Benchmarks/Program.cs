using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Checker.Benchmarks.FsCheckOverhead).Assembly).Run(args);
