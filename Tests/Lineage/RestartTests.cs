using Lineage.Tests.Infrastructure;
using static Lineage.Tests.Domain.Sightings;

namespace Lineage.Tests.Domain;

public sealed class RestartTests
{
    [Fact]
    public async Task Every_answer_is_identical_after_a_silo_restart_on_the_same_data()
    {
        using var directory = new TempDirectory();
        string[] lines =
        [
            Line(At("o", "u1", 0)), Line(At("a", "u2", 1, parent: "o")), Line(At("b", "u3", 2, parent: "a")),
            Line(At("b", "u3", 2, parent: "o", source: Grains.Intake.SightingSource.Platform)), Line(At("c", "u1", -5, parent: "b")),
        ];
        string[] queries =
        [
            "/api/lineage/trace?post=twitter/c", "/api/lineage/path?post=twitter/c", "/api/lineage/timeline?post=twitter/o",
            "/api/lineage/account?account=twitter/u1", "/api/lineage/post?post=twitter/b", "/api/lineage/subjects/S",
        ];
        var before = new List<string>();
        await using (var silo = await LineageSilo.StartAsync(directory.Path))
        {
            Assert.Equal(5, (await silo.IngestAsync(lines)).Accepted);
            await silo.Grains.GetGrain<Grains.Subjects.ISubjectGrain>("S").Link("twitter/u2", 0.5, "analyst", null, null);
            foreach (var query in queries)
            {
                before.Add((await silo.GetJsonAsync(query)).GetRawText());
            }
        }

        await using var restarted = await LineageSilo.StartAsync(directory.Path);
        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(before[i], (await restarted.GetJsonAsync(queries[i])).GetRawText());
        }

        var again = await restarted.IngestAsync(lines);
        Assert.Equal((0, 5), (again.Accepted, again.Duplicates));
    }
}
