using System.Runtime.InteropServices;
using Lineage.Media.Pdq;
using Lineage.Runtime;
using Microsoft.Extensions.Options;

namespace Lineage.Grains.Similarity;

/// <summary>The near-duplicate index of PDQ hashes across its partition grains: adds a hash with what it belongs to, and finds every
/// indexed hash within the threshold, with distances and owners.</summary>
/// <remarks>
/// <para>Each hash is stored in one partition, chosen from the whole hash; a search asks every partition, which finds its matches with
/// multi-index hashing over the 16 slots of 16 bits (by the pigeonhole principle every hash within the threshold has a slot within
/// ⌊threshold/16⌋ bits of the query's, so probing those values and verifying full distances is exact). Partitions are grains, so the
/// index spreads over the cluster with them.</para>
/// <para>Stateless: any silo, grain or client with a grain factory can use one; all state lives in the grains.</para>
/// </remarks>
public sealed class NearDuplicateIndex
{
    private const string ManifestKey = "default";

    private readonly IGrainFactory _grains;
    private readonly NearDuplicateIndexOptions _options;
    private volatile bool _partitionsChecked;

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
            matches.Add(new NearDuplicateMatch(found[i].Hash.ToString(), found[i].Distance, owners[i].Quality, owners[i].Owners, owners[i].MoreOwners));
        }

        return new NearDuplicateIndexResult(true, null, matches);
    }

    /// <summary>Every indexed hash within <paramref name="threshold"/> (at most 63) of <paramref name="query"/>, nearest first (ties by
    /// hash), without owners: the partitioned search alone.</summary>
    public async Task<IReadOnlyList<(PdqHash Hash, int Distance)>> FindHashesAsync(PdqHash query, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 63);
        await EnsurePartitionsAsync();
        ulong[] words = [query.W0, query.W1, query.W2, query.W3];
        var answers = await Task.WhenAll(NearDuplicatePartitionKey.All(_options.Partitions)
            .Select(key => _grains.GetGrain<INearDuplicatePartitionGrain>(key.ToString()).Match(words, threshold)));

        // Each hash is in one partition and each partition reports it once, so the answers are disjoint.
        var found = new List<(PdqHash Hash, int Distance)>();
        foreach (var answer in answers)
        {
            found.AddRange(answer.Select(match => (new PdqHash(match.W0, match.W1, match.W2, match.W3), match.Distance)));
        }

        found.Sort(static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : CompareHex(a.Hash, b.Hash));
        return found;
    }

    /// <summary>Puts hashes into their partitions, one call per partition; returns once every partition holds them durably.</summary>
    /// <remarks>Owners are not recorded: this is the bulk path for hashes whose owners are kept elsewhere, and the second half of
    /// <see cref="IndexAsync"/>.</remarks>
    public async Task AddHashesAsync(IReadOnlyList<PdqHash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        await EnsurePartitionsAsync();
        await AddToPartitionsAsync(hashes);
    }

    /// <summary>Moves an index built with another partition count into the configured <see cref="NearDuplicateIndexOptions.Partitions"/>:
    /// copies every hash from the old partitions into the new ones, then records the new count, after which searches and adds work
    /// again. Does nothing when the counts already agree. Safe to run again if interrupted (adds are idempotent).</summary>
    /// <remarks>Run it with intake of PDQ sightings stopped and every silo configured with the new count: until it finishes, those silos
    /// refuse the index, and a silo still on the old count would go on adding where the new layout no longer looks. The old partitions'
    /// stored segments are left in place.</remarks>
    /// <exception cref="InvalidOperationException">Another move changed the recorded count meanwhile.</exception>
    public async Task<NearDuplicateRepartition> RepartitionAsync(CancellationToken cancellationToken = default)
    {
        var manifest = _grains.GetGrain<INearDuplicateIndexManifestGrain>(ManifestKey);
        var recorded = await manifest.ClaimPartitions(_options.Partitions);
        if (recorded == _options.Partitions)
        {
            return new NearDuplicateRepartition(recorded, recorded, 0);
        }

        var moved = 0L;
        foreach (var key in NearDuplicatePartitionKey.All(recorded))
        {
            var partition = _grains.GetGrain<INearDuplicatePartitionGrain>(key.ToString());
            for (var skip = 0; ; skip += NearDuplicatePartitionGrain.MaxReadHashes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var words = await partition.ReadHashes(skip, NearDuplicatePartitionGrain.MaxReadHashes);
                var hashes = MemoryMarshal.Cast<ulong, PdqHash>(words.AsSpan()).ToArray();
                if (hashes.Length > 0)
                {
                    await AddToPartitionsAsync(hashes);
                    moved += hashes.Length;
                }

                if (hashes.Length < NearDuplicatePartitionGrain.MaxReadHashes)
                {
                    break;
                }
            }
        }

        var now = await manifest.MovePartitions(recorded, _options.Partitions);
        if (now != _options.Partitions)
        {
            throw new InvalidOperationException(
                $"The near-duplicate index's partition count changed to {now} while moving it from {recorded} to {_options.Partitions}.");
        }

        _partitionsChecked = true;
        return new NearDuplicateRepartition(recorded, _options.Partitions, moved);
    }

    private async Task AddToPartitionsAsync(IReadOnlyList<PdqHash> hashes)
    {
        var batches = new Dictionary<int, List<ulong>>();
        foreach (var hash in hashes)
        {
            var key = NearDuplicatePartitionKey.For(hash, _options.Partitions);
            if (!batches.TryGetValue(key.Index, out var batch))
            {
                batch = [];
                batches[key.Index] = batch;
            }

            batch.AddRange([hash.W0, hash.W1, hash.W2, hash.W3]);
        }

        await Task.WhenAll(batches.Select(pair =>
            _grains.GetGrain<INearDuplicatePartitionGrain>(new NearDuplicatePartitionKey(pair.Key, _options.Partitions).ToString()).Add([.. pair.Value])));
    }

    /// <summary>Refuses to search or add when the index was built with another partition count: its hashes live in partitions this
    /// setting never asks, so it would answer from an empty index and re-add into a second one. Checked once per silo; a failed
    /// check is not remembered, so a storage error is retried on the next call.</summary>
    /// <exception cref="NearDuplicateIndexMismatchException">The configured <see cref="NearDuplicateIndexOptions.Partitions"/> differs
    /// from the index's; the message names both.</exception>
    private async Task EnsurePartitionsAsync()
    {
        if (_partitionsChecked)
        {
            return;
        }

        var recorded = await _grains.GetGrain<INearDuplicateIndexManifestGrain>(ManifestKey).ClaimPartitions(_options.Partitions);
        if (recorded != _options.Partitions)
        {
            throw new NearDuplicateIndexMismatchException(
                $"The near-duplicate index was built with {recorded} partitions, but Similarity:Pdq:Partitions is {_options.Partitions}. " +
                $"Set it back to {recorded}, or move the index with POST /api/lineage/similar/repartition (intake of PDQ sightings stopped).");
        }

        _partitionsChecked = true;
    }

    /// <summary>The order of the hexadecimal forms, without making them: the words are in hex order and compare as unsigned numbers.</summary>
    private static int CompareHex(in PdqHash a, in PdqHash b) =>
        a.W0 != b.W0 ? a.W0.CompareTo(b.W0) : a.W1 != b.W1 ? a.W1.CompareTo(b.W1) : a.W2 != b.W2 ? a.W2.CompareTo(b.W2) : a.W3.CompareTo(b.W3);

    private string BelowFloor(int quality) => $"quality {quality} is below the floor of {_options.QualityFloor}";

    private static NearDuplicateMatch Without(NearDuplicateMatch match, PdqOwner owner) =>
        match.Owners.Contains(owner) ? match with { Owners = [.. match.Owners.Where(o => o != owner)] } : match;
}
