using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Persistence.Edges;

namespace Lineage.Tests.Domain;

/// <summary>What every <see cref="IEdgeStore"/> provider promises (idempotent appends on the edge key, key-ordered cursor paging,
/// counts, durability at acknowledgement, group commit), run against each provider by a subclass that knows how to open it and how
/// to hold up its writes.</summary>
public abstract class EdgeStoreContractTests<TStore> : IAsyncLifetime
    where TStore : IEdgeStore, IAsyncDisposable
{
    protected static readonly GrainId Owner = new("post", "twitter/1");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Append_is_idempotent_on_the_edge_key_and_keeps_the_first_payload()
    {
        await using var store = Open();

        Assert.Equal(2, await store.AppendAsync(Owner, "children", [Row("b", "first"), Row("a", "x")], Ct));
        Assert.Equal(1, await store.AppendAsync(Owner, "children", [Row("b", "second"), Row("c", "y"), Row("c", "z")], Ct));
        Assert.Equal(0, await store.AppendAsync(Owner, "children", [Row("a", "again")], Ct));
        Assert.Equal(0, await store.AppendAsync(Owner, "children", [], Ct));

        var page = await store.ReadAsync(Owner, "children", null, 10, Ct);
        Assert.Equal(["a", "b", "c"], page.Rows.Select(r => r.Key));
        Assert.Equal(["x", "first", "y"], page.Rows.Select(r => Text(r.Payload)));
        Assert.Null(page.NextCursor);
        Assert.Equal(3, await store.CountAsync(Owner, "children", Ct));
    }

    [Fact]
    public async Task Grains_are_counted_once_per_type_and_relation_however_many_rows_they_have()
    {
        await using var store = Open();
        await store.AppendAsync(new GrainId("account", "a1"), "posts", [Row("p1", ""), Row("p2", "")], Ct);
        await store.AppendAsync(new GrainId("account", "a2"), "posts", [Row("p3", "")], Ct);
        await store.AppendAsync(new GrainId("account", "a3"), "links", [Row("s1", "")], Ct);
        await store.AppendAsync(new GrainId("content", "c1"), "posts", [Row("p1", "")], Ct);

        Assert.Equal(2, await store.CountGrainsAsync("account", "posts", Ct));
        Assert.Equal(1, await store.CountGrainsAsync("account", "links", Ct));
        Assert.Equal(1, await store.CountGrainsAsync("content", "posts", Ct));
        Assert.Equal(0, await store.CountGrainsAsync("subject", "links", Ct));
    }

    [Fact]
    public async Task Many_callers_appending_the_same_key_at_once_add_it_once()
    {
        await using var store = Open();

        var added = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.AppendAsync(Owner, "r", [Row("same", $"p{i}")], Ct).AsTask()));

        Assert.Equal(1, added.Sum());
        Assert.Equal(1, await store.CountAsync(Owner, "r", Ct));
    }

    [Fact]
    public async Task Pages_follow_key_order_not_arrival_order_and_cursors_continue_exactly()
    {
        await using var store = Open();
        var keys = Enumerable.Range(0, 250).Select(i => $"k{i:D4}").ToArray();
        foreach (var key in keys.Reverse())
        {
            await store.AppendAsync(Owner, "r", [Row(key, "")], Ct);
        }

        var pages = new List<EdgePage>();
        string? cursor = null;
        do
        {
            var page = await store.ReadAsync(Owner, "r", cursor, 100, Ct);
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(keys, pages.SelectMany(p => p.Rows).Select(r => r.Key));
        Assert.Equal([100, 100, 50], pages.Select(p => p.Rows.Count));
        Assert.Equal(["k0099", "k0199", null], pages.Select(p => p.NextCursor));
    }

    [Fact]
    public async Task Keys_sort_by_their_utf8_bytes_whatever_the_language()
    {
        await using var store = Open();
        string[] keys = ["b", "a", "B", "é", "z", "ä", "\U0001F600", "\uFFFD", "a b", "a-b", "A", "1", "ß"];
        await store.AppendAsync(Owner, "r", keys.Select(k => Row(k, k)).ToArray(), Ct);

        var utf8 = Comparer<string>.Create((x, y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));
        var expected = keys.Order(utf8).ToArray();
        Assert.Equal(expected, (await store.ReadAsync(Owner, "r", null, 100, Ct)).Rows.Select(r => r.Key));

        // A cursor need not be a stored key: the page after it starts at the first key that sorts after it.
        Assert.Equal(["z", "ß", "ä", "é", "\uFFFD", "\U0001F600"], (await store.ReadAsync(Owner, "r", "y", 100, Ct)).Rows.Select(r => r.Key));
        Assert.Empty((await store.ReadAsync(Owner, "r", "\U0001F600", 100, Ct)).Rows);
    }

    [Fact]
    public async Task A_reader_sees_rows_committed_after_its_cursor_and_not_before_it()
    {
        await using var store = Open();
        await store.AppendAsync(Owner, "r", [Row("b", ""), Row("d", ""), Row("f", "")], Ct);
        var first = await store.ReadAsync(Owner, "r", null, 2, Ct);

        await store.AppendAsync(Owner, "r", [Row("a", ""), Row("e", "")], Ct);
        var second = await store.ReadAsync(Owner, "r", first.NextCursor, 10, Ct);

        Assert.Equal(["b", "d"], first.Rows.Select(r => r.Key));
        Assert.Equal(["e", "f"], second.Rows.Select(r => r.Key));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task Relations_are_separate_per_grain_and_name_and_an_empty_one_reads_empty()
    {
        await using var store = Open();
        var account = new GrainId("account", "twitter/1");
        await store.AppendAsync(Owner, "children", [Row("a", "")], Ct);
        await store.AppendAsync(Owner, "claims", [Row("a", ""), Row("b", "")], Ct);
        await store.AppendAsync(account, "children", [Row("z", "")], Ct);

        Assert.Equal(1, await store.CountAsync(Owner, "children", Ct));
        Assert.Equal(2, await store.CountAsync(Owner, "claims", Ct));
        Assert.Equal(["z"], (await store.ReadAsync(account, "children", null, 10, Ct)).Rows.Select(r => r.Key));
        Assert.Equal(0, await store.CountAsync(new GrainId("post", "twitter/2"), "children", Ct));
        var empty = await store.ReadAsync(new GrainId("post", "twitter/2"), "children", null, 10, Ct);
        Assert.Empty(empty.Rows);
        Assert.Null(empty.NextCursor);
    }

    [Fact]
    public async Task An_acknowledged_append_is_visible_to_another_store_on_the_same_database_at_once_and_after_reopening()
    {
        var appendedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using (var writer = Open())
        await using (var reader = Open())
        {
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => writer.AppendAsync(Owner, "r", [Row($"{i:D3}", $"v{i}")], Ct).AsTask()));

            // The writer is still open and has flushed nothing on close: what the reader sees was committed before acknowledgement.
            Assert.Equal(500, await reader.CountAsync(Owner, "r", Ct));
        }

        await using var reopened = Open();
        var page = await reopened.ReadAsync(Owner, "r", null, 1_000, Ct);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"{i:D3}"), page.Rows.Select(r => r.Key));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"v{i}"), page.Rows.Select(r => Text(r.Payload)));
        Assert.All(page.Rows, r => Assert.True(r.AppendedAt > appendedAt, $"appended at {r.AppendedAt:O}"));
    }

    [Fact]
    public async Task Appends_that_queue_up_while_a_transaction_is_held_up_share_transactions()
    {
        await using var store = Open();
        Task<int>[] appends;
        await using (await HoldWritesAsync())
        {
            appends = Enumerable.Range(0, 100).Select(i => store.AppendAsync(Owner, "r", [Row($"{i:D3}", ""), Row($"x{i:D3}", "")], Ct).AsTask()).ToArray();
        }

        Assert.Equal(200, (await Task.WhenAll(appends)).Sum());

        // The first transaction may have taken some before the hold was noticed; everything queued behind it commits together.
        Assert.InRange(CommittedBatches(store), 1, 2);
        Assert.Equal(200, await store.CountAsync(Owner, "r", Ct));
    }

    [Fact]
    public async Task A_large_append_is_one_acknowledgement_and_pages_back_whole()
    {
        await using var store = Open();
        var rows = Enumerable.Range(0, 10_000).Select(i => Row($"{i:D5}", "payload-" + i)).ToArray();

        Assert.Equal(10_000, await store.AppendAsync(Owner, "r", rows, Ct));

        var read = 0;
        string? cursor = null;
        do
        {
            var page = await store.ReadAsync(Owner, "r", cursor, 3_000, Ct);
            Assert.All(page.Rows, r => Assert.Equal("payload-" + int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture), Text(r.Payload)));
            read += page.Rows.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(10_000, read);
        Assert.Equal(10_000, await store.CountAsync(Owner, "r", Ct));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_naming_what_is_wrong()
    {
        await using var store = Open();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("limit", async () => await store.ReadAsync(Owner, "r", null, 0, Ct));
        await Assert.ThrowsAsync<ArgumentException>("relation", async () => await store.AppendAsync(Owner, "", [Row("a", "")], Ct));
        await Assert.ThrowsAsync<ArgumentNullException>("rows", async () => await store.AppendAsync(Owner, "r", [new EdgeRow(null!, default)], Ct));
        await Assert.ThrowsAsync<ArgumentException>("grainId", async () => await store.CountAsync(default, "r", Ct));
        Assert.Equal(0, await store.CountAsync(Owner, "r", Ct));
    }

    /// <summary>Opens a store on the test's database; every call opens another instance on the same one.</summary>
    protected abstract TStore Open();

    /// <summary>Blocks the store's writes (another connection holding a lock) until disposed.</summary>
    protected abstract Task<IAsyncDisposable> HoldWritesAsync();

    /// <summary>Transactions the store has committed.</summary>
    protected abstract long CommittedBatches(TStore store);

    protected static EdgeRow Row(string key, string payload) => new(key, Encoding.UTF8.GetBytes(payload));

    protected static string Text(ReadOnlyMemory<byte> payload) => Encoding.UTF8.GetString(payload.Span);
}
