using System.Net;
using System.Text;
using Lineage.Grains.Intake;
using Lineage.Tests.Infrastructure;
using static Lineage.Tests.Domain.Sightings;

namespace Lineage.Tests.Domain;

public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private LineageSilo _silo = null!;

    public async ValueTask InitializeAsync() => _silo = await LineageSilo.StartAsync(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Each_bad_line_is_refused_with_its_line_and_field_while_good_lines_around_it_are_accepted()
    {
        string[] lines =
        [
            Line(At("g1", "u", 0)),
            """{"platform":"twitter","postId":42,"account":"u","observedAt":"2024-05-01T12:00:00Z"}""",
            """{"platform":"twitter","account":"u","observedAt":"2024-05-01T12:00:00Z"}""",
            "",
            """{"platform":"twitter","postId":"x","account":"u","observedAt":"yesterday"}""",
            """{"platform":"twitter","postId":"x","account":"u","observedAt":"2024-05-01T12:00:00"}""",
            """{"platform":"Twitter","postId":"x","account":"u","observedAt":"2024-05-01T12:00:00Z"}""",
            """{"platform":"twitter","postId":"x","account":"u","observedAt":"2024-05-01T12:00:00Z","contentSha256":"abc"}""",
            """{"platform":"twitter","postId":"x","account":"u","observedAt":"2024-05-01T12:00:00Z","pdq":"%PDQ%","pdqQuality":101}""".Replace("%PDQ%", new string('f', 64), StringComparison.Ordinal),
            """{"platform":"twitter","postId":"x","account":"u","observedAt":"2024-05-01T12:00:00Z","source":"rumour"}""",
            """{"platform":"twitter","postId":"x","account":"u","observedAt":"2024-05-01T12:00:00Z","parentPostId":"x"}""",
            "[1,2]",
            """{"platform":"twitter","postId":"x",""",
            """{"platform":"twitter","postId":"%ID%","account":"u","observedAt":"2024-05-01T12:00:00Z"}""".Replace("%ID%", new string('9', 300), StringComparison.Ordinal),
            """{"platform":"twitter","postId":"g2","account":"u","observedAt":"2024-05-01T12:00:00Z","unknownField":{"nested":[1,2]},"parentPostId":"g1"}""",
        ];

        var report = await _silo.IngestAsync(lines);

        Assert.Equal((14, 2, 12), (report.Received, report.Accepted, report.Refused));
        var reasons = report.Refusals.ToDictionary(r => r.Line, r => r.Reason);
        Assert.Equal("postId: expected a string, got a number", reasons[2]);
        Assert.Equal("postId: required", reasons[3]);
        Assert.StartsWith("observedAt: 'yesterday' is not an ISO-8601 time with an offset", reasons[5], StringComparison.Ordinal);
        Assert.StartsWith("observedAt: '2024-05-01T12:00:00' is not an ISO-8601 time with an offset", reasons[6], StringComparison.Ordinal);
        Assert.StartsWith("platform: only lower-case letters", reasons[7], StringComparison.Ordinal);
        Assert.Equal("contentSha256: must be 64 hex digits", reasons[8]);
        Assert.Equal("pdqQuality: must be 0-100", reasons[9]);
        Assert.StartsWith("source: 'rumour' is not one of", reasons[10], StringComparison.Ordinal);
        Assert.Equal("parentPostId: a post cannot be its own parent", reasons[11]);
        Assert.Equal("record: expected a JSON object, got an array", reasons[12]);
        Assert.StartsWith("record: not valid JSON", reasons[13], StringComparison.Ordinal);
        Assert.Equal("postId: longer than 256 characters", reasons[14]);
        Assert.DoesNotContain(4, reasons.Keys);

        var trace = await _silo.GetJsonAsync("/api/lineage/trace?post=twitter/g2");
        Assert.Equal(2, trace.GetProperty("nodeCount").GetInt32());
        var stats = await _silo.GetJsonAsync("/api/lineage/intake/stats");
        Assert.Equal(12, stats.GetProperty("refused").GetInt64());
        Assert.Equal(2, stats.GetProperty("refusedByField").GetProperty("observedAt").GetInt64());
    }

    [Fact]
    public async Task A_huge_line_is_refused_without_losing_the_lines_after_it_or_what_was_accepted_before()
    {
        var first = await _silo.IngestAsync([Line(At("before", "u", 0))]);
        Assert.Equal(1, first.Accepted);
        var huge = """{"platform":"twitter","postId":"big","account":"u","observedAt":"2024-05-01T12:00:00Z","url":"%U%"}"""
            .Replace("%U%", new string('x', 3 * SightingReader.MaxRecordBytes), StringComparison.Ordinal);

        var report = await _silo.IngestAsync([huge, Line(At("after", "u", 1, parent: "before"))]);

        Assert.Equal((1, 1), (report.Accepted, report.Refused));
        Assert.Equal(new IntakeIssue(1, null, $"record: longer than {SightingReader.MaxRecordBytes} bytes"), report.Refusals.Single());
        var trace = await _silo.GetJsonAsync("/api/lineage/trace?post=twitter/after");
        Assert.Equal(["before", "after"], trace.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("postId").GetString()));
    }

    [Fact]
    public async Task A_json_array_body_is_accepted_and_a_broken_one_is_refused_whole_with_its_position()
    {
        var body = "[" + Line(At("arr1", "u", 0)) + ",\n" + Line(At("arr2", "u", 1, parent: "arr1")) + ", {\"postId\": true}]";
        using var ok = await _silo.Http.PostAsync("/api/lineage/sightings", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var report = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<IntakeReport>(ok.Content, LineageSilo.Json, TestContext.Current.CancellationToken))!;
        Assert.Equal((3, 2, 1), (report.Received, report.Accepted, report.Refused));
        Assert.Equal(new IntakeIssue(3, null, "postId: expected a string, got a boolean"), report.Refusals.Single());

        using var broken = await _silo.Http.PostAsync("/api/lineage/sightings", new StringContent("[{\"a\":1},", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("not valid JSON at line 1", await broken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
