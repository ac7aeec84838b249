using Lineage.Client.Commands;

namespace Lineage.Tests.Client;

public sealed class StatusFormattingTests
{
    [Theory]
    [InlineData(3.25, "3.3 µs")]
    [InlineData(1_500, "1.5 ms")]
    [InlineData(2_340_000, "2.34 s")]
    public void Latency_is_shown_in_the_unit_that_reads_best(double microseconds, string expected) =>
        Assert.Equal(expected, StatusCommand.FormatMicroseconds(microseconds));

    [Theory]
    [InlineData(42, "42 s")]
    [InlineData(600, "10 min")]
    [InlineData(3 * 3600 + 7 * 60, "3 h 7 min")]
    [InlineData(2 * 86400 + 5 * 3600, "2 d 5 h")]
    public void Uptime_is_shown_in_the_unit_that_reads_best(int seconds, string expected) =>
        Assert.Equal(expected, StatusCommand.FormatDuration(TimeSpan.FromSeconds(seconds)));
}
