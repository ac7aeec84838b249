using Lineage.Grains.Intake;
using Lineage.Grains.Posts;
using Lineage.Runtime.Hosting;
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
            var storage = builder.Configuration.GetSection("Storage:Sqlite");
            silo.AddSqliteGrainStorage(configure: options => storage.Bind(options));
            var edges = builder.Configuration.GetSection("Storage:Edges");
            silo.AddSqliteEdgeStore(configure: options => edges.Bind(options));
            configureSilo?.Invoke(silo);
        });

        builder.Services.AddSingleton<IntakeCounters>().AddSingleton<IntakeDispatcher>();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.WriteIndented = false);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapOpenApi();
        app.MapRuntimeEndpoints();
        app.MapIntakeEndpoints();
        app.MapInvestigationEndpoints();
        app.MapSubjectEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => SiloStartupLog.Write(app));
        return app;
    }
}
