using System.Globalization;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Http;

/// <summary>Collects field errors while a request is checked, in the API's words (zh-CN and en).</summary>
public sealed class FieldErrors
{
    private readonly List<FieldError> _errors;
    private readonly string _prefix;

    public FieldErrors()
        : this([], "")
    {
    }

    private FieldErrors(List<FieldError> errors, string prefix)
    {
        _errors = errors;
        _prefix = prefix;
    }

    public IReadOnlyList<FieldError> All => _errors;

    public bool Any => _errors.Count > 0;

    /// <summary>The same collection, for the members of an object: errors added through it are named <c>{member}.{field}</c>.</summary>
    public FieldErrors Within(string member) => new(_errors, _prefix + member + ".");

    public void Add(string field, string code, LocalizedText message) => _errors.Add(new(_prefix + field, code, message));

    public void Required(string field) =>
        Add(field, "required", new("必填", "Required"));

    public void OutOfRange(string field, IFormattable min, IFormattable max) =>
        Add(field, "out-of-range", new(
            $"须在{Text(min)}到{Text(max)}之间",
            $"Must be between {Text(min)} and {Text(max)}"));

    public void UnknownCode(string field, string allowed) =>
        Add(field, "unknown-code", new($"未知的代码，可选值：{allowed}", $"Unknown code; allowed: {allowed}"));

    public void TooMany(string field, int max) =>
        Add(field, "too-many-items", new($"最多{max}项", $"At most {max} items"));

    public void Duplicate(string field) =>
        Add(field, "duplicate-item", new("与前面的项重复", "Repeats an earlier item"));

    /// <summary>Checks an optional number against an inclusive range; returns whether it is present and valid.</summary>
    public bool Range<T>(string field, T? value, T min, T max, bool required = false) where T : struct, IComparable<T>, IFormattable
    {
        if (value is not { } v)
        {
            if (required)
            {
                Required(field);
            }
            return false;
        }
        if (v.CompareTo(min) < 0 || v.CompareTo(max) > 0)
        {
            OutOfRange(field, min, max);
            return false;
        }
        return true;
    }

    /// <summary>Parses a list of codes: bounded in length, each known and not repeated. Returns the parsed values.</summary>
    public List<T> Codes<T>(string field, IReadOnlyList<string?>? codes, int max, TryParse<T> parse, string allowed)
    {
        var parsed = new List<T>();
        if (codes is null)
        {
            return parsed;
        }
        if (codes.Count > max)
        {
            TooMany(field, max);
            return parsed;
        }
        for (var i = 0; i < codes.Count; i++)
        {
            var item = $"{field}[{i}]";
            if (!parse(codes[i], out var value))
            {
                UnknownCode(item, allowed);
            }
            else if (parsed.Contains(value))
            {
                Duplicate(item);
            }
            else
            {
                parsed.Add(value);
            }
        }
        return parsed;
    }

    public delegate bool TryParse<T>(string? code, out T value);

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
