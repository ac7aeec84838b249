using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Lineage.Client.Commands;
using Lineage.Tests.Infrastructure;
using Lineage.Tests.Media;

namespace Lineage.Tests.Domain;

/// <summary><c>lineage ingest --media</c> against a real silo: re-encoded copies of a photo land in one near-duplicate group, an
/// unrelated photo does not, and files that are not images go to the rejects file while the rest are ingested.</summary>
public sealed class MediaIngestTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Reencoded_copies_of_a_photo_join_one_group_and_bad_files_are_rejected_by_name()
    {
        using var media = new TempDirectory();
        using var data = new TempDirectory();
        var original = Path.Combine(PdqData.Images, "bridge-mods", "aaa-orig.jpg");
        File.Copy(original, media.File("aaa-orig.jpg"));
        foreach (var modified in new[] { "blur-a-little.jpg", "high-contrast.jpg", "sharpen-a-little.jpg", "shrink-a-little.jpg" })
        {
            File.Copy(Path.Combine(PdqData.Images, "bridge-mods", modified), media.File(modified));
        }

        await FfmpegAsync("-i", original, "-vf", "scale=iw/2:-2", "-q:v", "12", media.File("half-size.jpg"));
        await FfmpegAsync("-i", original, "-q:v", "28", media.File("low-quality.jpg"));
        await FfmpegAsync("-i", original, media.File("as-png.png"));
        File.Copy(Path.Combine(PdqData.Images, "reg-test-input", "labelme-subset", "q2821.jpg"), media.File("unrelated.jpg"));
        await File.WriteAllBytesAsync(media.File("empty.jpg"), [], TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(media.File("notes.txt"), "not an image\n", TestContext.Current.CancellationToken);

        await using var silo = await LineageSilo.StartAsync(data.Path);
        var rejects = data.File("rejects.ndjson");
        var root = new RootCommand { Options = { CommonOptions.Url, CommonOptions.Json }, Subcommands = { IngestCommand.Create() } };
        var exit = await root.Parse(
            ["ingest", "--media", media.Path, "--platform", "web", "--account", "uploader", "--observed-at", "2024-05-01T12:00:00Z",
             "--rejects", rejects, "--url", silo.Http.BaseAddress!.ToString(), "--json"]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        var refused = File.ReadAllLines(rejects).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal([media.File("empty.jpg"), media.File("notes.txt")], refused.Select(r => r.GetProperty("file").GetString()));
        Assert.Contains("empty", refused[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("media: ", refused[1].GetProperty("reason").GetString(), StringComparison.Ordinal);

        var trace = await silo.GetJsonAsync("/api/lineage/trace?post=web/aaa-orig.jpg&subjects=false");
        var near = trace.GetProperty("nearDuplicates").EnumerateArray()
            .ToDictionary(n => n.GetProperty("postId").GetString()!, n => n.GetProperty("distance").GetInt32());
        foreach (var (post, distance) in near)
        {
            output.WriteLine($"{post}: {distance} bits from the original");
        }

        Assert.Equal(
            ["as-png.png", "blur-a-little.jpg", "half-size.jpg", "high-contrast.jpg", "low-quality.jpg", "sharpen-a-little.jpg", "shrink-a-little.jpg"],
            near.Keys.Order(StringComparer.Ordinal));
        Assert.All(near.Values, d => Assert.InRange(d, 0, 31));

        // The unrelated photo was ingested too, in a group of its own.
        var unrelated = await silo.GetJsonAsync("/api/lineage/trace?post=web/unrelated.jpg&subjects=false");
        Assert.Empty(unrelated.GetProperty("nearDuplicates").EnumerateArray());
        Assert.NotEqual(trace.GetProperty("nearDuplicateGroup").GetString(), unrelated.GetProperty("nearDuplicateGroup").GetString());

        // The group as a content item: every copy is one of its posts.
        var group = await silo.GetJsonAsync($"/api/lineage/trace?content={trace.GetProperty("nearDuplicateGroup").GetString()}&subjects=false");
        Assert.Equal(8, group.GetProperty("nodeCount").GetInt32());
    }

    private static async Task FfmpegAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-nostdin", "-v", "error", "-y" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"ffmpeg {string.Join(' ', arguments)} failed: {await errors}");
    }
}
