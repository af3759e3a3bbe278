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

    /// <summary>The entities of a query page, <c>{"value":[{...},...]}</c>, read in one pass; property names are shared across entities.</summary>
    public static List<TableEntity> ReadPage(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        var names = new PropertyNames();
        var scratch = new EntityScratch();
        var entities = new List<TableEntity>();
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isValue = reader.ValueTextEquals("value"u8);
            reader.Read();
            if (isValue && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    entities.Add(ReadEntity(ref reader, names, scratch));
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return entities;
    }

    /// <summary>One entity from a minimal-metadata JSON object; <c>odata.etag</c> becomes <see cref="TableEntity.ETag"/>.</summary>
    public static TableEntity ReadEntity(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        return ReadEntity(ref reader, new PropertyNames(), new EntityScratch());
    }

    /// <summary>
    /// Reads the properties of one object (the reader on its start), then types each value by its <c>@odata.type</c>
    /// annotation, which the service may send before or after the value.
    /// </summary>
    private static TableEntity ReadEntity(ref Utf8JsonReader reader, PropertyNames names, EntityScratch scratch)
    {
        scratch.Clear();
        ETag etag = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var annotation = !reader.ValueIsEscaped && reader.ValueSpan.EndsWith("@odata.type"u8);
            var name = annotation ? names.Get(reader.ValueSpan[..^"@odata.type"u8.Length]) : names.Get(ref reader);
            reader.Read();
            if (annotation)
            {
                scratch.Types.Add((name, EdmTypeOf(ref reader)));
            }
            else if (name == ETagProperty)
            {
                etag = new ETag(reader.GetString()!);
            }
            else if (name.StartsWith("odata.", StringComparison.Ordinal) || reader.TokenType == JsonTokenType.Null)
            {
                reader.Skip();
            }
            else
            {
                scratch.Values.Add(RawValue.Read(ref reader, name));
            }
        }
        var entity = new TableEntity(scratch.Values.Count) { ETag = etag };
        foreach (var value in scratch.Values)
        {
            entity[value.Name] = value.ToValue(scratch.TypeOf(value.Name));
        }
        return entity;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new FormatException($"The service's response is not the JSON expected (no {token} at the start).");
        }
    }

    private enum EdmType
    {
        None,
        Int64,
        Double,
        DateTime,
        Guid,
        Binary,
    }

    private static EdmType EdmTypeOf(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.String ? EdmType.None
        : reader.ValueTextEquals(TableValues.Int64Type) ? EdmType.Int64
        : reader.ValueTextEquals(TableValues.DoubleType) ? EdmType.Double
        : reader.ValueTextEquals(TableValues.DateTimeType) ? EdmType.DateTime
        : reader.ValueTextEquals(TableValues.GuidType) ? EdmType.Guid
        : reader.ValueTextEquals(TableValues.BinaryType) ? EdmType.Binary
        : EdmType.None;

    /// <summary>A value as it came, before its annotation (if any) gives it a type.</summary>
    private readonly record struct RawValue(string Name, JsonTokenType Kind, string? Text, long Integer, double Real, bool IsIntegral)
    {
        public static RawValue Read(ref Utf8JsonReader reader, string name)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return new(name, JsonTokenType.String, reader.GetString(), 0, 0, false);
                case JsonTokenType.Number:
                    var integral = reader.ValueSpan.IndexOfAny("."u8[0], (byte)'e', (byte)'E') < 0;
                    return integral && reader.TryGetInt64(out var integer)
                        ? new(name, JsonTokenType.Number, null, integer, 0, true)
                        : new(name, JsonTokenType.Number, null, 0, reader.GetDouble(), false);
                case JsonTokenType.True or JsonTokenType.False:
                    return new(name, reader.TokenType, null, 0, 0, false);
                default:
                    throw new FormatException($"Property '{name}' has an unexpected JSON {reader.TokenType} in the service's response.");
            }
        }

        public object ToValue(EdmType type) => (type, Kind) switch
        {
            (EdmType.Int64, JsonTokenType.String) => long.Parse(Text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
            (EdmType.DateTime, JsonTokenType.String) => TableValues.ParseDateTime(Text!),
            (EdmType.Guid, JsonTokenType.String) => Guid.Parse(Text!, CultureInfo.InvariantCulture),
            (EdmType.Binary, JsonTokenType.String) => Convert.FromBase64String(Text!),
            (EdmType.Double, JsonTokenType.String) => double.Parse(Text!, NumberStyles.Float, CultureInfo.InvariantCulture),
            (EdmType.Double, JsonTokenType.Number) => IsIntegral ? (double)Integer : Real,
            // The service returns Timestamp without an annotation in minimal metadata.
            (_, JsonTokenType.String) when Name == TableEntity.TimestampName => TableValues.ParseDateTime(Text!),
            (_, JsonTokenType.String) => Text!,
            // An unannotated number is an Int32 when it is whole and fits, otherwise the closest wider type.
            (_, JsonTokenType.Number) when IsIntegral => Integer is >= int.MinValue and <= int.MaxValue ? (object)(int)Integer : Integer,
            (_, JsonTokenType.Number) => Real,
            (_, JsonTokenType.True) => true,
            (_, JsonTokenType.False) => false,
            _ => throw new FormatException($"Property '{Name}' holds a value its type cannot have."),
        };
    }

    /// <summary>Per-entity working lists, reused across the entities of a page.</summary>
    private sealed class EntityScratch
    {
        public List<RawValue> Values { get; } = [];
        public List<(string Name, EdmType Type)> Types { get; } = [];

        public void Clear()
        {
            Values.Clear();
            Types.Clear();
        }

        public EdmType TypeOf(string name)
        {
            foreach (var (annotated, type) in Types)
            {
                if (ReferenceEquals(annotated, name) || annotated == name)
                {
                    return type;
                }
            }
            return EdmType.None;
        }
    }

    /// <summary>Property names seen on this page, so a thousand entities share ten name strings; bounded against hostile input.</summary>
    private sealed class PropertyNames
    {
        private const int Capacity = 300;
        private readonly List<(byte[] Utf8, string Name)> _known = [];

        public string Get(ref Utf8JsonReader reader) =>
            reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString()! : Get(reader.ValueSpan);

        public string Get(ReadOnlySpan<byte> utf8)
        {
            foreach (var (known, name) in _known)
            {
                if (utf8.SequenceEqual(known))
                {
                    return name;
                }
            }
            var created = System.Text.Encoding.UTF8.GetString(utf8);
            if (_known.Count < Capacity)
            {
                _known.Add((utf8.ToArray(), created));
            }
            return created;
        }
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
}
