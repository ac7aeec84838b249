using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;
using Lineage.Runtime.Cluster.Membership;
using Lineage.Runtime.Cluster.Serialization;
using Lineage.Runtime.Invocation;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>One authenticated, long-lived connection to a silo or client: length-prefixed frames over Kestrel's pipes, requests and
/// responses in both directions, correlated by id.</summary>
/// <remarks>
/// <para>Sending never blocks the caller: messages go into a queue that one writer loop drains into the pipe, flushing once per
/// drained batch, so a burst of calls costs one system call rather than one each. The writer serialises each frame into a scratch
/// buffer first, because the length prefix must be known before the frame is copied out.</para>
/// <para>The reader loop parses whole frames and dispatches them inline: responses complete their callers (whose continuations post
/// to their own activation or the thread pool), requests are routed to activations. A frame that is oversized or cannot be parsed
/// closes this connection with a logged reason; the silo keeps serving.</para>
/// <para>When the connection ends, every call still waiting on it fails with <see cref="SiloUnavailableException"/>: the call may or
/// may not have run on the other side.</para>
/// </remarks>
internal sealed class SiloConnection : IResponseSink
{
    private const int LengthBytes = 4;

    private readonly ConnectionContext _context;
    private readonly IIncomingRequestHandler? _handler;
    private readonly IGrainFactory? _grainFactory;
    private readonly int _maxMessageBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, RequestBase> _pending = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pings = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextCorrelation;
    private string? _closeReason;

    public SiloConnection(ConnectionContext context, PeerRole peerRole, string peerIdentity, IIncomingRequestHandler? handler, IGrainFactory? grainFactory, int maxMessageBytes, TimeProvider timeProvider, ILogger logger)
    {
        _time = timeProvider;
        _context = context;
        _handler = handler;
        _grainFactory = grainFactory ?? handler?.GrainFactory;
        _maxMessageBytes = maxMessageBytes;
        _logger = logger;
        PeerRole = peerRole;
        PeerIdentity = peerIdentity;
        if (peerRole == PeerRole.Silo)
        {
            PeerSilo = SiloAddress.Parse(peerIdentity);
        }
    }

    /// <summary>Whether the peer is a silo or a client.</summary>
    public PeerRole PeerRole { get; }

    /// <summary>The identity the peer authenticated with.</summary>
    public string PeerIdentity { get; }

    /// <summary>The peer's silo address, when it is a silo.</summary>
    public SiloAddress? PeerSilo { get; }

    /// <summary>Completes when the connection has closed and every waiting call was failed.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Calls still waiting for a response on this connection.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>How many waiting calls failed because the connection closed.</summary>
    public int FailedOnClose { get; private set; }

