using System.Globalization;
using System.Text.Json;
using Lineage.Media.Pdq;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Domain;

/// <summary>Sightings carrying PDQ hashes join near-duplicate groups: connected components of "within 31 bits", named by their smallest
/// hash, the same whatever the arrival order; traces list the group's other posts with distances.</summary>
public sealed class NearDuplicateLineageTests
{
    private static readonly PdqHash Base = PdqHash.Parse("d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22");

    // A and C are 40 bits apart (no match); B is 20 from each, so it bridges them. D is unrelated; E is 2 bits from A but too weak.
    private static readonly PdqHash A = Base;
    private static readonly PdqHash B = Flip(Base, Enumerable.Range(0, 20).Select(i => i * 5));
    private static readonly PdqHash C = Flip(Base, Enumerable.Range(0, 40).Select(i => i * 5));
    private static readonly PdqHash D = Flip(Base, Enumerable.Range(0, 128).Select(i => i * 2));
    private static readonly PdqHash E = Flip(Base, [1, 3]);

    private static readonly string[] Lines =
    [
        Line("p-a", "alice", 0, A, 90),
        Line("p-a2", "bob", 5, A, 80),
        Line("p-b", "carol", 10, B, 70),
        Line("p-c", "dave", 15, C, 60),
        Line("p-d", "erin", 20, D, 95),
        Line("p-e", "frank", 25, E, 40),
        Line("p-r", "gina", 30, null, null, parent: "p-a"),
    ];

    private static readonly string[] Posts = ["p-a", "p-a2", "p-b", "p-c", "p-d", "p-e", "p-r"];

    [Fact]
    public async Task The_same_sightings_in_shuffled_orders_give_identical_groups_and_traces()
    {
        Assert.Equal((20, 20, 40), (A.DistanceTo(B), B.DistanceTo(C), A.DistanceTo(C)));
        var answers = new List<Dictionary<string, string>>();
        var random = new Random(5);
        for (var run = 0; run < 4; run++)
        {
            var order = Lines.Concat(Lines.Take(2)).OrderBy(_ => random.Next()).ToArray();
            using var data = new TempDirectory();
            await using var silo = await LineageSilo.StartAsync(data.Path);

            // Even runs send one sighting per request (strict arrival order); odd runs send one batch, registered concurrently.
            if (run % 2 == 0)
            {
                foreach (var line in order)
                {
                    await silo.IngestAsync([line]);
                }
            }
            else
            {
                var report = await silo.IngestAsync(order);
                Assert.Equal(0, report.Refused);
            }

            var answer = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var post in Posts)
            {
                answer[post] = (await silo.GetJsonAsync($"/api/lineage/trace?post=twitter/{post}&subjects=false")).GetRawText();
            }

            answer["group"] = (await silo.GetJsonAsync($"/api/lineage/trace?content=pdq:{C}&subjects=false")).GetRawText();
            answers.Add(answer);
        }

        foreach (var answer in answers.Skip(1))
        {
            foreach (var (item, json) in answers[0])
            {
                Assert.Equal(json, answer[item]);
            }
        }

