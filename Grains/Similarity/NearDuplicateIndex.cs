using Lineage.Media.Pdq;
using Lineage.Runtime;
using Microsoft.Extensions.Options;

namespace Lineage.Grains.Similarity;

/// <summary>The near-duplicate index of PDQ hashes across its partition grains: adds a hash with what it belongs to, and finds every
/// indexed hash within the threshold, with distances and owners.</summary>
/// <remarks>
/// <para>Multi-index hashing: a hash is stored in 16 partitions, one per 16-bit slot, chosen by that slot's value. A search asks, for each
/// slot, the partitions holding values within ⌊threshold/16⌋ bits of the query's slot value; by the pigeonhole principle every hash
/// within the threshold shares at least one slot that close, so the union of the partitions' answers (each verified by full distance)
/// is exact. Partitions are grains, so the index spreads over the cluster with them.</para>
/// <para>Stateless: any silo, grain or client with a grain factory can use one; all state lives in the grains.</para>
/// </remarks>
public sealed class NearDuplicateIndex
{
    private readonly IGrainFactory _grains;
    private readonly NearDuplicateIndexOptions _options;

    /// <summary>Creates the index front for <paramref name="grains"/> with validated <paramref name="options"/>.</summary>
    public NearDuplicateIndex(IGrainFactory grains, IOptions<NearDuplicateIndexOptions> options)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _options = options.Value;
        _options.Validate();
    }

    /// <summary>The settings in force.</summary>
    public NearDuplicateIndexOptions Options => _options;

    /// <summary>Adds <paramref name="hash"/> as belonging to <paramref name="owner"/> and returns every hash already indexed within the
    /// threshold (the retroactive matches — for a newly banked hash, everything already seen that it matches), excluding this owner
    /// itself. A hash below the quality floor is refused and not indexed. Idempotent: adding the same owner again changes nothing.</summary>
    /// <remarks>The hash is added before the search, so of two near-duplicates added at the same moment at least one finds the other.</remarks>
    public async Task<NearDuplicateIndexResult> IndexAsync(PdqHash hash, int quality, PdqOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (quality < _options.QualityFloor)
        {
            return new NearDuplicateIndexResult(false, BelowFloor(quality), []);
        }

        var hashGrain = _grains.GetGrain<IPdqHashGrain>(hash.ToString());
        var registration = await hashGrain.AddOwner(owner, quality);
        if (!registration.Indexed)
        {
            await AddHashesAsync([hash]);
            await hashGrain.MarkIndexed();
        }

        var matches = await MatchAsync(hash, quality);
        return new NearDuplicateIndexResult(true, null, [.. matches.Matches.Select(m => Without(m, owner)).Where(m => m.Owners.Count > 0)]);
    }

    /// <summary>Every indexed hash within the threshold of <paramref name="hash"/>, nearest first, with its owners; nothing (and the
    /// reason) when <paramref name="quality"/> is below the floor.</summary>
    public async Task<NearDuplicateIndexResult> MatchAsync(PdqHash hash, int quality)
    {
        if (quality < _options.QualityFloor)
        {
            return new NearDuplicateIndexResult(false, BelowFloor(quality), []);
        }

        var found = await FindHashesAsync(hash, _options.Threshold);
        var owners = await Task.WhenAll(found.Select(f => _grains.GetGrain<IPdqHashGrain>(f.Hash.ToString()).GetOwners()));
        var matches = new List<NearDuplicateMatch>(found.Count);
        for (var i = 0; i < found.Count; i++)
        {
            matches.Add(new NearDuplicateMatch(found[i].Hash.ToString(), found[i].Distance, owners[i].Quality, owners[i].Owners));
        }

        return new NearDuplicateIndexResult(true, null, matches);
    }

    /// <summary>Every indexed hash within <paramref name="threshold"/> (at most 63) of <paramref name="query"/>, nearest first (ties by
    /// hash), without owners: the partitioned search alone.</summary>
    public async Task<IReadOnlyList<(PdqHash Hash, int Distance)>> FindHashesAsync(PdqHash query, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 63);
        var radius = SlotProbes.RadiusFor(threshold);
        var masks = SlotProbes.Masks(radius);
        ulong[] words = [query.W0, query.W1, query.W2, query.W3];
        var calls = new List<Task<HashDistance[]>>();
        var ranges = new HashSet<int>();
        for (var slot = 0; slot < PdqHash.SlotCount; slot++)
        {
            // Only the partitions that hold some probed value of this slot are asked.
            ranges.Clear();
            var value = query.GetSlot(slot);
            foreach (var mask in masks)
            {
                var key = NearDuplicatePartitionKey.For(slot, (ushort)(value ^ mask), _options.RangesPerSlot);
                if (ranges.Add(key.Range))
                {
                    calls.Add(_grains.GetGrain<INearDuplicatePartitionGrain>(key.ToString()).Match(words, threshold, radius));
                }
            }
        }

        var seen = new Dictionary<PdqHash, int>();
        foreach (var answer in await Task.WhenAll(calls))
        {
            foreach (var match in answer)
            {
                seen[new PdqHash(match.W0, match.W1, match.W2, match.W3)] = match.Distance;
            }
        }

        return [.. seen.Select(pair => (pair.Key, pair.Value)).OrderBy(pair => pair.Value).ThenBy(pair => pair.Key.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>Puts hashes into all 16 of their partitions, batched per partition; returns once every partition holds them durably.</summary>
    /// <remarks>Owners are not recorded: this is the bulk path for hashes whose owners are kept elsewhere, and the second half of
    /// <see cref="IndexAsync"/>.</remarks>
    public async Task AddHashesAsync(IReadOnlyList<PdqHash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var batches = new Dictionary<NearDuplicatePartitionKey, List<ulong>>();
        foreach (var hash in hashes)
        {
            for (var slot = 0; slot < PdqHash.SlotCount; slot++)
            {
                var key = NearDuplicatePartitionKey.For(slot, hash.GetSlot(slot), _options.RangesPerSlot);
                if (!batches.TryGetValue(key, out var batch))
                {
                    batch = [];
                    batches[key] = batch;
                }

                batch.AddRange([hash.W0, hash.W1, hash.W2, hash.W3]);
            }
        }

        await Task.WhenAll(batches.Select(pair => _grains.GetGrain<INearDuplicatePartitionGrain>(pair.Key.ToString()).Add([.. pair.Value])));
    }

    private string BelowFloor(int quality) => $"quality {quality} is below the floor of {_options.QualityFloor}";

    private static NearDuplicateMatch Without(NearDuplicateMatch match, PdqOwner owner) =>
        match.Owners.Contains(owner) ? match with { Owners = [.. match.Owners.Where(o => o != owner)] } : match;
}
