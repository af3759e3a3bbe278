using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Http;

/// <summary>The outcome of reading a JSON body: the value, or the problem to answer with.</summary>
public readonly record struct BodyResult<T>(T? Value, ApiProblem? Problem) where T : class;

/// <summary>
/// Reads a JSON request body defensively: media type, size limit (before and while reading), UTF-8 validity,
/// syntax and depth, duplicate and unknown members, and wrong types, each as a field-level problem.
/// </summary>
public static class JsonBody
{
    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return new(null, Problems.UnsupportedMediaType(request.ContentType));
        }
        if (request.ContentLength > RequestLimits.JsonBodyBytes)
        {
            return new(null, Problems.PayloadTooLarge(RequestLimits.JsonBodyBytes));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(RequestLimits.JsonBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken)) > 0)
            {
                length += read;
                if (length > RequestLimits.JsonBodyBytes)
                {
                    return new(null, Problems.PayloadTooLarge(RequestLimits.JsonBodyBytes));
                }
            }
            return Parse(buffer.AsSpan(0, length), typeInfo);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static BodyResult<T> Parse<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo) where T : class
    {
        if (utf8.StartsWith("\xEF\xBB\xBF"u8))
        {
            utf8 = utf8[3..];
        }
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Malformed<T>("empty-body", new("请求体为空", "The request body is empty"));
        }
        if (!Utf8.IsValid(utf8))
        {
            return Malformed<T>("invalid-utf8", new("请求体不是有效的 UTF-8 编码", "The request body is not valid UTF-8"));
        }
        if (CheckSyntax(utf8) is { } syntaxProblem)
        {
            return new(null, syntaxProblem);
        }

        try
        {
            var value = JsonSerializer.Deserialize(utf8, typeInfo);
            return value is null
                ? Malformed<T>("not-an-object", new("请求体须为 JSON 对象", "The request body must be a JSON object"))
                : new BodyResult<T>(value, null);
        }
        catch (JsonException exception)
        {
            return new(null, Problems.Validation([DescribeMismatch(exception, typeInfo)]));
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }
        var isJson = mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                     mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
        var charset = mediaType.Charset;
        return isJson && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) ||
                          charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A first pass with the reader alone: syntax errors with their position, and nesting deeper than any request needs.</summary>
    private static ApiProblem? CheckSyntax(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = RequestLimits.JsonMaxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= RequestLimits.JsonMaxDepth)
                {
                    return Problems.MalformedJson(new("$", "too-deep",
                        new($"JSON 嵌套层级超过{RequestLimits.JsonMaxDepth}层", $"JSON nesting deeper than {RequestLimits.JsonMaxDepth} levels")));
                }
            }
            return null;
        }
        catch (JsonException exception)
        {
            var line = (exception.LineNumber ?? 0) + 1;
            var position = (exception.BytePositionInLine ?? 0) + 1;
            return Problems.MalformedJson(new("$", "malformed-json",
                new($"JSON 语法错误（第{line}行第{position}字节附近）", $"JSON syntax error near line {line}, byte {position}")));
        }
    }

    /// <summary>Turns the serializer's complaint (an unknown or duplicate member, or a value of the wrong type) into a field error.</summary>
    private static FieldError DescribeMismatch(JsonException exception, JsonTypeInfo typeInfo)
    {
        var field = FieldPath(exception.Path);
        var message = exception.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return new(field, "unknown-field", new("不认识的字段", "Unknown field"));
        }
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return new(field, "duplicate-field", new("字段重复出现", "The field appears more than once"));
        }
        var expected = Describe(TypeAt(typeInfo, exception.Path));
        return new(field, "wrong-type", new($"值的类型不正确，应为{expected.Zh}", $"Wrong type: expected {expected.En}"));
    }

    /// <summary><c>$.space.areaM2</c> → <c>space.areaM2</c>; the root stays <c>$</c>.</summary>
    public static string FieldPath(string? jsonPath) => jsonPath switch
    {
        null or "" or "$" => "$",
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ => jsonPath.TrimStart('$'),
    };

    private static Type? TypeAt(JsonTypeInfo root, string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return root.Type;
        }
        var current = root;
        foreach (var segment in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            var indexed = segment.IndexOf('[', StringComparison.Ordinal);
            if (indexed >= 0)
            {
                name = segment[..indexed];
            }
            var property = current.Properties.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                return null;
            }
            current = current.Options.GetTypeInfo(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
            if (indexed >= 0 && current.ElementType is { } element)
            {
                current = current.Options.GetTypeInfo(element);
            }
        }
        return Nullable.GetUnderlyingType(current.Type) ?? current.Type;
    }

    private static LocalizedText Describe(Type? type) => type switch
    {
        null => new("合适的值", "a valid value"),
        _ when type == typeof(int) || type == typeof(long) => new("整数", "an integer"),
        _ when type == typeof(double) || type == typeof(decimal) => new("数字", "a number"),
        _ when type == typeof(string) => new("字符串", "a string"),
        _ when type == typeof(bool) => new("true 或 false", "true or false"),
        _ when type == typeof(DateOnly) => new("日期（yyyy-MM-dd）", "a date (yyyy-MM-dd)"),
        _ when type.IsArray => new("数组", "an array"),
        _ => new("JSON 对象", "a JSON object"),
    };

    private static BodyResult<T> Malformed<T>(string code, LocalizedText message) where T : class =>
        new(null, Problems.MalformedJson(new("$", code, message)));
}
