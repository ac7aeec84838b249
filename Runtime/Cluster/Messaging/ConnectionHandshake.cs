using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>Mutual challenge/response authentication with the cluster secret, run once when a connection opens.</summary>
/// <remarks>
/// The acceptor sends a magic number and a random nonce; the connector answers with its own nonce, its role and identity, and an
/// HMAC-SHA256 over both nonces, the cluster id, role and identity keyed by the secret; the acceptor checks it and proves itself the
/// same way over the nonces in the other order. The secret never crosses the wire, a recorded exchange cannot be replayed (fresh
/// nonces), and a silo of another cluster with the same secret is refused (the cluster id is in the MAC).
/// </remarks>
internal sealed class ConnectionHandshake(string clusterId, string secret)
{
    private const int NonceBytes = 32;
    private const int MacBytes = 32;
    private const int MaxIdentityBytes = 512;
    private static readonly byte[] Magic = "LNG1"u8.ToArray();

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);
    private readonly byte[] _clusterId = Encoding.UTF8.GetBytes(clusterId);

    /// <summary>Runs the acceptor's side; returns the peer's role and identity, or throws <see cref="AuthenticationFailedException"/>.</summary>
    public async Task<(PeerRole Role, string Identity)> AcceptAsync(IDuplexPipe transport, string localIdentity, CancellationToken cancellationToken)
    {
        var serverNonce = RandomNumberGenerator.GetBytes(NonceBytes);
        await WriteAsync(transport.Output, [Magic, serverNonce], cancellationToken).ConfigureAwait(false);

        var clientNonce = await ReadExactlyAsync(transport.Input, NonceBytes, cancellationToken).ConfigureAwait(false);
        var role = (await ReadExactlyAsync(transport.Input, 1, cancellationToken).ConfigureAwait(false))[0];
        if (role is not ((byte)PeerRole.Silo or (byte)PeerRole.Client))
        {
            throw new AuthenticationFailedException($"the peer announced an unknown role {role}");
        }

        var identity = await ReadIdentityAsync(transport.Input, cancellationToken).ConfigureAwait(false);
        var mac = await ReadExactlyAsync(transport.Input, MacBytes, cancellationToken).ConfigureAwait(false);
        var expected = Mac("connector", serverNonce, clientNonce, role, identity);
        if (!CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            throw new AuthenticationFailedException($"'{Encoding.UTF8.GetString(identity)}' did not prove knowledge of the cluster secret of cluster '{clusterId}'");
        }

        var local = Encoding.UTF8.GetBytes(localIdentity);
        await WriteAsync(transport.Output, [LengthPrefix(local), local, Mac("acceptor", clientNonce, serverNonce, role, local)], cancellationToken).ConfigureAwait(false);
        return ((PeerRole)role, Encoding.UTF8.GetString(identity));
    }

    /// <summary>Runs the connector's side; returns the acceptor's identity, or throws <see cref="AuthenticationFailedException"/>.</summary>
    public async Task<string> ConnectAsync(IDuplexPipe transport, PeerRole role, string localIdentity, CancellationToken cancellationToken)
    {
        var magic = await ReadExactlyAsync(transport.Input, Magic.Length, cancellationToken).ConfigureAwait(false);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new AuthenticationFailedException("the peer is not a Lineage silo (wrong greeting)");
        }

        var serverNonce = await ReadExactlyAsync(transport.Input, NonceBytes, cancellationToken).ConfigureAwait(false);
        var clientNonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var local = Encoding.UTF8.GetBytes(localIdentity);
        await WriteAsync(
            transport.Output,
            [clientNonce, [(byte)role], LengthPrefix(local), local, Mac("connector", serverNonce, clientNonce, (byte)role, local)],
            cancellationToken).ConfigureAwait(false);

        byte[] identity;
        try
        {
            identity = await ReadIdentityAsync(transport.Input, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationFailedException)
        {
            throw new AuthenticationFailedException($"the silo refused this connection: is the cluster secret of cluster '{clusterId}' the same on both sides?");
        }

        var mac = await ReadExactlyAsync(transport.Input, MacBytes, cancellationToken).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(mac, Mac("acceptor", clientNonce, serverNonce, (byte)role, identity)))
        {
            throw new AuthenticationFailedException("the silo did not prove knowledge of the cluster secret");
        }

        return Encoding.UTF8.GetString(identity);
    }

    private byte[] Mac(string direction, byte[] firstNonce, byte[] secondNonce, byte role, byte[] identity)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.ASCII.GetBytes(direction));
        hmac.AppendData(LengthPrefix(_clusterId));
        hmac.AppendData(_clusterId);
        hmac.AppendData(firstNonce);
        hmac.AppendData(secondNonce);
        hmac.AppendData([role]);
        hmac.AppendData(LengthPrefix(identity));
        hmac.AppendData(identity);
        return hmac.GetHashAndReset();
    }

    private static byte[] LengthPrefix(byte[] value) => BitConverter.GetBytes((ushort)value.Length);

    private static async Task<byte[]> ReadIdentityAsync(PipeReader input, CancellationToken cancellationToken)
    {
        var prefix = await ReadExactlyAsync(input, 2, cancellationToken).ConfigureAwait(false);
        var length = BitConverter.ToUInt16(prefix);
        if (length is 0 or > MaxIdentityBytes)
        {
            throw new AuthenticationFailedException($"the peer sent an identity of {length} bytes");
        }

        return await ReadExactlyAsync(input, length, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteAsync(PipeWriter output, byte[][] parts, CancellationToken cancellationToken)
    {
        foreach (var part in parts)
        {
            output.Write(part);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadExactlyAsync(PipeReader input, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                var bytes = buffer.Slice(0, count).ToArray();
                input.AdvanceTo(buffer.GetPosition(count));
                return bytes;
            }

            if (result.IsCompleted)
            {
                throw new AuthenticationFailedException("the peer closed the connection during authentication");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}

/// <summary>Who is at the other end of a connection.</summary>
internal enum PeerRole : byte
{
    /// <summary>Another silo of the cluster.</summary>
    Silo = 1,

    /// <summary>A cluster client using this silo as its gateway.</summary>
    Client = 2,
}

/// <summary>A peer failed the cluster-secret challenge, or broke off the exchange.</summary>
internal sealed class AuthenticationFailedException(string reason) : Exception(reason);
