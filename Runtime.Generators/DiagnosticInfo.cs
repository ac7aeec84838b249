using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Lineage.Runtime.Generators;

/// <summary>A source location reduced to plain values: a <see cref="Location"/> holds its syntax tree, which would keep the
/// whole compilation alive across pipeline runs and defeat equality.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is null || !location.IsInSource
            ? null
            : new LocationInfo(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}

/// <summary>A diagnostic waiting to be reported, in a form the incremental pipeline can compare and cache.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    : IComparable<DiagnosticInfo>
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        new(descriptor.Id, LocationInfo.From(location), arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.Get(Id), Location?.ToLocation(), Arguments.Cast<object>().ToArray());

    // Reported in file and position order so that build output reads top to bottom and does not depend on pipeline order.
    public int CompareTo(DiagnosticInfo? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byFile = string.CompareOrdinal(Location?.FilePath, other.Location?.FilePath);
        if (byFile != 0)
        {
            return byFile;
        }

        var byPosition = (Location?.Span.Start ?? -1).CompareTo(other.Location?.Span.Start ?? -1);
        if (byPosition != 0)
        {
            return byPosition;
        }

        var byId = string.CompareOrdinal(Id, other.Id);
        return byId != 0 ? byId : string.CompareOrdinal(string.Join("\u0001", Arguments), string.Join("\u0001", other.Arguments));
    }
}
