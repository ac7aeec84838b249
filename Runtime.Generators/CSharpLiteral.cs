using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Runtime.Generators;

/// <summary>Spells a parameter's default value as a C# expression of the parameter's type.</summary>
internal static class CSharpLiteral
{
    public static string Format(object? value, ITypeSymbol type)
    {
        var isNullableValue = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
        var underlying = isNullableValue ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
        if (value is null)
        {
            // `S s = default` for a struct arrives as a null constant too.
            return type.IsReferenceType || isNullableValue || type.TypeKind == TypeKind.TypeParameter
                ? "null"
                : $"default({type.ToDisplayString(GrainSymbols.TypeFormat)})";
        }

        if (underlying.TypeKind == TypeKind.Enum)
        {
            return $"(({underlying.ToDisplayString(GrainSymbols.TypeFormat)})({Primitive(value)}))";
        }

        return value switch
        {
            // Integral constants are typed int by default; the cast keeps byte, long, ulong... exact.
            sbyte or byte or short or ushort or int or uint or long or ulong =>
                $"(({underlying.ToDisplayString(GrainSymbols.TypeFormat)})({Primitive(value)}))",
            _ => Primitive(value),
        };
    }

    private static string Primitive(object value) => value switch
    {
        string text => SymbolDisplay.FormatLiteral(text, quote: true),
        char character => SymbolDisplay.FormatLiteral(character, quote: true),
        bool flag => flag ? "true" : "false",
        float number when float.IsNaN(number) => "global::System.Single.NaN",
        float number when float.IsPositiveInfinity(number) => "global::System.Single.PositiveInfinity",
        float number when float.IsNegativeInfinity(number) => "global::System.Single.NegativeInfinity",
        float number => number.ToString("R", CultureInfo.InvariantCulture) + "F",
        double number when double.IsNaN(number) => "global::System.Double.NaN",
        double number when double.IsPositiveInfinity(number) => "global::System.Double.PositiveInfinity",
        double number when double.IsNegativeInfinity(number) => "global::System.Double.NegativeInfinity",
        double number => number.ToString("R", CultureInfo.InvariantCulture) + "D",
        decimal number => number.ToString(CultureInfo.InvariantCulture) + "M",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"Constant of type {value.GetType()} cannot be written as C#."),
    };
}
