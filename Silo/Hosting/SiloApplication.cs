using Lineage.Dashboard.Hosting;
using Lineage.Grains.Intake;
using Lineage.Grains.Posts;
using Lineage.Grains.Similarity;
using Lineage.Runtime.Cluster;
using Lineage.Runtime.Cluster.Membership.Postgres;
using Lineage.Runtime.Cluster.Membership.Sqlite;
using Lineage.Runtime.Hosting;
using Lineage.Runtime.Persistence.Postgres;
using Lineage.Runtime.Persistence.Sqlite;
using Lineage.Silo.Api;

namespace Lineage.Silo.Hosting;

/// <summary>Builds the silo process: the runtime, its storage, and the HTTP surface.</summary>
public static class SiloApplication
{
    /// <summary>Environment variables with this prefix override configuration (LINEAGE_Silo__RequestTimeout=00:00:10).</summary>
    public const string EnvironmentPrefix = "LINEAGE_";

    /// <summary>Creates the silo from command-line arguments, appsettings.json and LINEAGE_* environment variables;
    /// <paramref name="configureSilo"/> and <paramref name="configure"/> let tests and embedders add grains or replace services.</summary>
    public static WebApplication Create(string[] args, Action<SiloBuilder>? configureSilo = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Later sources win: appsettings.json, then LINEAGE_* variables, then the command line.
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args);

        var siloSection = builder.Configuration.GetSection(SiloOptions.SectionName);
        builder.Services.Configure<SiloOptions>(siloSection);
        var shutdownTimeout = siloSection.GetValue(nameof(SiloOptions.ShutdownTimeout), new SiloOptions().ShutdownTimeout);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout + TimeSpan.FromSeconds(10));

        builder.Services.AddLineageSilo(silo =>
        {
            // The domain grains; the runtime also reads the manifests of the assemblies they reference.
            silo.AddGrainAssembly(typeof(PostGrain).Assembly);
            AddStorageAndCluster(silo, builder.Configuration);

            // Sightings carrying a PDQ hash are grouped by the near-duplicate index as they are registered.
            silo.AddNearDuplicateIndex(options => builder.Configuration.GetSection(NearDuplicateIndexOptions.SectionName).Bind(options));
            silo.AddLineageDashboard(builder.Configuration);
            configureSilo?.Invoke(silo);
        });

        builder.Services.AddSingleton<IntakeCounters>().AddSingleton<IntakeDispatcher>().AddSingleton<LineageTotalsCounter>();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.WriteIndented = false);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapOpenApi();
        app.MapRuntimeEndpoints();
        app.MapIntakeEndpoints();
        app.MapInvestigationEndpoints();
        app.MapSubjectEndpoints();
        app.MapLineageDashboard();
        app.Lifetime.ApplicationStarted.Register(() => SiloStartupLog.Write(app));
        return app;
    }

    /// <summary>Grain storage, the edge store and membership live in the same database: SQLite (the default; silos of one machine share the file)
    /// or PostgreSQL (<c>Storage:Provider=Postgres</c>; silos on several machines). Every silo is a cluster member, even alone.</summary>
    private static void AddStorageAndCluster(SiloBuilder silo, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        var provider = configuration.GetValue("Storage:Provider", StorageProvider.Sqlite);
        string? secret = null;
        switch (provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = configuration.GetSection(SqliteGrainStorageOptions.SectionName).Get<SqliteGrainStorageOptions>() ?? new SqliteGrainStorageOptions();
                silo.AddSqliteGrainStorage(configure: options => configuration.GetSection(SqliteGrainStorageOptions.SectionName).Bind(options));
                var edgeFileName = configuration["Storage:Edges:FileName"] ?? SqliteEdgeFile.DefaultFileName;
                SqliteEdgeFile.EnsureNoEdgesLeftIn(sqlite.DataDirectory, sqlite.FileName, edgeFileName);
                silo.AddSqliteEdgeStore(configure: options =>
                {
                    options.FileName = SqliteEdgeFile.DefaultFileName;
                    configuration.GetSection("Storage:Edges").Bind(options);
                });
                silo.UseSqliteMembership(cluster.ClusterId, options =>
                {
                    options.DataDirectory = sqlite.DataDirectory;
                    options.FileName = sqlite.FileName;
                    configuration.GetSection(SqliteMembershipTableOptions.SectionName).Bind(options);
                });

                // Silos sharing a data directory are on one machine: a generated secret there authenticates them to each other.
                if (string.IsNullOrEmpty(cluster.Secret))
                {
                    secret = ClusterSecretFile.LoadOrCreate(Path.GetFullPath(sqlite.DataDirectory));
                }

                break;
            case StorageProvider.Postgres:
                var connectionString = configuration[$"{PostgresGrainStorageOptions.SectionName}:{nameof(PostgresGrainStorageOptions.ConnectionString)}"];
                silo.AddPostgresGrainStorage(configure: options => configuration.GetSection(PostgresGrainStorageOptions.SectionName).Bind(options));
                silo.AddPostgresEdgeStore(configure: options => configuration.GetSection("Storage:Edges").Bind(options));
                silo.UsePostgresMembership(cluster.ClusterId, options =>
                {
                    options.ConnectionString = connectionString ?? string.Empty;
                    configuration.GetSection(PostgresMembershipTableOptions.SectionName).Bind(options);
                });
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider is '{provider}'; expected Sqlite or Postgres.");
        }

        silo.UseCluster(options =>
        {
            configuration.GetSection(ClusterOptions.SectionName).Bind(options);
            if (secret is not null)
            {
                options.Secret = secret;
            }
        });
    }
}
