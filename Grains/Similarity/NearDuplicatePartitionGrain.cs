using System.Runtime.InteropServices;
using Lineage.Media.Pdq;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lineage.Grains.Similarity;

/// <summary>A partition of the near-duplicate index: its share of the hashes in memory with their multi-index tables (see
/// <see cref="PartitionTable"/>), and in an append-only segment log for restarts.</summary>
/// <remarks>Reentrant so that searches never wait behind a commit and concurrent adds share one write (see <see cref="SegmentLog"/>);
/// the in-memory table is changed only between awaits, so a search sees each add whole. A hash becomes visible to searches as soon as
/// its add has run, slightly before its write is acknowledged; if the write fails the activation is dropped, so memory never keeps a
/// hash that storage lost.</remarks>
[Reentrant]
[GrainType(GrainTypes.NearDuplicatePartition)]
public sealed class NearDuplicatePartitionGrain(IOptions<NearDuplicateIndexOptions> options) : Grain, INearDuplicatePartitionGrain
{
    private const int HashBytes = 32;

    /// <summary>Most hashes one <see cref="ReadHashes"/> returns (3.2 MB of words).</summary>
    public const int MaxReadHashes = 100_000;

    private readonly Dictionary<int, ushort[]> _masks = [];
    private PartitionTable? _table;
    private SegmentLog? _log;
    private Task _loaded = Task.CompletedTask;

    /// <inheritdoc />
    /// <remarks>Returns at once and reads the segments back in the background: a large partition (2.5 M hashes at 10 M indexed) takes
    /// longer to read than the runtime allows an activation, and all partitions reload at once after a restart. The load runs on the
    /// activation (its continuations are turns like any call's), and every call waits for it, so no search ever answers from a partial
    /// table; a call whose deadline passes while it waits fails with the runtime's timeout, as any slow call does.</remarks>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ = NearDuplicatePartitionKey.Parse(GetPrimaryKeyString());
        var settings = options.Value;
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(settings.StorageName);
        _table = new PartitionTable();
        _log = new SegmentLog(storage, GrainId, "segment-", HashBytes, settings.SegmentCapacity);
        _loaded = LoadAsync(_table, _log);
        return Task.CompletedTask;
    }

    private async Task LoadAsync(PartitionTable table, SegmentLog log)
    {
        try
        {
            // Not the activation's token: it only bounds OnActivateAsync, which has long returned.
            await log.LoadAsync(records => table.AppendUnindexed(MemoryMarshal.Cast<byte, PdqHash>(records.Span)), CancellationToken.None);
            table.IndexAppended();
        }
        catch
        {
            // Every waiting call gets the failure; the next activation starts the load again.
            DeactivateOnIdle();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<int> Add(ulong[] hashWords)
    {
        ArgumentNullException.ThrowIfNull(hashWords);
        if (hashWords.Length % 4 != 0)
        {
            throw new ArgumentException($"Hashes are four words each; got {hashWords.Length} words.", nameof(hashWords));
        }

        await _loaded;
        var table = _table!;
        var log = _log!;
        var hashes = MemoryMarshal.Cast<ulong, PdqHash>(hashWords.AsSpan());
        var added = 0;
        foreach (var hash in hashes)
        {
            if (table.Add(hash))
            {
                // Little-endian words on every platform .NET runs this project on; the log is read back the same way.
                log.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<PdqHash>(in hash)));
                added++;
            }
        }

        table.Maintain();

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
    public async Task<HashDistance[]> Match(ulong[] queryWords, int threshold)
    {
        ArgumentNullException.ThrowIfNull(queryWords);
        if (queryWords.Length != 4)
        {
            throw new ArgumentException($"A query is one hash of four words; got {queryWords.Length} words.", nameof(queryWords));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 63);
        var radius = SlotProbes.RadiusFor(threshold);
        if (!_masks.TryGetValue(radius, out var masks))
        {
            masks = SlotProbes.Masks(radius);
            _masks[radius] = masks;
        }

        await _loaded;
        var matches = new List<HashDistance>();
        _table!.Match(new PdqHash(queryWords[0], queryWords[1], queryWords[2], queryWords[3]), threshold, masks, matches);
        return [.. matches];
    }

    /// <inheritdoc />
    public async Task<long> Count()
    {
        await _loaded;
        return _table!.Count;
    }

    /// <inheritdoc />
    public async Task<ulong[]> ReadHashes(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, MaxReadHashes);
        await _loaded;
        var table = _table!;
        var count = Math.Max(0, Math.Min(take, table.Count - skip));
        var words = new ulong[count * 4];
        table.CopyHashes(skip, MemoryMarshal.Cast<ulong, PdqHash>(words.AsSpan()));
        return words;
    }
}