    /// <summary>Runs the reader and writer loops until either ends, then fails what is still waiting.</summary>
    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        var reader = ReadLoopAsync();
        await Task.WhenAny(writer, reader).ConfigureAwait(false);
        _outgoing.Writer.TryComplete();
        _context.Abort(new ConnectionAbortedException(_closeReason ?? "The connection closed."));
        await Task.WhenAll(Quiet(writer), Quiet(reader)).ConfigureAwait(false);
        FailEverything();
        await _context.DisposeAsync().ConfigureAwait(false);
        _closed.TrySetResult();
    }

    /// <summary>Sends <paramref name="request"/>; its caller is completed when the response arrives or the connection closes.</summary>
    public void SendRequest(RequestBase request)
    {
        long correlation = 0;
        if (!request.IsOneWay)
        {
            correlation = Interlocked.Increment(ref _nextCorrelation);
            _pending[correlation] = request;
        }

        if (!_outgoing.Writer.TryWrite(new Outgoing(request.IsOneWay ? MessageKind.OneWayRequest : MessageKind.Request, correlation, request, null)))
        {
            if (correlation == 0 || _pending.TryRemove(correlation, out _))
            {
                request.Fail(Unavailable());
            }
        }
    }

    /// <summary>Sends a probe and completes when its answer arrives; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task PingAsync(TimeSpan timeout, TimeProvider timeProvider) => RoundTripAsync(MessageKind.Ping, timeout, timeProvider);

    /// <summary>Tells the peer the membership table changed; completes once the peer's view reflects it.</summary>
    public Task NotifyMembershipChangedAsync(TimeSpan timeout, TimeProvider timeProvider) =>
        RoundTripAsync(MessageKind.MembershipChanged, timeout, timeProvider);

    private async Task RoundTripAsync(MessageKind kind, TimeSpan timeout, TimeProvider timeProvider)
    {
        var correlation = Interlocked.Increment(ref _nextCorrelation);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[correlation] = answered;
        try
        {
            if (!_outgoing.Writer.TryWrite(new Outgoing(kind, correlation, null, null)))
            {
                throw Unavailable();
            }

            await answered.Task.WaitAsync(timeout, timeProvider).ConfigureAwait(false);
        }
        finally
        {
            _pings.TryRemove(correlation, out _);
        }
    }

    private async Task AnswerMembershipChangedAsync(long correlation)
    {
        try
        {
            if (_handler is not null)
            {
                await _handler.OnMembershipChangedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Answered even if the re-read failed: the sender only waits to give peers a chance, and its own table write stands.
            _outgoing.Writer.TryWrite(new Outgoing(MessageKind.Pong, correlation, null, null));
        }
    }

    /// <summary>Fails calls whose deadline passed without a response.</summary>
    public void ReleaseExpired(long now, TimeSpan timeout)
    {
        foreach (var (correlation, request) in _pending)
        {
            if (request.DeadlineTimestamp <= now && _pending.TryRemove(correlation, out _))
            {
                request.Fail(new GrainCallTimeoutException(request.TargetId, request.Method.ToString(), timeout, started: false));
            }
        }
    }

    /// <summary>Closes the connection; waiting calls fail.</summary>
    public void Close(string reason)
    {
        _closeReason ??= reason;
        _outgoing.Writer.TryComplete();
        _context.Abort(new ConnectionAbortedException(reason));
    }

    void IResponseSink.OnCompleted(RequestBase request, Exception? error)
    {
        if (request.IsOneWay)
        {
            return;
        }

        _outgoing.Writer.TryWrite(new Outgoing(error is null ? MessageKind.Response : MessageKind.Error, request.ResponseCorrelation, request, error));
    }

    private async Task WriteLoopAsync()
    {
        var output = _context.Transport.Output;
        var scratch = new ArrayBufferWriter<byte>(4096);
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var message))
                {
                    scratch.ResetWrittenCount();
                    if (!TryWriteFrame(scratch, message))
                    {
                        continue;
                    }

                    var frame = scratch.WrittenSpan;
                    var destination = output.GetSpan(LengthBytes + frame.Length);
                    BinaryPrimitives.WriteInt32LittleEndian(destination, frame.Length);
                    frame.CopyTo(destination[LengthBytes..]);
                    output.Advance(LengthBytes + frame.Length);
                }

                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            _closeReason ??= exception.Message;
        }
    }

    /// <summary>Serialises one message; a result that cannot be serialised becomes an error response instead of breaking the connection.</summary>
    private bool TryWriteFrame(ArrayBufferWriter<byte> scratch, Outgoing message)
    {
        try
        {
            WriteFrame(scratch, message.Kind, message);
            return true;
        }
        catch (Exception exception) when (message.Kind is MessageKind.Request or MessageKind.OneWayRequest or MessageKind.Response)
        {
            scratch.ResetWrittenCount();
            if (message.Kind == MessageKind.Response)
            {
                MessagingLog.SerializationFailed(_logger, message.Request!.Method.ToString(), PeerIdentity, exception);
                WriteFrame(scratch, MessageKind.Error, message with { Error = new InvalidOperationException($"The result of {message.Request.Method} could not be serialised: {exception.Message}") });
                return true;
            }

            if (message.Correlation == 0 || _pending.TryRemove(message.Correlation, out _))
            {
                message.Request!.Fail(new InvalidOperationException($"The arguments of {message.Request.Method} could not be serialised: {exception.Message}", exception));
            }

            return false;
        }
    }

    private void WriteFrame(ArrayBufferWriter<byte> scratch, MessageKind kind, Outgoing message)
    {
        var writer = new WireWriter(scratch);
        writer.WriteByte((byte)kind);
        writer.WriteInt64(message.Correlation);
        switch (kind)
        {
            case MessageKind.Request:
            case MessageKind.OneWayRequest:
                WriteRequestHeader(ref writer, message.Request!);
                message.Request!.SerializeArguments(ref writer);
                break;
            case MessageKind.Response:
                message.Request!.WriteResult(ref writer);
                break;
            case MessageKind.Error:
                WireErrors.Write(ref writer, message.Error!);
                break;
        }

        writer.Flush();
        if (scratch.WrittenCount > _maxMessageBytes)
        {
            throw new InvalidOperationException($"the message is {scratch.WrittenCount} bytes, more than the {_maxMessageBytes} allowed");
        }
    }

    private void WriteRequestHeader(ref WireWriter writer, RequestBase request)
    {
        var method = request.Method;
        writer.WriteInt32(method.Interface.WireId);
        writer.WriteUInt16((ushort)method.Index);
        writer.WriteString(request.TargetId.Type);
        writer.WriteString(request.TargetId.Key);
        var remainingMilliseconds = (request.DeadlineTimestamp - _time.GetTimestamp()) * 1000.0 / _time.TimestampFrequency;
        writer.WriteInt32((int)Math.Clamp(remainingMilliseconds, 1, int.MaxValue));
        writer.WriteByte(request.Hops);
        var depth = 0;
        for (var node = request.Chain; node is not null && depth < ushort.MaxValue; node = node.Rest)
        {
            depth++;
        }

        writer.WriteUInt16((ushort)depth);
        for (var node = request.Chain; node is not null && depth-- > 0; node = node.Rest)
        {
            writer.WriteString(node.Caller.Type);
            writer.WriteString(node.Caller.Key);
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _context.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadFrame(ref buffer, out var frame))
                {
                    if (!Dispatch(frame))
                    {
                        input.AdvanceTo(buffer.Start);
                        return;
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    _closeReason ??= "the peer closed the connection";
                    return;
                }
            }
        }
        catch (FrameRejectedException exception)
        {
            _closeReason ??= exception.Message;
            MessagingLog.MalformedFrame(_logger, PeerIdentity, exception.Message);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            _closeReason ??= exception.Message;
        }
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < LengthBytes)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[LengthBytes];
        buffer.Slice(0, LengthBytes).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 9 || length > _maxMessageBytes)
        {
            throw new FrameRejectedException($"a frame of {length} bytes (allowed: 9 to {_maxMessageBytes})");
        }

        if (buffer.Length < LengthBytes + length)
        {
            return false;
        }

        frame = buffer.Slice(LengthBytes, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    /// <summary>Handles one frame; false when the connection must close.</summary>
    private bool Dispatch(ReadOnlySequence<byte> frame)
    {
        byte[]? rented = null;
        ReadOnlySpan<byte> span;
        if (frame.IsSingleSegment)
        {
            span = frame.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)frame.Length);
            frame.CopyTo(rented);
            span = rented.AsSpan(0, (int)frame.Length);
        }

        try
        {
            var reader = new WireReader(span, _grainFactory);
            var kind = (MessageKind)reader.ReadByte();
            var correlation = reader.ReadInt64();
            switch (kind)
            {
                case MessageKind.Request or MessageKind.OneWayRequest:
                    return ReadRequest(ref reader, kind, correlation);
                case MessageKind.Response:
                    if (_pending.TryRemove(correlation, out var answered))
                    {
                        CompleteFromWire(answered, ref reader);
                    }

                    return true;
                case MessageKind.Error:
                    var error = WireErrors.Read(ref reader);
                    if (_pending.TryRemove(correlation, out var failed))
                    {
                        failed.Fail(error);
                    }

                    return true;
                case MessageKind.Ping:
                    // A connection that outlived its silo's crash (accepted just as the silo went down) must not vouch for it.
                    if (_handler is { HasCrashed: true })
                    {
                        _closeReason ??= "this silo has crashed";
                        return false;
                    }

                    _outgoing.Writer.TryWrite(new Outgoing(MessageKind.Pong, correlation, null, null));
                    return true;
                case MessageKind.MembershipChanged:
                    _ = AnswerMembershipChangedAsync(correlation);
                    return true;
                case MessageKind.Pong:
                    if (_pings.TryGetValue(correlation, out var ping))
                    {
                        ping.TrySetResult();
                    }

                    return true;
                default:
                    throw new FrameRejectedException($"a frame of unknown kind {(byte)kind}");
            }
        }
        catch (WireFormatException exception)
        {
            throw new FrameRejectedException("a malformed frame: " + exception.Message);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void CompleteFromWire(RequestBase request, ref WireReader reader)
    {
        try
        {
            request.CompleteFromWire(ref reader);
        }
        catch (WireFormatException exception)
        {
            // The frame was well formed; only this result does not fit the caller's type (e.g. two builds disagree), so only this call fails.
            request.Fail(new InvalidOperationException($"The result of {request.Method} could not be read: {exception.Message}", exception));
        }
    }

    private bool ReadRequest(ref WireReader reader, MessageKind kind, long correlation)
    {
        if (_handler is null)
        {
            throw new FrameRejectedException("a request sent to a client");
        }

        var interfaceId = reader.ReadInt32();
        var methodIndex = reader.ReadUInt16();
        var target = new GrainId(reader.ReadRequiredString(), reader.ReadRequiredString());
        var timeoutMilliseconds = reader.ReadInt32();
        var hops = reader.ReadByte();
        var depth = reader.ReadUInt16();
        CallChain? chain = null;
        if (depth > 0)
        {
            var callers = new GrainId[depth];
            for (var i = 0; i < depth; i++)
            {
                callers[i] = new GrainId(reader.ReadRequiredString(), reader.ReadRequiredString());
            }

            for (var i = depth - 1; i >= 0; i--)
            {
                chain = new CallChain(callers[i], chain);
            }
        }

        var method = _handler.FindMethod(interfaceId, methodIndex);
        if (method is null)
        {
            // The frame is fine; this silo just lacks that interface (a rolling upgrade). Only the call fails.
            if (kind == MessageKind.Request)
            {
                _outgoing.Writer.TryWrite(new Outgoing(MessageKind.Error, correlation, null, new NotSupportedException(
                    $"Silo {_handler} has no grain interface with wire id {interfaceId} and method {methodIndex}; the cluster runs different builds.")));
            }

            return true;
        }

        var request = method.ReadRequest(ref reader);
        if (reader.Remaining != 0)
        {
            throw new WireFormatException($"{reader.Remaining} bytes follow the arguments of {method}.");
        }

        var time = _time;
        var now = time.GetTimestamp();
        request.TargetId = target;
        request.Chain = chain;
        request.Hops = hops;
        request.SentTimestamp = now;
        request.DeadlineTimestamp = now + (long)(Math.Max(1, timeoutMilliseconds) / 1000.0 * time.TimestampFrequency);
        request.ResponseCorrelation = correlation;
        request.ResponseSink = this;
        _handler.Deliver(request);
        return true;
    }

    private void FailEverything()
    {
        var reason = Unavailable();
        foreach (var correlation in _pending.Keys)
        {
            if (_pending.TryRemove(correlation, out var request))
            {
                FailedOnClose++;
                request.Fail(reason);
            }
        }

        foreach (var ping in _pings.Values)
        {
            ping.TrySetException(reason);
        }
    }

    private SiloUnavailableException Unavailable() =>
        new($"The connection to {PeerIdentity} closed ({_closeReason ?? "closed"}); the call may or may not have run there.");

    private static async Task Quiet(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loops' own errors were recorded as the close reason; the connection is going away either way.
        }
    }

    /// <summary>A queued message for the writer loop.</summary>
    private readonly record struct Outgoing(MessageKind Kind, long Correlation, RequestBase? Request, Exception? Error);

    /// <summary>A frame that breaks the protocol: the connection closes.</summary>
    private sealed class FrameRejectedException(string message) : Exception(message);
}
