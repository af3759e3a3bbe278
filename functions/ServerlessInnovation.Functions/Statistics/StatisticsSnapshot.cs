using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.Spreadsheets;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>One indicator of a scope on a date, with the previous night's value and the change, where there is one.</summary>
public sealed record StatisticRow(string Scope, string Code, double Value, double? Previous)
{
    public double? Change => Previous is { } previous ? Math.Round(Value - previous, 4) : null;
}

/// <summary>The statistics of one day: every indicator of every scope, as stored, read and written out.</summary>
public sealed record StatisticsSnapshot(DateOnly Date, DateTimeOffset GeneratedAt, IReadOnlyList<StatisticRow> Rows)
{
    /// <summary>The scope of the whole jurisdiction.</summary>
    public const string CityScope = HangzhouDistricts.CityCode;

    public static IReadOnlyList<string> AllScopes { get; } = [CityScope, .. HangzhouDistricts.All.Select(d => d.Code)];

    public static LocalizedText? ScopeName(string scope) =>
        scope == CityScope ? HangzhouDistricts.CityName : HangzhouDistricts.All.FirstOrDefault(d => d.Code == scope)?.Name;

    public double? ValueOf(string scope, string code) => Rows.FirstOrDefault(r => r.Scope == scope && r.Code == code)?.Value;

    public void WriteJson(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = ApiJsonContext.Encoder, Indented = true });
        writer.WriteStartObject();
        writer.WriteString("date", Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        writer.WriteString("generatedAt", GeneratedAt);
        writer.WriteStartArray("scopes");
        foreach (var scope in Rows.GroupBy(r => r.Scope))
        {
            writer.WriteStartObject();
            writer.WriteString("scope", scope.Key);
            var name = ScopeName(scope.Key) ?? new(scope.Key, scope.Key);
            writer.WriteString("zh", name.Zh);
            writer.WriteString("en", name.En);
            writer.WriteStartArray("indicators");
            foreach (var row in scope)
            {
                var indicator = Indicators.Find(row.Code);
                writer.WriteStartObject();
                writer.WriteString("code", row.Code);
                writer.WriteString("zh", indicator?.Name.Zh);
                writer.WriteString("en", indicator?.Name.En);
                writer.WriteString("unit", indicator?.Unit.Zh);
                writer.WriteNumber("value", row.Value);
                WriteNumberOrNull(writer, "previous", row.Previous);
                WriteNumberOrNull(writer, "change", row.Change);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>UTF-8 with BOM (so Excel shows the Chinese), CRLF, one line per indicator and scope, every field through <see cref="CsvText"/>.</summary>
    public void WriteCsv(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true) { NewLine = CsvText.NewLine };
        CsvText.WriteRow(writer, ["日期 Date", "范围 Scope", "范围名称", "Scope name", "指标代码 Code", "指标", "Indicator", "单位 Unit", "数值 Value", "前一日 Previous", "变化 Change"]);
        var date = Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var row in Rows)
        {
            var indicator = Indicators.Find(row.Code);
            var scopeName = ScopeName(row.Scope);
            CsvText.WriteRow(writer,
            [
                date, row.Scope, scopeName?.Zh, scopeName?.En, row.Code, indicator?.Name.Zh, indicator?.Name.En, indicator?.Unit.Zh,
                Number(row.Value), row.Previous is { } previous ? Number(previous) : "", row.Change is { } change ? Number(change) : "",
            ]);
        }
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
