using System.Runtime.InteropServices;
using Lineage.Media.Pdq;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lineage.Grains.Similarity;

/// <summary>A partition of the near-duplicate index: its hashes in memory for search, and in an append-only segment log for restarts.</summary>
/// <remarks>Reentrant so that searches never wait behind a commit and concurrent adds share one write (see <see cref="SegmentLog"/>);
/// the in-memory table is changed only between awaits, so a search sees each add whole. A hash becomes visible to searches as soon as
/// its add has run, slightly before its write is acknowledged; if the write fails the activation is dropped, so memory never keeps a
/// hash that storage lost.</remarks>
[Reentrant]
public sealed class NearDuplicatePartitionGrain(IOptions<NearDuplicateIndexOptions> options) : Grain, INearDuplicatePartitionGrain
{
    private const int HashBytes = 32;

    private readonly Dictionary<int, ushort[]> _masks = [];
    private HashBuckets? _buckets;
    private SegmentLog? _log;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = NearDuplicatePartitionKey.Parse(GetPrimaryKeyString());
        var settings = options.Value;
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(settings.StorageName);
        var buckets = new HashBuckets(key);
        var log = new SegmentLog(storage, GrainId, "segment-", HashBytes, settings.SegmentCapacity);
        await log.LoadAsync(records =>
        {
            foreach (var hash in MemoryMarshal.Cast<byte, PdqHash>(records.Span))
            {
                buckets.AddKnownNew(hash);
            }
        }, cancellationToken);
        _buckets = buckets;
        _log = log;
    }

    /// <inheritdoc />
    public async Task<int> Add(ulong[] hashWords)
    {
        ArgumentNullException.ThrowIfNull(hashWords);
        if (hashWords.Length % 4 != 0)
        {
            throw new ArgumentException($"Hashes are four words each; got {hashWords.Length} words.", nameof(hashWords));
        }

        var buckets = _buckets!;
        var log = _log!;
        var hashes = MemoryMarshal.Cast<ulong, PdqHash>(hashWords.AsSpan());
        var added = 0;
        foreach (var hash in hashes)
        {
            if (buckets.Add(hash))
            {
                // Little-endian words on every platform .NET runs this project on; the log is read back the same way.
                log.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<PdqHash>(in hash)));
                added++;
            }
        }

        try
        {
            await log.FlushAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        return added;
    }

    /// <inheritdoc />
    public Task<HashDistance[]> Match(ulong[] queryWords, int threshold, int radius)
    {
        ArgumentNullException.ThrowIfNull(queryWords);
        if (queryWords.Length != 4)
        {
            throw new ArgumentException($"A query is one hash of four words; got {queryWords.Length} words.", nameof(queryWords));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(radius, 4);
        if (!_masks.TryGetValue(radius, out var masks))
        {
            masks = SlotProbes.Masks(radius);
            _masks[radius] = masks;
        }

        var matches = new List<HashDistance>();
        _buckets!.Match(new PdqHash(queryWords[0], queryWords[1], queryWords[2], queryWords[3]), threshold, masks, matches);
        return Task.FromResult(matches.ToArray());
    }

    /// <inheritdoc />
    public Task<long> Count() => Task.FromResult(_buckets!.Count);
}
