using BenchmarkDotNet.Running;
using Lineage.Benchmarks.Runtime;

// Throughput harnesses measure under real concurrency, which BenchmarkDotNet's single-invocation model does not;
// the micro-benchmarks (per-call cost, allocations) go through BenchmarkDotNet.
var command = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
switch (command)
{
    case "calls":
        await LocalCallThroughput.RunAsync(rest);
        break;
    case "activation-memory":
        await ActivationMemory.RunAsync(rest);
        break;
    case "state-writes":
        await Lineage.Benchmarks.Storage.StateWriteBenchmark.RunAsync(rest);
        break;
    case "pg-writes":
        await Lineage.Benchmarks.Storage.PostgresWriteBenchmark.RunAsync(rest);
        break;
    case "grain-writes":
        await GrainStateWriteThroughput.RunAsync(rest);
        break;
    case "cluster-calls":
        await Lineage.Benchmarks.Cluster.CrossSiloCalls.RunAsync(rest);
        break;
    case "cluster-failover":
        await Lineage.Benchmarks.Cluster.HardKillFailover.RunAsync(rest);
        break;
    case "cluster-silo":
        await Lineage.Benchmarks.Cluster.BenchmarkCluster.RunChildSiloAsync(rest);
        break;
    case "dashboard-overhead":
        await Lineage.Benchmarks.Dashboard.DashboardOverhead.RunAsync(rest);
        break;
    case "pdq-hash":
        await Lineage.Benchmarks.Media.PdqHashThroughput.RunAsync(rest);
        break;
    case "pdq-index":
        await Lineage.Benchmarks.Media.NearDuplicateIndexBenchmark.RunAsync(rest);
        break;
    case "pdq-table":
        Lineage.Benchmarks.Media.PartitionTableBenchmark.Run(rest);
        break;
    case "lineage-intake":
        await Lineage.Benchmarks.Domain.IntakeBenchmark.RunAsync(rest);
        break;
    case "reshare-cost":
        await Lineage.Benchmarks.Domain.ReshareCostBenchmark.RunAsync(rest);
        break;
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(LocalCallThroughput).Assembly).Run(rest);
        break;
    default:
        Console.WriteLine("""
            usage: dotnet run -c Release --project Benchmarks -- <command> [options]
              calls               local calls/s with 1 and 64 callers, and p50/p99 latency at half the 64-caller rate
              activation-memory   managed memory per idle activation, measured over 100,000 activations
              state-writes        acknowledged durable writes/s at the storage, group commit versus one transaction per write
              grain-writes        the same end to end: grain calls that each write their state
              pg-writes           acknowledged durable writes/s at the PostgreSQL storage, group commit versus one transaction per write
              cluster-calls [s]   calls/s between two silo processes with 1, 64 and 256 callers, and latency at half the 64-caller rate
              cluster-failover [n]  SIGKILL of a silo process: time to the first successful call to its grains, acknowledged writes lost
              pdq-hash [seconds]  PDQ hashes/s of 1-megapixel JPEGs, decoding excluded and included
              pdq-index [--hashes N --seconds S --callers C --partitions P]
                                  near-duplicate lookups/s and memory with N indexed hashes (synthetic, planted near-duplicates)
              pdq-table [--hashes N --partitions P --queries Q]
                                  the in-memory search of the index's partition tables alone, one thread, no grains or storage
              lineage-intake --file F.ndjson [--batch N --parallel N --limit N --pdq-every K --silo-args "..."]
                                  sightings/s and peak memory of a silo process ingesting F over HTTP, then trace of the largest tree warm and cold
              reshare-cost [count] time per block of reshares of one post, first block versus the block at count
              dashboard-overhead [s] [rounds]  calls/s with nobody watching versus the dashboard polled once a second
              micro [filter]      BenchmarkDotNet micro-benchmarks (per-call cost and allocations)
            """);
        break;
}
