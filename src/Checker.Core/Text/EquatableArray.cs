using System.Collections;
using System.Collections.Immutable;

namespace Checker.Text;

/// <summary>
/// An immutable array with structural equality and a readable <see cref="ToString"/>, for records that hold
/// sequences (ImmutableArray compares by reference and prints its type name).
/// </summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly ImmutableArray<T> items;

    /// <summary>Wraps <paramref name="items"/>.</summary>
    public EquatableArray(ImmutableArray<T> items) => this.items = items.IsDefault ? ImmutableArray<T>.Empty : items;

    /// <summary>No items.</summary>
    public static EquatableArray<T> Empty => new(ImmutableArray<T>.Empty);

    /// <summary>The items.</summary>
    public ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;

    /// <summary>The number of items.</summary>
    public int Count => Items.Length;

    /// <summary>The item at <paramref name="index"/>.</summary>
    public T this[int index] => Items[index];

    /// <inheritdoc/>
    public bool Equals(EquatableArray<T> other)
    {
        var a = Items;
        var b = other.Items;
        if (a.Length != b.Length) return false;
        var cmp = EqualityComparer<T>.Default;
        for (int i = 0; i < a.Length; i++)
            if (!cmp.Equals(a[i], b[i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <inheritdoc/>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <summary>Enumerates the items.</summary>
    public ImmutableArray<T>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", Items) + "]";

    /// <summary>Wraps an immutable array.</summary>
    public static implicit operator EquatableArray<T>(ImmutableArray<T> items) => new(items);
}
