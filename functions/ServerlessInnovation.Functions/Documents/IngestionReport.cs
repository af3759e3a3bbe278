using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.Spreadsheets;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>
/// What an ingestion did, row by row: written as <c>report.json</c> (everything) and <c>refused-rows.csv</c> (the refused
/// rows, for fixing in Excel; every cell formula-safe). Safe to fill from several batch writers at once.
/// </summary>
public sealed class IngestionReport(DocumentRecord document, DateTimeOffset startedAt, int maxListedErrors)
{
    private readonly Lock _lock = new();
    private readonly List<RowError> _errors = [];
    private int _rows;
    private int _applied;
    private int _refused;
    private int _unlisted;

    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset FinishedAt { get; set; }
    public DocumentStatus Status { get; set; }
    public SpreadsheetException? FileProblem { get; set; }
    /// <summary>What was noticed about the file as a whole and ignored (say, a column nobody reads).</summary>
    public List<RowError> Warnings { get; } = [];

    public int Rows => Volatile.Read(ref _rows);
    public int Applied => Volatile.Read(ref _applied);
    public int Refused => Volatile.Read(ref _refused);

    public void CountRow() => Interlocked.Increment(ref _rows);

    public void AddApplied(int rows) => Interlocked.Add(ref _applied, rows);

    public void Refuse(int row, string? column, string code, LocalizedText message) => Refuse([new RowError(row, column, code, message)]);

    /// <summary>One refused row and everything wrong with it.</summary>
    public void Refuse(IReadOnlyList<RowError> errors)
    {
        lock (_lock)
        {
            _refused++;
            foreach (var error in errors)
            {
                if (_errors.Count < maxListedErrors)
                {
                    _errors.Add(error);
                }
                else
                {
                    _unlisted++;
                }
            }
        }
    }

    public void WriteJson(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = ApiJsonContext.Encoder, Indented = true });
        writer.WriteStartObject();
        writer.WriteString("documentId", document.Id);
        writer.WriteString("bureau", document.Bureau);
        writer.WriteString("fileName", document.FileName);
        writer.WriteString("sha256", document.Sha256);
        writer.WriteString("status", Status.Code());
        writer.WriteString("startedAt", StartedAt);
        writer.WriteString("finishedAt", FinishedAt);
        writer.WriteNumber("rows", Rows);
        writer.WriteNumber("applied", Applied);
        writer.WriteNumber("refused", Refused);
        if (FileProblem is { } problem)
        {
            writer.WriteStartObject("problem");
            writer.WriteString("code", problem.Code);
            writer.WriteString("zh", problem.Reason.Zh);
            writer.WriteString("en", problem.Reason.En);
            if (problem.Row is { } row)
            {
                writer.WriteNumber("row", row);
            }
            writer.WriteEndObject();
        }
        writer.WriteStartArray("warnings");
        foreach (var warning in Warnings)
        {
            WriteError(writer, warning);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("errors");
        foreach (var error in SortedErrors())
        {
            WriteError(writer, error);
        }
        writer.WriteEndArray();
        writer.WriteNumber("errorsNotListed", _unlisted);
        writer.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter writer, RowError error)
    {
        writer.WriteStartObject();
        writer.WriteNumber("row", error.Row);
        if (error.Column is { } column)
        {
            writer.WriteString("column", column);
        }
        else
        {
            writer.WriteNull("column");
        }
        writer.WriteString("code", error.Code);
        writer.WriteString("zh", error.Message.Zh);
        writer.WriteString("en", error.Message.En);
        writer.WriteEndObject();
    }

    /// <summary>UTF-8 with BOM (so Excel shows the Chinese), CRLF, every field through <see cref="CsvText"/>.</summary>
    public void WriteRefusedRowsCsv(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true) { NewLine = "\r\n" };
        writer.WriteLine("行号 Row,列 Column,错误代码 Code,原因,Reason");
        foreach (var error in SortedErrors())
        {
            writer.Write(error.Row.ToString(CultureInfo.InvariantCulture));
            foreach (var field in (ReadOnlySpan<string?>)[error.Column, error.Code, error.Message.Zh, error.Message.En])
            {
                writer.Write(',');
                writer.Write(CsvText.Field(field ?? ""));
            }
            writer.WriteLine();
        }
    }

    private List<RowError> SortedErrors()
    {
        lock (_lock)
        {
            return [.. _errors.OrderBy(e => e.Row)];
        }
    }
}
