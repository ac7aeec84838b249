using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Lineage.Runtime;
using Lineage.Runtime.Client;
using Lineage.Runtime.Cluster.Messaging;
using Lineage.Tests.Cluster.Grains;
using Lineage.Tests.Infrastructure;

namespace Lineage.Tests.Cluster;

/// <summary>Peers that do not know the secret or do not speak the protocol lose their connection; the silo keeps serving.</summary>
public sealed class ConnectionSecurityTests : IAsyncLifetime
{
    private const int RefusedConnection = 3002;
    private const int MalformedFrame = 3003;

    private TestCluster _cluster = null!;

    private ClusterSilo Silo => _cluster.Silos[0];

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync(1);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_client_with_the_wrong_secret_is_refused_and_the_refusal_is_logged()
    {
        var options = _cluster.ClientOptions();
        options.Secret = "not-the-cluster-secret-at-all";

        var refused = await Assert.ThrowsAsync<SiloUnavailableException>(async () => await ClusterClient.ConnectAsync(options, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("is the cluster secret", refused.Message);
        await Poll.UntilAsync(
            () => Silo.Logs.Records.Any(r => r.EventId == RefusedConnection && r.Message.Contains("did not prove knowledge of the cluster secret")),
            "the silo logged the refusal");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Bytes_that_are_not_the_protocol_are_refused_before_any_frame_is_read()
    {
        using var socket = await ConnectRawAsync();
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), TestContext.Current.CancellationToken);

        await AssertClosedByPeerAsync(socket);
        await Poll.UntilAsync(() => Silo.Logs.Records.Any(r => r.EventId == RefusedConnection), "the silo logged the refusal");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task An_oversized_frame_closes_the_connection_with_a_logged_reason()
    {
        using var socket = await ConnectAuthenticatedAsync();
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, (16 * 1024 * 1024) + 1);
        await socket.GetStream().WriteAsync(header, TestContext.Current.CancellationToken);

        await AssertClosedByPeerAsync(socket);
        await Poll.UntilAsync(
            () => Silo.Logs.Records.Any(r => r.EventId == MalformedFrame && r.Message.Contains("a frame of 16777217 bytes")),
            "the silo logged why it closed the connection");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_frame_of_unknown_kind_closes_the_connection_with_a_logged_reason()
    {
        using var socket = await ConnectAuthenticatedAsync();
        var frame = new byte[4 + 9];
        BinaryPrimitives.WriteInt32LittleEndian(frame, 9);
        frame[4] = 99;
        await socket.GetStream().WriteAsync(frame, TestContext.Current.CancellationToken);

        await AssertClosedByPeerAsync(socket);
        await Poll.UntilAsync(
            () => Silo.Logs.Records.Any(r => r.EventId == MalformedFrame && r.Message.Contains("unknown kind 99")),
            "the silo logged why it closed the connection");
        await AssertStillServingAsync();
    }

    private async Task<TcpClient> ConnectRawAsync()
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(Silo.Address.Host, Silo.Address.Port);
        return socket;
    }

    private async Task<TcpClient> ConnectAuthenticatedAsync()
    {
        var socket = await ConnectRawAsync();
        var stream = socket.GetStream();
        var pipe = new StreamPipe(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));
        var peer = await new ConnectionHandshake(_cluster.ClusterId, TestCluster.Secret).ConnectAsync(pipe, PeerRole.Client, "raw-test-client", TestContext.Current.CancellationToken);
        Assert.Equal(Silo.Address.ToString(), peer);
        return socket;
    }

    private static async Task AssertClosedByPeerAsync(TcpClient socket)
    {
        // Whatever the silo sends first, the stream must end: a deadline, not a sleep, bounds the wait.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[256];
        try
        {
            while (await socket.GetStream().ReadAsync(buffer, deadline.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
    }

    private async Task AssertStillServingAsync()
    {
        var client = await _cluster.ConnectClientAsync();
        Assert.Equal(1, await client.GetGrain<ITallyGrain>("still-serving-" + Guid.NewGuid()).Increment());
    }

    private sealed record StreamPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
