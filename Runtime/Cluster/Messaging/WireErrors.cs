using Lineage.Runtime.Cluster.Serialization;
using Lineage.Runtime.Persistence;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>Carries a call's exception across a connection: the runtime's own exceptions and common framework ones come back as the
/// same type; any other becomes <see cref="RemoteGrainException"/> with the original type name and message.</summary>
internal static class WireErrors
{
    private enum Code : byte
    {
        Other = 0,
        Timeout = 1,
        Deadlock = 2,
        SiloUnavailable = 3,
        InconsistentState = 4,
        Argument = 5,
        InvalidOperation = 6,
        NotSupported = 7,
        KeyNotFound = 8,
        ArgumentOutOfRange = 9,
        ArgumentNull = 10,
        OperationCanceled = 11,
        Remote = 12,
    }

    public static void Write(ref WireWriter writer, Exception exception)
    {
        var code = exception switch
        {
            GrainCallTimeoutException => Code.Timeout,
            DeadlockException => Code.Deadlock,
            SiloUnavailableException => Code.SiloUnavailable,
            InconsistentStateException => Code.InconsistentState,
            ArgumentNullException => Code.ArgumentNull,
            ArgumentOutOfRangeException => Code.ArgumentOutOfRange,
            ArgumentException => Code.Argument,
            InvalidOperationException => Code.InvalidOperation,
            NotSupportedException => Code.NotSupported,
            KeyNotFoundException => Code.KeyNotFound,
            OperationCanceledException => Code.OperationCanceled,
            RemoteGrainException => Code.Remote,
            _ => Code.Other,
        };
        writer.WriteByte((byte)code);
        writer.WriteString(exception is RemoteGrainException remote ? remote.RemoteType : exception.GetType().FullName);
        writer.WriteString(exception.Message);
    }

    public static Exception Read(ref WireReader reader)
    {
        var code = (Code)reader.ReadByte();
        var type = reader.ReadString() ?? "?";
        var message = reader.ReadString() ?? string.Empty;
        return code switch
        {
            Code.Timeout => new GrainCallTimeoutException(message),
            Code.Deadlock => DeadlockException.FromRemote(message),
            Code.SiloUnavailable => new SiloUnavailableException(message),
            Code.InconsistentState => new InconsistentStateException(message),
            Code.ArgumentNull => new ArgumentNullException(null, message),
            Code.ArgumentOutOfRange => new ArgumentOutOfRangeException(null, message),
            Code.Argument => new ArgumentException(message),
            Code.InvalidOperation => new InvalidOperationException(message),
            Code.NotSupported => new NotSupportedException(message),
            Code.KeyNotFound => new KeyNotFoundException(message),
            Code.OperationCanceled => new OperationCanceledException(message),
            _ => new RemoteGrainException(type, message),
        };
    }
}
