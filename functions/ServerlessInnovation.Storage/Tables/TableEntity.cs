using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// A table entity as a dictionary of property names to values, with its keys, timestamp and ETag at hand.
/// </summary>
/// <remarks>
/// Supported value types, and the Edm types they are stored as: <see cref="string"/> (Edm.String), <see cref="int"/>
/// (Edm.Int32), <see cref="long"/> (Edm.Int64), <see cref="double"/> (Edm.Double), <see cref="bool"/> (Edm.Boolean),
/// <see cref="DateTimeOffset"/> and <see cref="DateTime"/> (Edm.DateTime, stored in UTC with 100 ns precision; a
/// <see cref="DateTimeKind.Unspecified"/> value is taken as UTC), <see cref="Guid"/> (Edm.Guid), and <see cref="byte"/>
/// arrays or <see cref="BinaryData"/> (Edm.Binary). A null value is not sent, so the property is absent when read back.
/// Entities read from the service hold <see cref="DateTimeOffset"/> for dates and <see cref="byte"/> arrays for binary.
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The Azure.Data.Tables name.")]
public sealed class TableEntity : IDictionary<string, object?>
{
    internal const string PartitionKeyName = "PartitionKey";
    internal const string RowKeyName = "RowKey";
    internal const string TimestampName = "Timestamp";

    private readonly Dictionary<string, object?> _properties;

    /// <summary>Creates an empty entity.</summary>
    public TableEntity()
        : this(capacity: 0)
    {
    }

    /// <summary>An empty entity with room for <paramref name="capacity"/> properties (entities read from the service).</summary>
    internal TableEntity(int capacity) => _properties = new(capacity, StringComparer.Ordinal);

    /// <summary>Creates an entity with the given keys.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    public TableEntity(string partitionKey, string rowKey)
        : this(capacity: 0)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    /// <summary>Creates an entity holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">Property names and values, including <c>PartitionKey</c> and <c>RowKey</c>.</param>
    public TableEntity(IDictionary<string, object?> values)
        : this(capacity: values?.Count ?? 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            _properties[key] = value;
        }
    }

    /// <summary>The partition key; empty when the entity has none (e.g. a query's select list left it out).</summary>
    public string PartitionKey
    {
        get => GetString(PartitionKeyName) ?? "";
        set => _properties[PartitionKeyName] = value;
    }

    /// <summary>The row key; empty when the entity has none (e.g. a query's select list left it out).</summary>
    public string RowKey
    {
        get => GetString(RowKeyName) ?? "";
        set => _properties[RowKeyName] = value;
    }

    /// <summary>When the service last modified the entity; set by the service and ignored when writing.</summary>
    public DateTimeOffset? Timestamp
    {
        get => GetDateTimeOffset(TimestampName);
        set => _properties[TimestampName] = value;
    }

    /// <summary>The entity's version as last read from the service, for optimistic concurrency; not a property.</summary>
    public ETag ETag { get; set; }

    /// <summary>The value of a property, or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    public object? this[string key]
    {
        get => _properties.GetValueOrDefault(key);
        set => _properties[key] = value;
    }

    /// <summary>The property names.</summary>
    public ICollection<string> Keys => _properties.Keys;

    /// <summary>The property values.</summary>
    public ICollection<object?> Values => _properties.Values;

    /// <summary>The number of properties, including the keys and timestamp when present.</summary>
    public int Count => _properties.Count;

    bool ICollection<KeyValuePair<string, object?>>.IsReadOnly => false;

    /// <summary>A string property, or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public string? GetString(string key) => Get(key, static value => value as string);

    /// <summary>An Int32 property (or an Int64 within range), or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type or an Int64 outside the Int32 range.</exception>
    public int? GetInt32(string key) => Get(key, static value => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        _ => (int?)null,
    });

    /// <summary>An Int64 property (or an Int32), or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public long? GetInt64(string key) => Get(key, static value => value switch
    {
        long l => l,
        int i => i,
        _ => (long?)null,
    });

    /// <summary>A Double property (or an Int32 or Int64, since a whole number can arrive without a type), or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public double? GetDouble(string key) => Get(key, static value => value switch
    {
        double d => d,
        int i => i,
        long l => l,
        _ => (double?)null,
    });

    /// <summary>A Boolean property, or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public bool? GetBoolean(string key) => Get(key, static value => value as bool?);

    /// <summary>A DateTime property (stored as <see cref="DateTimeOffset"/> or <see cref="DateTime"/>), or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public DateTimeOffset? GetDateTimeOffset(string key) => Get(key, static value => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(TableValues.ToUniversal(d)),
        _ => (DateTimeOffset?)null,
    });

    /// <summary>A Guid property, or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public Guid? GetGuid(string key) => Get(key, static value => value as Guid?);

    /// <summary>A Binary property (stored as a byte array or <see cref="BinaryData"/>), or null when it is absent.</summary>
    /// <param name="key">The property name.</param>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public byte[]? GetBinary(string key) => Get(key, static value => value switch
    {
        byte[] bytes => bytes,
        BinaryData data => data.ToArray(),
        _ => null,
    });

    /// <summary>Adds a property.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The entity already has the property.</exception>
    public void Add(string key, object? value) => _properties.Add(key, value);

    /// <summary>Whether the entity has the property.</summary>
    /// <param name="key">The property name.</param>
    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    /// <summary>Removes a property.</summary>
    /// <param name="key">The property name.</param>
    /// <returns>Whether the property was present.</returns>
    public bool Remove(string key) => _properties.Remove(key);

    /// <summary>Gets a property's value.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value, or null when the property is absent.</param>
    /// <returns>Whether the property is present.</returns>
    public bool TryGetValue(string key, out object? value) => _properties.TryGetValue(key, out value);

    /// <summary>Removes every property; the ETag stays.</summary>
    public void Clear() => _properties.Clear();

    /// <summary>Enumerates the properties.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<string, object?>>.Add(KeyValuePair<string, object?> item) => _properties.Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object?>>.Contains(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);

    void ICollection<KeyValuePair<string, object?>>.CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<string, object?>>.Remove(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);

    private T? Get<T>(string key, Func<object, T?> convert)
    {
        if (!_properties.TryGetValue(key, out var value) || value is null)
        {
            return default;
        }
        return convert(value) ?? throw new InvalidOperationException(
            $"Property '{key}' holds a {value.GetType().Name}, which cannot be read as {Nullable.GetUnderlyingType(typeof(T))?.Name ?? typeof(T).Name}.");
    }
}
