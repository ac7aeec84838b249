using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lineage.Tests.Infrastructure;
using Npgsql;

namespace Lineage.Tests.Persistence.Postgres;

/// <summary>A PostgreSQL server for the tests of one run: the one named by <c>LINEAGE_TEST_POSTGRES</c> (a connection string), or
/// else a private server that <c>scripts/postgres.sh</c> starts in a temp directory on a free loopback port and stops at the end.</summary>
/// <remarks>Tests get a fresh database each (<see cref="CreateDatabaseAsync"/>), so they never see each other's rows or schema.</remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The test collection that shares one server; its classes run one after another.</summary>
    public const string Collection = "PostgreSQL";

    private const string EnvironmentVariable = "LINEAGE_TEST_POSTGRES";

    private readonly List<string> _databases = [];
    private TempDirectory? _directory;
    private string _adminConnectionString = string.Empty;

    /// <summary>Connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => _adminConnectionString;

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            return;
        }

        _directory = new TempDirectory();
        var script = Path.Combine(FindRepositoryRoot(), "scripts", "postgres.sh");

        // A free port can be taken by someone else between finding and binding it; a few attempts make that harmless.
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (exitCode, output, error) = await RunAsync("bash", script, "start", ServerDirectory, FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (exitCode == 0)
            {
                _adminConnectionString = output.Trim();
                return;
            }

            failures.Add(error.Trim());
        }

        throw new InvalidOperationException($"scripts/postgres.sh could not start PostgreSQL in {ServerDirectory}: {string.Join(" | ", failures)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            foreach (var database in _databases)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        await RunAsync("bash", Path.Combine(FindRepositoryRoot(), "scripts", "postgres.sh"), "stop", ServerDirectory);
        _directory.Dispose();
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "lineage_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        // Small pools: every test opens its own, and the server allows 100 connections in all.
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    private string ServerDirectory => Path.Combine(_directory!.Path, "pg");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Lineage.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Lineage.sln above {AppContext.BaseDirectory}: cannot find scripts/postgres.sh. Set {EnvironmentVariable} to use a running server instead.");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>Shares one <see cref="PostgresServer"/> between the test classes that need PostgreSQL.</summary>
[CollectionDefinition(PostgresServer.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>;
