using Lineage.Dashboard;
using Lineage.Dashboard.Logging;
using Lineage.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage.Tests.Dashboard;

public sealed partial class LogTailTests
{
    [Fact]
    public void Keeps_the_last_entries_at_warning_and_above_oldest_first()
    {
        using var tail = new LogTail(Options.Create(new DashboardOptions { LogCapacity = 3 }), new ManualTimeProvider());
        var logger = tail.CreateLogger("Lineage.Test");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Ignored(logger);
        for (var i = 1; i <= 4; i++)
        {
            Warned(logger, i);
        }

        Failed(logger, new InvalidOperationException("boom"));

        var entries = tail.Entries();
        Assert.Equal(["warning 3", "warning 4", "failed"], entries.Select(e => e.Message));
        Assert.Equal("Error", entries[^1].Level);
        Assert.Equal("Lineage.Test", entries[^1].Category);
        Assert.Equal("System.InvalidOperationException: boom", entries[^1].Exception);
    }

    [Fact]
    public void A_capacity_below_one_is_refused_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LogTail(Options.Create(new DashboardOptions { LogCapacity = 0 }), TimeProvider.System));
        Assert.Equal("Dashboard:LogCapacity is 0; it must be at least 1.", error.Message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ignored")]
    private static partial void Ignored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "warning {Number}")]
    private static partial void Warned(ILogger logger, int number);

    [LoggerMessage(Level = LogLevel.Error, Message = "failed")]
    private static partial void Failed(ILogger logger, Exception exception);
}
