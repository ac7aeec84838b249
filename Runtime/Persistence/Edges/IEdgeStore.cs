namespace Lineage.Runtime.Persistence.Edges;

/// <summary>A durable, append-only store of a grain's growing relations (the children of a post, the posts of an account), kept as
/// rows so that adding one costs the same however many there already are.</summary>
/// <remarks>
/// <para>A relation is named by the owning grain's <see cref="GrainId"/> and a relation name. Each row has a key chosen by the
/// caller, unique within the relation, and an opaque payload. Rows are never changed or removed.</para>
/// <para><b>Idempotency.</b> Appending a row whose key is already in the relation changes nothing (the stored payload stays, even if
/// the new one differs), so a caller may retry an append whose outcome it does not know.</para>
/// <para><b>Durability.</b> <see cref="AppendAsync"/> completes only once every row it added is durable (committed with the
/// provider's configured synchronous level); a failed append may or may not have stored its rows, and retrying it is safe.</para>
/// <para><b>Ordering and cursors.</b> Pages are returned in ascending order of the rows' keys compared as UTF-8 bytes (ordinal
/// order for keys without characters outside the Basic Multilingual Plane), never in arrival order, so the same set of rows reads
/// the same however it arrived. A cursor is the key of the last row of a page; the next page holds the rows whose keys sort after
/// it. A reader paging through a relation sees every row committed before it started; a row committed meanwhile is seen if its
/// key sorts after the reader's cursor.</para>
/// <para><b>Cost.</b> An append and the read of a page cost about the same at any relation size (index lookups); counting may cost
/// time proportional to the count, so grains that need a count often keep it themselves.</para>
/// <para>Implementations: SQLite (embedded default, sharing the grain storage's database file) and PostgreSQL (cluster). A payload
/// passed to <see cref="AppendAsync"/> is referenced until the append completes: the caller must not change it meanwhile.</para>
/// </remarks>
public interface IEdgeStore
{
    /// <summary>Appends <paramref name="rows"/> to a relation of <paramref name="grainId"/> and returns how many were new, once durable.</summary>
    /// <remarks>Rows with the same key within one call count once (the first payload is kept).</remarks>
    ValueTask<int> AppendAsync(GrainId grainId, string relation, IReadOnlyList<EdgeRow> rows, CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="limit"/> rows of a relation whose keys sort after <paramref name="afterKey"/> (from the
    /// start when null), in key order.</summary>
    ValueTask<EdgePage> ReadAsync(GrainId grainId, string relation, string? afterKey, int limit, CancellationToken cancellationToken);

    /// <summary>Counts the rows of a relation.</summary>
    ValueTask<long> CountAsync(GrainId grainId, string relation, CancellationToken cancellationToken);

    /// <summary>Counts the grains of <paramref name="grainType"/> that have at least one row in <paramref name="relation"/>: for
    /// operators' totals, not for hot paths (it scans every row of the type).</summary>
    ValueTask<long> CountGrainsAsync(string grainType, string relation, CancellationToken cancellationToken);
}

/// <summary>A row to append: its key, unique within its relation, and its payload.</summary>
public readonly record struct EdgeRow(string Key, ReadOnlyMemory<byte> Payload);

/// <summary>A stored row: its key, its payload, and when it was first appended.</summary>
public readonly record struct StoredEdge(string Key, ReadOnlyMemory<byte> Payload, DateTimeOffset AppendedAt);

/// <summary>One page of a relation in key order; <see cref="NextCursor"/> is the key to pass for the next page, null at the end.</summary>
public sealed record EdgePage(IReadOnlyList<StoredEdge> Rows, string? NextCursor)
{
    /// <summary>A page with no rows and nothing after it.</summary>
    public static EdgePage Empty { get; } = new([], null);
}
