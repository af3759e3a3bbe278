using System.Text.RegularExpressions;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// The Table service's limits on names, keys and entities, checked before a request is sent: Azurite accepts entities that
/// Azure rejects (too many properties, over 1 MiB), so only a client-side check keeps tests honest. Violations throw
/// <see cref="ArgumentException"/>.
/// </summary>
internal static partial class TableLimits
{
    /// <summary>1 KiB of UTF-16.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>255 properties minus PartitionKey, RowKey and Timestamp.</summary>
    public const int MaxCustomProperties = 252;

    public const int MaxPropertyNameLength = 255;

    /// <summary>64 KiB of UTF-16.</summary>
    public const int MaxStringLength = 32 * 1024;

    public const int MaxBinaryLength = 64 * 1024;

    /// <summary>1 MiB, by the service's published size estimate (see <see cref="ValidateEntity"/>).</summary>
    public const int MaxEntitySize = 1024 * 1024;

    public const int MaxTransactionActions = 100;

    public const int MaxTransactionBodySize = 4 * 1024 * 1024;

    public static void ValidateTableName(string tableName, string paramName)
    {
        ArgumentNullException.ThrowIfNull(tableName, paramName);
        if (!TableName().IsMatch(tableName))
        {
            throw new ArgumentException(
                $"Table name '{tableName}' is invalid: use 3 to 63 letters and digits, starting with a letter.", paramName);
        }
        if (tableName.Equals("tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("'tables' is a reserved table name.", paramName);
        }
    }

    /// <summary>A PartitionKey or RowKey: at most 1 KiB, none of <c>/ \ # ?</c> and no control characters.</summary>
    public static void ValidateKey(string key, string keyName, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException(
                $"{keyName} is {key.Length} characters long; the Table service allows at most {MaxKeyLength} (1 KiB).", paramName);
        }
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is '/' or '\\' or '#' or '?' or <= '\u001F' or (>= '\u007F' and <= '\u009F'))
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}'";
                throw new ArgumentException(
                    $"{keyName} contains {shown} at index {i}, which the Table service does not allow in keys.", paramName);
            }
        }
    }

    /// <summary>
    /// Keys, property names, value types and sizes, the property count, and the entity's size by the service's estimate:
    /// 4 bytes + 2 per key character, plus per property 8 bytes + 2 per name character + the value
    /// (string 4 + 2 per character, binary 4 + length, Int32 4, Int64/Double/DateTime 8, Guid 16, Boolean 1).
    /// </summary>
    public static void ValidateEntity(TableEntity entity, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entity, paramName);
        var partitionKey = KeyOf(entity, TableEntity.PartitionKeyName, paramName);
        var rowKey = KeyOf(entity, TableEntity.RowKeyName, paramName);

        long size = 4 + ((partitionKey.Length + rowKey.Length) * 2L);
        var customProperties = 0;
        foreach (var (name, value) in entity)
        {
            if (value is null || name is TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName)
            {
                continue;
            }
            customProperties++;
            if (name.Length is 0 or > MaxPropertyNameLength)
            {
                throw new ArgumentException(
                    $"A property name is {name.Length} characters long; the Table service allows 1 to {MaxPropertyNameLength}.", paramName);
            }
            size += 8 + (name.Length * 2L) + ValueSize(name, value, paramName);
        }

        if (customProperties > MaxCustomProperties)
        {
            throw new ArgumentException(
                $"The entity has {customProperties} properties besides PartitionKey, RowKey and Timestamp; the Table service allows at most {MaxCustomProperties}.",
                paramName);
        }
        if (size > MaxEntitySize)
        {
            throw new ArgumentException(
                $"The entity's estimated size is {size} bytes; the Table service allows at most {MaxEntitySize} (1 MiB).", paramName);
        }
    }

    public static string UnsupportedTypeMessage(string name, object value) =>
        $"Property '{name}' holds a {value.GetType().FullName}, which Table storage cannot store. " +
        "Use string, int, long, double, bool, DateTimeOffset, DateTime, Guid, byte[] or BinaryData.";

    private static string KeyOf(TableEntity entity, string keyName, string paramName)
    {
        if (!entity.TryGetValue(keyName, out var value) || value is not string key)
        {
            throw new ArgumentException($"The entity needs a string {keyName}.", paramName);
        }
        ValidateKey(key, keyName, paramName);
        return key;
    }

    private static long ValueSize(string name, object value, string paramName) => value switch
    {
        string text when text.Length > MaxStringLength => throw new ArgumentException(
            $"Property '{name}' is a string of {text.Length} characters; the Table service allows at most {MaxStringLength} (64 KiB of UTF-16).",
            paramName),
        string text => 4 + (text.Length * 2L),
        byte[] bytes => BinarySize(name, bytes.Length, paramName),
        BinaryData data => BinarySize(name, data.ToMemory().Length, paramName),
        int => 4,
        long or double or DateTime or DateTimeOffset => 8,
        Guid => 16,
        bool => 1,
        _ => throw new ArgumentException(UnsupportedTypeMessage(name, value), paramName),
    };

    private static long BinarySize(string name, int length, string paramName) => length <= MaxBinaryLength
        ? 4 + length
        : throw new ArgumentException(
            $"Property '{name}' holds {length} bytes; the Table service allows at most {MaxBinaryLength} (64 KiB).", paramName);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{2,62}\z")]
    private static partial Regex TableName();
}
