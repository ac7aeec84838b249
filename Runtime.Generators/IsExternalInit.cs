namespace System.Runtime.CompilerServices;

// netstandard2.0 lacks this type; the compiler needs it for the init accessors of the model records.
internal static class IsExternalInit
{
}