        // And the grouping itself is the one the rule gives: {A, A, B, C} by connectivity, named by its smallest hash.
        var representative = new[] { A, B, C }.Select(h => h.ToString()).Min(StringComparer.Ordinal);
        var traceA = JsonDocument.Parse(answers[0]["p-a"]).RootElement;
        Assert.Equal("pdq:" + representative, traceA.GetProperty("nearDuplicateGroup").GetString());
        Assert.Equal(["p-a2:0", "p-b:20", "p-c:40"], NearDuplicates(traceA));
        var group = JsonDocument.Parse(answers[0]["group"]).RootElement;
        Assert.Equal(4, group.GetProperty("nodeCount").GetInt32());
        Assert.Equal("p-a", group.GetProperty("origin").GetProperty("postId").GetString());
    }

    [Fact]
    public async Task A_bridging_hash_merges_two_groups_into_one_named_by_the_smallest_hash()
    {
        using var data = new TempDirectory();
        await using var silo = await LineageSilo.StartAsync(data.Path);
        await silo.IngestAsync([Lines[0], Lines[3]]);

        var before = await silo.GetJsonAsync("/api/lineage/trace?post=twitter/p-a&subjects=false");
        Assert.Equal("pdq:" + A, before.GetProperty("nearDuplicateGroup").GetString());
        Assert.Empty(NearDuplicates(before));
        Assert.Equal("pdq:" + C, (await silo.GetJsonAsync("/api/lineage/trace?post=twitter/p-c&subjects=false")).GetProperty("nearDuplicateGroup").GetString());

        // Before it is registered, the bridge is matched against everything already seen (what a newly banked hash would find).
        var similar = await silo.GetJsonAsync($"/api/lineage/similar?pdq={B}&quality=70");
        Assert.Equal(new[] { A.ToString(), C.ToString() }.Order(StringComparer.Ordinal), similar.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("hash").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "pdq:" + A, "pdq:" + C }.Order(StringComparer.Ordinal), similar.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).Order(StringComparer.Ordinal));

        await silo.IngestAsync([Lines[2]]);

        var representative = "pdq:" + new[] { A, B, C }.Select(h => h.ToString()).Min(StringComparer.Ordinal);
        var afterA = await silo.GetJsonAsync("/api/lineage/trace?post=twitter/p-a&subjects=false");
        var afterC = await silo.GetJsonAsync("/api/lineage/trace?post=twitter/p-c&subjects=false");
        Assert.Equal(representative, afterA.GetProperty("nearDuplicateGroup").GetString());
        Assert.Equal(representative, afterC.GetProperty("nearDuplicateGroup").GetString());
        Assert.Equal(["p-b:20", "p-c:40"], NearDuplicates(afterA));
        Assert.Equal(["p-b:20", "p-a:40"], NearDuplicates(afterC));
    }

    [Fact]
    public async Task Every_post_that_carried_a_hash_is_listed_page_by_page()
    {
        using var data = new TempDirectory();
        await using var silo = await LineageSilo.StartAsync(data.Path);
        var posts = Enumerable.Range(0, 7).Select(i => string.Create(CultureInfo.InvariantCulture, $"r-{i}")).ToArray();
        await silo.IngestAsync([.. posts.Reverse().Select((post, i) => Line(post, "acct-" + post, i, A, 90))]);

        var listed = new List<string>();
        string? cursor = null;
        do
        {
            var page = await silo.GetJsonAsync($"/api/lineage/similar/owners?pdq={A}&limit=3" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor)));
            listed.AddRange(page.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("postKey").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(posts.Select(p => "twitter/" + p), listed);
        using var bad = await silo.Http.GetAsync("/api/lineage/similar/owners?pdq=xyz", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_hash_below_the_quality_floor_is_neither_indexed_nor_grouped()
    {
        using var data = new TempDirectory();
        await using var silo = await LineageSilo.StartAsync(data.Path);
        await silo.IngestAsync([Lines[0], Lines[5], Line("p-f", "hank", 40, Flip(E, [5]), 50)]);

        var weak = await silo.GetJsonAsync("/api/lineage/trace?post=twitter/p-e&subjects=false");
        Assert.Equal(JsonValueKind.Null, weak.GetProperty("nearDuplicateGroup").ValueKind);
        Assert.Empty(NearDuplicates(weak));

        // A hash one bit from it, at the floor itself, is indexed: it joins A's group, and the weak post stays out of it.
        var strong = await silo.GetJsonAsync("/api/lineage/trace?post=twitter/p-a&subjects=false");
        Assert.Equal(["p-f:3"], NearDuplicates(strong));
        var similar = await silo.GetJsonAsync($"/api/lineage/similar?pdq={E}&quality=49");
        Assert.False(similar.GetProperty("searched").GetBoolean());
        Assert.Contains("below the floor of 50", similar.GetProperty("refusedBecause").GetString(), StringComparison.Ordinal);
    }

    internal static string Line(string postId, string account, int minutes, PdqHash? pdq, int? quality, string? parent = null)
    {
        var fields = new Dictionary<string, object?>
        {
            ["platform"] = "twitter",
            ["postId"] = postId,
            ["account"] = account,
            ["observedAt"] = Sightings.T0.AddMinutes(minutes).ToString("O", CultureInfo.InvariantCulture),
        };
        if (pdq is { } hash)
        {
            fields["pdq"] = hash.ToString();
            fields["pdqQuality"] = quality;
        }

        if (parent is not null)
        {
            fields["parentPostId"] = parent;
        }

        return JsonSerializer.Serialize(fields);
    }

    /// <summary>"postId:distance" for each near-duplicate post of a trace, in the trace's order.</summary>
    internal static string[] NearDuplicates(JsonElement trace) =>
        [.. trace.GetProperty("nearDuplicates").EnumerateArray()
            .Select(n => $"{n.GetProperty("postId").GetString()}:{n.GetProperty("distance").GetInt32()}")];

    private static PdqHash Flip(PdqHash hash, IEnumerable<int> bits)
    {
        Span<ulong> words = [hash.W0, hash.W1, hash.W2, hash.W3];
        foreach (var bit in bits)
        {
            words[bit / 64] ^= 1UL << (bit % 64);
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }
}
