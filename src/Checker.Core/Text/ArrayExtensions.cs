using System.Collections.Immutable;

namespace Checker.Text;

internal static class ArrayExtensions
{
    public static EquatableArray<T> ToImmutableArrayOrEmpty<T>(this T[]? items) =>
        items is null ? EquatableArray<T>.Empty : new EquatableArray<T>(ImmutableArray.Create(items));
}
