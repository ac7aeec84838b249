namespace Lineage.Runtime.Invocation;

/// <summary>Receives the outcome of a request that arrived over a connection, to send it back to the caller.</summary>
internal interface IResponseSink
{
    /// <summary>Called once, when the request completed: with <paramref name="error"/> null its result is ready for
    /// <see cref="RequestBase.WriteResult"/>.</summary>
    void OnCompleted(RequestBase request, Exception? error);
}
