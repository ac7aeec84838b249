using Lineage.Runtime.Cluster.Membership;

namespace Lineage.Tests.Cluster.MembershipTable;

/// <summary>What every <see cref="IMembershipTable"/> promises (a CAS on the cluster's version for every change, clusters invisible to
/// each other, heartbeats and clean-up outside the CAS, faithful rows), run against each provider by a subclass.</summary>
public abstract class MembershipTableContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IMembershipTable> _tables = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var table in _tables)
        {
            if (table is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_cluster_nobody_joined_reads_as_version_zero_with_no_rows()
    {
        var table = await TableAsync("empty");

        var snapshot = await table.ReadAllAsync(Ct);

        Assert.Equal(0, snapshot.Version);
        Assert.Empty(snapshot.Entries);
    }

    [Fact]
    public async Task Every_field_of_an_entry_round_trips_including_suspicions()
    {
        var table = await TableAsync("fields");
        var entry = new MembershipEntry(
            new SiloAddress("10.0.0.7", 11111, 1767268800123),
            SiloStatus.Active,
            "worker-7.example",
            Start.AddMilliseconds(5),
            Start.AddMinutes(3).AddMilliseconds(250),
            [
                new Suspicion(new SiloAddress("10.0.0.8", 11111, 1767268800456), Start.AddMinutes(2)),
                new Suspicion(new SiloAddress("fe80::1", 22222, 7), Start.AddMinutes(2).AddMilliseconds(999)),
            ]);

        Assert.True(await table.TryWriteAsync(entry, 0, Ct));

        var snapshot = await table.ReadAllAsync(Ct);
        Assert.Equal(1, snapshot.Version);
        var read = Assert.Single(snapshot.Entries);
        Assert.Equal(entry.Silo, read.Silo);
        Assert.Equal(entry.Status, read.Status);
        Assert.Equal(entry.HostName, read.HostName);
        Assert.Equal(entry.StartedAt, read.StartedAt);
        Assert.Equal(entry.IAmAliveAt, read.IAmAliveAt);
        Assert.Equal(entry.Suspicions, read.Suspicions);
    }

    [Fact]
    public async Task Each_accepted_change_moves_the_version_on_by_one_and_a_row_is_replaced_by_its_silo()
    {
        var table = await TableAsync("changes");
        var a = Entry("a", SiloStatus.Joining);
        var b = Entry("b", SiloStatus.Joining);

        Assert.True(await table.TryWriteAsync(a, 0, Ct));
        Assert.True(await table.TryWriteAsync(b, 1, Ct));
        Assert.True(await table.TryWriteAsync(a with { Status = SiloStatus.Active, Suspicions = [new Suspicion(b.Silo, Start)] }, 2, Ct));

        var snapshot = await table.ReadAllAsync(Ct);
        Assert.Equal(3, snapshot.Version);
        Assert.Equal(2, snapshot.Entries.Count);
        var readA = Assert.Single(snapshot.Entries, e => e.Silo == a.Silo);
        Assert.Equal(SiloStatus.Active, readA.Status);
        Assert.Equal(b.Silo, Assert.Single(readA.Suspicions).Suspecter);
        Assert.Equal(SiloStatus.Joining, Assert.Single(snapshot.Entries, e => e.Silo == b.Silo).Status);
    }

    [Fact]
    public async Task A_write_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var table = await TableAsync("stale");
        var a = Entry("a", SiloStatus.Active);
        Assert.True(await table.TryWriteAsync(a, 0, Ct));
        Assert.True(await table.TryWriteAsync(Entry("b", SiloStatus.Active), 1, Ct));

        Assert.False(await table.TryWriteAsync(a with { Status = SiloStatus.Dead }, 1, Ct));
        Assert.False(await table.TryWriteAsync(Entry("c", SiloStatus.Joining), 0, Ct));
        Assert.False(await table.TryWriteAsync(Entry("d", SiloStatus.Joining), 7, Ct));

        var snapshot = await table.ReadAllAsync(Ct);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(["a", "b"], snapshot.Entries.Select(e => e.HostName).Order());
        Assert.Equal(SiloStatus.Active, Assert.Single(snapshot.Entries, e => e.Silo == a.Silo).Status);
    }

    [Fact]
    public async Task Concurrent_writers_through_separate_table_instances_have_exactly_one_winner_per_version()
    {
        // Separate instances per racer, as separate silo processes would have; each racer tries to add its own row.
        const int Racers = 12;
        var racers = new IMembershipTable[Racers];
        for (var i = 0; i < Racers; i++)
        {
            racers[i] = await TableAsync("race");
        }

        long version = 0;
        var winners = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            var expected = version;
            var attempts = Enumerable.Range(0, Racers)
                .Select(i => Task.Run(() => racers[i].TryWriteAsync(Entry($"r{round}-s{i}", SiloStatus.Joining, port: 1000 + (round * 100) + i), expected, Ct), Ct))
                .ToArray();
            var results = await Task.WhenAll(attempts);

            var winner = Assert.Single(Enumerable.Range(0, Racers), i => results[i]);
            winners.Add($"r{round}-s{winner}");
            var snapshot = await racers[0].ReadAllAsync(Ct);
            Assert.Equal(expected + 1, snapshot.Version);
            Assert.Equal(winners.Order(), snapshot.Entries.Select(e => e.HostName).Order());
            version = snapshot.Version;
        }
    }

    [Fact]
    public async Task Clusters_sharing_a_database_never_see_each_other()
    {
        var red = await TableAsync("red");
        var blue = await TableAsync("blue");
        var shared = Entry("same-address", SiloStatus.Dead);

        Assert.True(await red.TryWriteAsync(shared, 0, Ct));
        Assert.True(await red.TryWriteAsync(Entry("red-only", SiloStatus.Active), 1, Ct));

        // Blue's version is its own: 0, not red's 2.
        Assert.Equal(MembershipSnapshot.Empty.Version, (await blue.ReadAllAsync(Ct)).Version);
        Assert.False(await blue.TryWriteAsync(Entry("blue", SiloStatus.Active), 2, Ct));
        Assert.True(await blue.TryWriteAsync(shared with { IAmAliveAt = Start.AddHours(1) }, 0, Ct));

        // Heartbeats and clean-up of one cluster leave the other's row of the same silo alone.
        await blue.UpdateIAmAliveAsync(shared.Silo, Start.AddHours(2), Ct);
        Assert.Equal(1, await red.DeleteDeadAsync(Start.AddMinutes(30), Ct));

        var redView = await red.ReadAllAsync(Ct);
        var blueView = await blue.ReadAllAsync(Ct);
        Assert.Equal(2, redView.Version);
        Assert.Equal("red-only", Assert.Single(redView.Entries).HostName);
        Assert.Equal(1, blueView.Version);
        Assert.Equal(Start.AddHours(2), Assert.Single(blueView.Entries).IAmAliveAt);
    }

    [Fact]
    public async Task I_am_alive_updates_the_row_without_moving_the_version()
    {
        var table = await TableAsync("alive");
        var a = Entry("a", SiloStatus.Active);
        Assert.True(await table.TryWriteAsync(a, 0, Ct));

        await table.UpdateIAmAliveAsync(a.Silo, Start.AddMinutes(10), Ct);
        await table.UpdateIAmAliveAsync(new SiloAddress("never-joined", 1, 1), Start.AddMinutes(10), Ct);

        var snapshot = await table.ReadAllAsync(Ct);
        Assert.Equal(1, snapshot.Version);
        var read = Assert.Single(snapshot.Entries);
        Assert.Equal(Start.AddMinutes(10), read.IAmAliveAt);
        Assert.Equal(SiloStatus.Active, read.Status);

        // A writer holding the version from before the heartbeat still wins its CAS.
        Assert.True(await table.TryWriteAsync(a with { Status = SiloStatus.ShuttingDown }, 1, Ct));
    }

    [Fact]
    public async Task Delete_dead_removes_only_dead_rows_older_than_the_cut_off_and_keeps_the_version()
    {
        var table = await TableAsync("cleanup");
        var rows = new[]
        {
            Entry("dead-old", SiloStatus.Dead, iAmAliveAt: Start),
            Entry("dead-recent", SiloStatus.Dead, iAmAliveAt: Start.AddHours(2)),
            Entry("active-old", SiloStatus.Active, iAmAliveAt: Start),
            Entry("leaving-old", SiloStatus.ShuttingDown, iAmAliveAt: Start),
        };
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.True(await table.TryWriteAsync(rows[i], i, Ct));
        }

        Assert.Equal(1, await table.DeleteDeadAsync(Start.AddHours(1), Ct));
        Assert.Equal(0, await table.DeleteDeadAsync(Start.AddHours(1), Ct));

        var snapshot = await table.ReadAllAsync(Ct);
        Assert.Equal(rows.Length, snapshot.Version);
        Assert.Equal(["active-old", "dead-recent", "leaving-old"], snapshot.Entries.Select(e => e.HostName).Order());
    }

    [Fact]
    public async Task An_entry_that_cannot_be_stored_is_refused_naming_the_silo_and_nothing_is_written()
    {
        var table = await TableAsync("bad");
        var bad = Entry("bad", (SiloStatus)9);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => table.TryWriteAsync(bad, 0, Ct));

        Assert.Contains(bad.Silo.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await table.ReadAllAsync(Ct)).Version);
    }

    [Fact]
    public async Task Using_a_table_before_initializing_it_fails_with_a_clear_error()
    {
        var table = CreateTable("uninitialized");
        _tables.Add(table);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => table.ReadAllAsync(Ct));

        Assert.Contains("InitializeAsync", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initializing_many_tables_at_once_on_one_database_works()
    {
        var tables = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => TableAsync("init"), Ct)));
        Assert.True(await tables[0].TryWriteAsync(Entry("a", SiloStatus.Joining), 0, Ct));
        Assert.Equal(1, (await tables[5].ReadAllAsync(Ct)).Version);
    }

    /// <summary>An entry whose silo address is derived from <paramref name="hostName"/>, so that each name is one silo.</summary>
    protected static MembershipEntry Entry(string hostName, SiloStatus status, int port = 11111, DateTimeOffset? iAmAliveAt = null) =>
        new(new SiloAddress(hostName + ".test", port, 1767268800000), status, hostName, Start, iAmAliveAt ?? Start, []);

    /// <summary>A table of <paramref name="clusterId"/> on this test's database, initialized, and disposed with the test.</summary>
    protected async Task<IMembershipTable> TableAsync(string clusterId)
    {
        var table = CreateTable(clusterId);
        lock (_tables)
        {
            _tables.Add(table);
        }

        await table.InitializeAsync(Ct);
        return table;
    }

    /// <summary>A new, uninitialized table instance of <paramref name="clusterId"/> on this test's database.</summary>
    protected abstract IMembershipTable CreateTable(string clusterId);
}
