using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lineage.Runtime.Persistence.Postgres;
using Npgsql;

namespace Lineage.Benchmarks.Storage;

/// <summary>Throughput of acknowledged grain-state writes to <see cref="PostgresGrainStorage"/> under concurrency: group commit (one
/// NpgsqlBatch per transaction) against one transaction per write.</summary>
/// <remarks>Runs against the server named by <c>--connection</c>, or else starts a private, durable one (fsync and synchronous_commit
/// on, as installed) with <c>scripts/postgres.sh</c> in a temp directory and stops it at the end. Each scenario gets a fresh database.
/// Other arguments: see <see cref="WriteLoadSettings"/>.</remarks>
public static class PostgresWriteBenchmark
{
    /// <summary>Runs every scenario and prints a markdown table of the results to standard output.</summary>
    public static async Task RunAsync(string[] args)
    {
        var settings = WriteLoadSettings.Parse(args);
        string? serverDirectory = null;
        var admin = settings.Connection;
        if (admin is null)
        {
            serverDirectory = Path.Combine(settings.Directory, "lineage-bench-pg-" + Guid.NewGuid().ToString("N"));
            admin = (await PostgresScriptAsync("start", serverDirectory, FreePort().ToString(CultureInfo.InvariantCulture))).Trim();
        }

        try
        {
            Console.WriteLine($"State write benchmark (PostgreSQL {await ScalarAsync(admin, "SHOW server_version")}, fsync={await ScalarAsync(admin, "SHOW fsync")}, " +
                $"synchronous_commit={await ScalarAsync(admin, "SHOW synchronous_commit")}): " + settings.Describe());
            Console.WriteLine();
            var rows = new List<(string, string, WriteLoadResult)>();
            foreach (var (commit, maxBatchSize) in new[] { ("group", 1024), ("per write", 1) })
            {
                var result = await RunScenarioAsync(admin, settings, maxBatchSize);
                rows.Add((commit, maxBatchSize.ToString(CultureInfo.InvariantCulture), result));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {commit}: {result.WritesPerSecond:N0} writes/s"));
            }

            Console.WriteLine(WriteLoad.FormatTable("MaxBatchSize", rows));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (serverDirectory is not null)
            {
                await PostgresScriptAsync("stop", serverDirectory);
                Directory.Delete(serverDirectory, recursive: true);
            }
        }
    }

    private static async Task<WriteLoadResult> RunScenarioAsync(string admin, WriteLoadSettings settings, int maxBatchSize)
    {
        var database = "lineage_bench_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
        try
        {
            var options = new PostgresGrainStorageOptions
            {
                ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString,
                MaxBatchSize = maxBatchSize,
            };
            await using var storage = new PostgresGrainStorage("Benchmark", options);
            return await WriteLoad.MeasureAsync(storage, () => (storage.CommittedBatches, storage.CommittedOperations), settings);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> PostgresScriptAsync(params string[] arguments)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Lineage.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No Lineage.sln above {AppContext.BaseDirectory}: cannot find scripts/postgres.sh; pass --connection instead.");
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root.FullName, "scripts", "postgres.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {string.Join(' ', arguments)} failed: {await error}");
        }

        return await output;
    }
}
