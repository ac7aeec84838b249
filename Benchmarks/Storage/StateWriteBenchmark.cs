using System.Globalization;
using Lineage.Runtime.Persistence.Sqlite;

namespace Lineage.Benchmarks.Storage;

/// <summary>Throughput of acknowledged grain-state writes to <see cref="SqliteGrainStorage"/> under concurrency: group commit against
/// one transaction per write, with synchronous FULL and NORMAL.</summary>
/// <remarks>Arguments: see <see cref="WriteLoadSettings"/>.</remarks>
public static class StateWriteBenchmark
{
    /// <summary>Runs every scenario and prints a markdown table of the results to standard output.</summary>
    public static async Task RunAsync(string[] args)
    {
        var settings = WriteLoadSettings.Parse(args);
        var scenarios = new (string Commit, int MaxBatchSize, SqliteSynchronousMode Synchronous)[]
        {
            ("group", 1024, SqliteSynchronousMode.Full),
            ("group", 1024, SqliteSynchronousMode.Normal),
            ("per write", 1, SqliteSynchronousMode.Full),
            ("per write", 1, SqliteSynchronousMode.Normal),
        };

        Console.WriteLine("State write benchmark (SQLite): " + settings.Describe());
        Console.WriteLine();
        var rows = new List<(string, string, WriteLoadResult)>();
        foreach (var (commit, maxBatchSize, synchronous) in scenarios)
        {
            var result = await RunScenarioAsync(settings, maxBatchSize, synchronous);
            rows.Add((commit, synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL", result));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {commit} / {synchronous}: {result.WritesPerSecond:N0} writes/s"));
        }

        Console.WriteLine(WriteLoad.FormatTable("synchronous", rows));
    }

    private static async Task<WriteLoadResult> RunScenarioAsync(WriteLoadSettings settings, int maxBatchSize, SqliteSynchronousMode synchronous)
    {
        var directory = Path.Combine(settings.Directory, "lineage-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new SqliteGrainStorageOptions
            {
                DataDirectory = directory,
                Synchronous = synchronous,
                MaxBatchSize = maxBatchSize,
            };
            await using var storage = new SqliteGrainStorage("Benchmark", options);
            return await WriteLoad.MeasureAsync(storage, () => (storage.CommittedBatches, storage.CommittedOperations), settings);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}
