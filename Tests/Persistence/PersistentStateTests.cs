using Lineage.Tests.Infrastructure;
using System.Text.Json;
using Lineage.Runtime;
using Lineage.Runtime.Persistence;
using Lineage.Runtime.Persistence.Sqlite;
using Xunit;

namespace Lineage.Tests.Persistence;

public sealed class PersistentStateTests : IAsyncDisposable
{
    private static readonly GrainId Grain = GrainId.Create("cart", 7);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TempDirectory _directory = new();
    private readonly SqliteGrainStorage _storage;

    public PersistentStateTests()
    {
        _storage = new SqliteGrainStorage("Default", new SqliteGrainStorageOptions { DataDirectory = _directory.Path });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_state_never_written_reads_as_a_new_value_with_no_etag()
    {
        var state = NewState();
        await state.ReadStateAsync(Ct);

        Assert.False(state.RecordExists);
        Assert.Null(state.Etag);
        Assert.Empty(state.State.Items);
    }

    [Fact]
    public async Task A_written_state_reads_back_in_another_activation_with_its_etag()
    {
        var writer = NewState();
        await writer.ReadStateAsync(Ct);
        writer.State.Items.Add("apple");
        writer.State.Total = 3;
        await writer.WriteStateAsync(Ct);

        Assert.True(writer.RecordExists);
        Assert.Equal("1", writer.Etag);

        var reader = NewState();
        await reader.ReadStateAsync(Ct);
        Assert.True(reader.RecordExists);
        Assert.Equal("1", reader.Etag);
        Assert.Equal(["apple"], reader.State.Items);
        Assert.Equal(3, reader.State.Total);

        reader.State.Total = 4;
        await reader.WriteStateAsync(Ct);
        Assert.Equal("2", reader.Etag);
    }

    [Fact]
    public async Task Clearing_resets_the_value_and_keeps_the_version_moving()
    {
        var state = NewState();
        await state.ReadStateAsync(Ct);
        state.State.Items.Add("apple");
        await state.WriteStateAsync(Ct);

        await state.ClearStateAsync(Ct);

        Assert.False(state.RecordExists);
        Assert.Empty(state.State.Items);
        Assert.Equal("2", state.Etag);

        var reread = NewState();
        await reread.ReadStateAsync(Ct);
        Assert.False(reread.RecordExists);
        Assert.Equal("2", reread.Etag);
        Assert.Empty(reread.State.Items);

        // Writing after a clear continues from the tombstone's version.
        state.State.Items.Add("pear");
        await state.WriteStateAsync(Ct);
        Assert.Equal("3", state.Etag);
        Assert.True(state.RecordExists);
    }

    [Fact]
    public async Task A_write_from_a_stale_activation_is_refused_and_a_reread_sees_the_winner()
    {
        var first = NewState();
        var second = NewState();
        await first.ReadStateAsync(Ct);
        await second.ReadStateAsync(Ct);

        first.State.Total = 1;
        await first.WriteStateAsync(Ct);
        second.State.Total = 2;
        await Assert.ThrowsAsync<InconsistentStateException>(() => second.WriteStateAsync(Ct));

        await second.ReadStateAsync(Ct);
        Assert.Equal(1, second.State.Total);
        Assert.Equal("1", second.Etag);
    }

    private PersistentState<Cart> NewState() => new(Grain, "cart", _storage, Json);

    public sealed class Cart
    {
        public List<string> Items { get; set; } = [];

        public int Total { get; set; }
    }
}
