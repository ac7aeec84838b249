using Microsoft.Extensions.Logging;

namespace Lineage.Runtime.Cluster.Messaging;

/// <summary>Log messages of the messaging layer.</summary>
internal static partial class MessagingLog
{
    [LoggerMessage(3001, LogLevel.Information, "Listening for silo and client connections on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(3002, LogLevel.Warning, "Refused a connection from {Remote}: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string? remote, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Closing the connection to {Peer}: it sent {Reason}")]
    public static partial void MalformedFrame(ILogger logger, string peer, string reason);

    [LoggerMessage(3004, LogLevel.Error, "The result of {Method} for {Peer} could not be serialised; the caller gets an error")]
    public static partial void SerializationFailed(ILogger logger, string method, string peer, Exception exception);

    [LoggerMessage(3005, LogLevel.Information, "Connected to {Role} {Peer} ({Direction})")]
    public static partial void Connected(ILogger logger, PeerRole role, string peer, string direction);

    [LoggerMessage(3006, LogLevel.Information, "Connection to {Peer} closed: {PendingFailed} waiting calls failed")]
    public static partial void Disconnected(ILogger logger, string peer, int pendingFailed);

    [LoggerMessage(3007, LogLevel.Debug, "Could not connect to {Peer}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string peer, string reason);
}
