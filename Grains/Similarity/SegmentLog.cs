using System.Globalization;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;

namespace Lineage.Grains.Similarity;

/// <summary>An append-only log of fixed-size records kept in numbered storage records ("segments") of a grain, through
/// <see cref="IGrainStorage"/> and so through its group commit.</summary>
/// <remarks>
/// <para>Only the last, partly filled segment is ever rewritten; full segments are written once. So appending costs at most one segment
/// of bytes however large the log grows, rather than rewriting one ever-growing blob.</para>
/// <para>Appends made while a flush is being committed are flushed together by the next one, so many concurrent appenders of an
/// interleaving grain share writes. Each segment keeps its own version: a write from a stale version (another activation wrote) fails
/// with <see cref="InconsistentStateException"/>, never overwriting.</para>
/// <para>Not thread-safe; meant for one grain activation, whose turns never run concurrently.</para>
/// </remarks>
internal sealed class SegmentLog(IGrainStorage storage, GrainId grainId, string prefix, int recordSize, int segmentCapacity)
{
    private readonly List<long> _versions = [];
    private readonly Dictionary<int, byte[]> _sealedUnwritten = [];
    private readonly byte[] _tail = new byte[recordSize * segmentCapacity];
    private int _tailRecords;
    private long _appended;
    private long _durable;
    private Task? _flushing;

    /// <summary>Records appended (durable or not).</summary>
    public long Count => _appended;

    /// <summary>Reads every segment in order, handing each one's records to <paramref name="onRecords"/>; call once, before appending.</summary>
    public async Task LoadAsync(Action<ReadOnlyMemory<byte>> onRecords, CancellationToken cancellationToken)
    {
        for (var segment = 0; ; segment++)
        {
            var record = await storage.ReadAsync(grainId, SegmentName(segment), cancellationToken);
            if (!record.Exists)
            {
                return;
            }

            if (record.Payload.Length % recordSize != 0 || record.Payload.Length > _tail.Length)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Segment '{SegmentName(segment)}' of grain {grainId} is {record.Payload.Length} bytes, not a whole number of {recordSize}-byte records up to {segmentCapacity}."));
            }

            onRecords(record.Payload);
            _versions.Add(record.Version);
            var records = record.Payload.Length / recordSize;
            _appended += records;
            _durable = _appended;
            if (records < segmentCapacity)
            {
                // A partly filled segment is the tail, and it is always the last one.
                record.Payload.Span.CopyTo(_tail);
                _tailRecords = records;
                return;
            }
        }
    }

    /// <summary>Appends records (a whole number of them) in memory; <see cref="FlushAsync"/> makes them durable.</summary>
    public void Append(ReadOnlySpan<byte> records)
    {
        if (records.Length % recordSize != 0)
        {
            throw new ArgumentException($"Records are {recordSize} bytes each; got {records.Length} bytes.", nameof(records));
        }

        while (!records.IsEmpty)
        {
            var room = (segmentCapacity - _tailRecords) * recordSize;
            var take = Math.Min(room, records.Length);
            records[..take].CopyTo(_tail.AsSpan(_tailRecords * recordSize));
            records = records[take..];
            _tailRecords += take / recordSize;
            _appended += take / recordSize;
            if (_tailRecords == segmentCapacity)
            {
                // A full segment is written once, from its own copy, and the tail starts afresh.
                _sealedUnwritten[TailSegment - 1] = _tail.ToArray();
                _tailRecords = 0;
            }
        }
    }

    /// <summary>Returns once every record appended before the call is durable.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = _appended;
        while (_durable < target)
        {
            var flushing = _flushing ??= WriteAsync(cancellationToken);
            try
            {
                await flushing;
            }
            finally
            {
                if (ReferenceEquals(_flushing, flushing))
                {
                    _flushing = null;
                }
            }
        }
    }

    /// <summary>The index of the segment the tail is filling.</summary>
    private int TailSegment => (int)(_appended / segmentCapacity);

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var upTo = _appended;
        var writes = new List<Task>();
        foreach (var (segment, payload) in _sealedUnwritten.ToArray())
        {
            writes.Add(WriteSegmentAsync(segment, payload, cancellationToken));
        }

        if (_tailRecords > 0)
        {
            writes.Add(WriteSegmentAsync(TailSegment, _tail.AsSpan(0, _tailRecords * recordSize).ToArray(), cancellationToken));
        }

        await Task.WhenAll(writes);
        _durable = upTo;
    }

    private async Task WriteSegmentAsync(int segment, byte[] payload, CancellationToken cancellationToken)
    {
        while (_versions.Count <= segment)
        {
            _versions.Add(0);
        }

        _versions[segment] = await storage.WriteAsync(grainId, SegmentName(segment), _versions[segment], payload, cancellationToken);
        if (payload.Length == _tail.Length)
        {
            _sealedUnwritten.Remove(segment);
        }
    }

    private string SegmentName(int segment) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{segment:D6}");
}
