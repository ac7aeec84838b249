using FsCheck;
using FsCheck.Fluent;
using Lineage.Grains.Intake;
using Lineage.Grains.Posts;
using Lineage.Grains.Walks;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Domain;

/// <summary>Property: any arrival order of the same sightings, with repeats, gives the same graph and the same answers.</summary>
public sealed class OrderIndependenceProperties : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private LineageSilo _silo = null!;
    private int _case;

    public async ValueTask InitializeAsync() => _silo = await LineageSilo.StartAsync(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public void Random_cascades_ingested_in_random_orders_with_duplicates_trace_identically()
    {
        // A cascade: node i > 0 reshares an earlier node (so claims never form a cycle); some nodes also claim a second earlier
        // parent (disputed); times may put a child before its parent; a few accounts post many nodes.
        var cascades =
            from size in Gen.Choose(1, 25)
            from parents in Gen.CollectToArray(Enumerable.Range(0, size), i => i == 0 ? Gen.Constant(-1) : Gen.Choose(0, i - 1))
            from extra in Gen.CollectToArray(Enumerable.Range(0, size), i => i < 2 ? Gen.Constant(-1) : Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(0, i - 1))))
            from minutes in Gen.CollectToArray(Enumerable.Range(0, size), _ => Gen.Choose(-10, 120))
            from accounts in Gen.CollectToArray(Enumerable.Range(0, size), _ => Gen.Choose(0, 4))
            from sources in Gen.CollectToArray(Enumerable.Range(0, size), _ => Gen.Elements(SightingSource.Crawler, SightingSource.Partner))
            let claims = Claims(parents, extra, minutes, accounts, sources)
            from repeats in Gen.SubListOf(claims)
            from first in Gen.Shuffle(claims.Concat(repeats))
            from second in Gen.Shuffle(claims.Concat(repeats).Concat(repeats))
            select (Claims: claims, First: first, Second: second);

        Prop.ForAll(Arb.From(cascades), cascade => Task.Run(() => SameAnswersAsync(cascade.First, cascade.Second)).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure();
    }

    private static (int Node, int Parent, int Minutes, int Account, SightingSource Source)[] Claims(
        int[] parents, int[] extra, int[] minutes, int[] accounts, SightingSource[] sources)
    {
        var claims = new List<(int, int, int, int, SightingSource)>();
        for (var i = 0; i < parents.Length; i++)
        {
            claims.Add((i, parents[i], minutes[i], accounts[i], sources[i]));
            if (extra[i] >= 0 && extra[i] != parents[i])
            {
                claims.Add((i, extra[i], minutes[i] + 1, accounts[i], SightingSource.Platform));
            }
        }

        return claims.ToArray();
    }

    private async Task<bool> SameAnswersAsync(
        (int Node, int Parent, int Minutes, int Account, SightingSource Source)[] first,
        (int Node, int Parent, int Minutes, int Account, SightingSource Source)[] second)
    {
        // Each ordering gets its own platform, so both graphs live side by side in one silo without touching.
        var n = Interlocked.Increment(ref _case);
        var a = await IngestAndTraceAsync($"a{n}", first);
        var b = await IngestAndTraceAsync($"b{n}", second);
        return a == b.Replace($"b{n}", $"a{n}", StringComparison.Ordinal);
    }

    private async Task<string> IngestAndTraceAsync(string platform, (int Node, int Parent, int Minutes, int Account, SightingSource Source)[] claims)
    {
        foreach (var (node, parent, minutes, account, source) in claims)
        {
            var sighting = new Sighting(platform, $"n{node}", $"acct{account}", Sightings.T0.AddMinutes(minutes), parent < 0 ? null : $"n{parent}", Source: source);
            var result = await _silo.Grains.GetGrain<IPostGrain>(sighting.PostKey).Register(sighting);
            if (result.Outcome == RegistrationOutcome.Refused)
            {
                throw new InvalidOperationException($"{sighting} was refused: {result.Reason}");
            }
        }

        var tracer = new TraceWalker(_silo.Grains, TimeProvider.System);
        var answers = new List<object>();
        foreach (var node in claims.Select(c => c.Node).Distinct().Order())
        {
            answers.Add(await tracer.TraceAsync($"{platform}/n{node}", WalkLimits.Default));
            answers.Add(await _silo.Grains.GetGrain<IPostGrain>($"{platform}/n{node}").GetNode(100));
        }

        return System.Text.Json.JsonSerializer.Serialize(answers, LineageSilo.Json);
    }
}
