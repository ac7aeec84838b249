using Lineage.Runtime.Invocation;

namespace Lineage.Runtime.Activation;

/// <summary>The request whose grain code is executing on the current logical flow; flows across awaits.</summary>
internal static class RuntimeContext
{
    private static readonly AsyncLocal<RequestBase?> Current = new();

    public static RequestBase? CurrentRequest
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}
