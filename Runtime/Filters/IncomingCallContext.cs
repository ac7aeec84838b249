using Lineage.Runtime.Activation;
using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Filters;

internal sealed class IncomingCallContext(RequestBase request, object grain, GrainActivation activation) : IIncomingGrainCallContext
{
    private readonly IIncomingGrainCallFilter[] _filters = activation.Runtime.IncomingFilters;
    private int _next;

    public object Grain { get; } = grain;

    public GrainId TargetId => activation.GrainId;

    public MethodDescriptor Method => request.Method;

    public object?[] Arguments => field ??= request.GetArguments();

    public object? Result { get; set; }

    public Task Invoke()
    {
        if (_next < _filters.Length)
        {
            return _filters[_next++].Invoke(this);
        }

        return request.InvokeForFilterAsync(this);
    }
}
