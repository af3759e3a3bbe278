using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// Entity JSON as the Table service speaks it: one line, values that JSON cannot type (Int64, DateTime, Guid, Binary, whole
/// or non-finite doubles) written as <c>"Name": value, "Name@odata.type": "Edm.X"</c>, and read back from minimal metadata,
/// where the service returns the same annotations.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeAnnotationSuffix = "@odata.type";
    private const string ETagProperty = "odata.etag";

    // Non-ASCII text stays readable and compact; JSON control characters and U+2028/U+2029 are still escaped,
    // so the output always fits on the single line the emulator's batch parser needs.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The entity as UTF-8 JSON. Validate it with <see cref="TableLimits.ValidateEntity"/> first: this writes any value it can.</summary>
    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in entity)
            {
                if (value is not null && name != TableEntity.TimestampName)
                {
                    WriteProperty(writer, name, value);
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An entity from a JSON object of a minimal-metadata response; <c>odata.etag</c> becomes <see cref="TableEntity.ETag"/>.</summary>
    public static TableEntity Read(JsonElement json)
    {
        Dictionary<string, string?>? types = null;
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name.EndsWith(TypeAnnotationSuffix, StringComparison.Ordinal))
            {
                (types ??= new(StringComparer.Ordinal))[property.Name[..^TypeAnnotationSuffix.Length]] = property.Value.GetString();
            }
        }

        var entity = new TableEntity();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name == ETagProperty)
            {
                entity.ETag = new ETag(property.Value.GetString()!);
            }
            else if (!name.StartsWith("odata.", StringComparison.Ordinal)
                && !name.EndsWith(TypeAnnotationSuffix, StringComparison.Ordinal)
                && property.Value.ValueKind != JsonValueKind.Null)
            {
                entity[name] = ReadValue(name, property.Value, types?.GetValueOrDefault(name));
            }
        }
        return entity;
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(name, text);
                break;
            case int number:
                writer.WriteNumber(name, number);
                break;
            case bool flag:
                writer.WriteBoolean(name, flag);
                break;
            case long number:
                writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                Annotate(writer, name, TableValues.Int64Type);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumber(name, number);
                if (Math.Floor(number) == number)
                {
                    // JSON cannot tell 2.0 from 2, and the service would store an Int32.
                    Annotate(writer, name, TableValues.DoubleType);
                }
                break;
            case double number:
                writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                Annotate(writer, name, TableValues.DoubleType);
                break;
            case DateTimeOffset date:
                writer.WriteString(name, TableValues.FormatDateTime(date.UtcDateTime));
                Annotate(writer, name, TableValues.DateTimeType);
                break;
            case DateTime date:
                writer.WriteString(name, TableValues.FormatDateTime(TableValues.ToUniversal(date)));
                Annotate(writer, name, TableValues.DateTimeType);
                break;
            case Guid id:
                writer.WriteString(name, id.ToString("D"));
                Annotate(writer, name, TableValues.GuidType);
                break;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                Annotate(writer, name, TableValues.BinaryType);
                break;
            case BinaryData data:
                writer.WriteBase64String(name, data.ToMemory().Span);
                Annotate(writer, name, TableValues.BinaryType);
                break;
            default:
                throw new ArgumentException(TableLimits.UnsupportedTypeMessage(name, value));
        }
    }

    private static void Annotate(Utf8JsonWriter writer, string name, string edmType) =>
        writer.WriteString(name + TypeAnnotationSuffix, edmType);

    private static object ReadValue(string name, JsonElement value, string? edmType) => (edmType, value.ValueKind) switch
    {
        (TableValues.Int64Type, JsonValueKind.String) => long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        (TableValues.DateTimeType, JsonValueKind.String) => TableValues.ParseDateTime(value.GetString()!),
        (TableValues.GuidType, JsonValueKind.String) => Guid.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        (TableValues.BinaryType, JsonValueKind.String) => value.GetBytesFromBase64(),
        (TableValues.DoubleType, JsonValueKind.String) => double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        (TableValues.DoubleType, JsonValueKind.Number) => value.GetDouble(),
        // The service returns Timestamp without an annotation in minimal metadata.
        (_, JsonValueKind.String) when name == TableEntity.TimestampName => TableValues.ParseDateTime(value.GetString()!),
        (_, JsonValueKind.String) => value.GetString()!,
        (_, JsonValueKind.Number) => ReadNumber(value),
        (_, JsonValueKind.True) => true,
        (_, JsonValueKind.False) => false,
        _ => throw new FormatException($"Property '{name}' has an unexpected JSON {value.ValueKind} in the service's response."),
    };

    // An unannotated number is an Int32 when it is whole and fits, otherwise the closest wider type.
    private static object ReadNumber(JsonElement value)
    {
        var raw = value.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            if (value.TryGetInt32(out var int32))
            {
                return int32;
            }
            if (value.TryGetInt64(out var int64))
            {
                return int64;
            }
        }
        return value.GetDouble();
    }
}
