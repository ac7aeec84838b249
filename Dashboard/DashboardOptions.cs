namespace Lineage.Dashboard;

/// <summary>Settings of the operators' dashboard (configuration section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>How often a watched silo samples its counters. Default 1 second; the page polls at the same pace.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much history each silo keeps for the charts. Default 5 minutes (300 one-second points).</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The window that rates and latency percentiles are computed over. Default 10 seconds.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sampling stops when nobody has asked for figures for this long, so an unwatched silo pays only for the counters the
    /// runtime keeps anyway. Default 30 seconds.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the dashboard waits for each silo's figures before showing it as not answering. Default 2 seconds.</summary>
    public TimeSpan SiloTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Log entries kept per silo for the live log tail. Default 500.</summary>
    public int LogCapacity { get; set; } = 500;

    /// <summary>Throws if a setting cannot work, naming the setting and its value.</summary>
    public void Validate()
    {
        Require(SampleInterval > TimeSpan.Zero, nameof(SampleInterval), SampleInterval, "must be positive");
        Require(History >= SampleInterval, nameof(History), History, $"must hold at least one sample interval ({SampleInterval})");
        Require(RateWindow >= SampleInterval, nameof(RateWindow), RateWindow, $"must span at least one sample interval ({SampleInterval})");
        Require(WatchTimeout > TimeSpan.Zero, nameof(WatchTimeout), WatchTimeout, "must be positive");
        Require(SiloTimeout > TimeSpan.Zero, nameof(SiloTimeout), SiloTimeout, "must be positive");
        Require(LogCapacity >= 1, nameof(LogCapacity), LogCapacity, "must be at least 1");
    }

    private static void Require(bool condition, string setting, object value, string rule)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{SectionName}:{setting} is {value}; it {rule}.");
        }
    }

    /// <summary>The least severe level the log tail keeps. Default <see cref="Microsoft.Extensions.Logging.LogLevel.Warning"/>.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Warning;
}
