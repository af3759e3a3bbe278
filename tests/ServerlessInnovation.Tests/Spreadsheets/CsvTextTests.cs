using ServerlessInnovation.Functions.Spreadsheets;

namespace ServerlessInnovation.Tests.Spreadsheets;

public sealed class CsvTextTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("西湖孵化器", "西湖孵化器")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+86 571", "'+86 571")]
    [InlineData("-5", "-5")] // a plain number stays a number
    [InlineData("-12.5", "-12.5")]
    [InlineData("+3", "+3")]
    [InlineData("-1+2", "'-1+2")]
    [InlineData("-A1", "'-A1")]
    [InlineData("-", "'-")]
    [InlineData("-1e5", "'-1e5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"a,b\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\"")]
    [InlineData("a=b", "a=b")]
    public void FieldsAreQuotedAndFormulasNeutralised(string? value, string expected)
    {
        Assert.Equal(expected, CsvText.Field(value));
    }

    [Fact]
    public void RowsAreCommaSeparatedAndEndWithCrlf()
    {
        var writer = new StringWriter();

        CsvText.WriteRow(writer, ["a", null, "=x", "c,d"]);

        Assert.Equal("a,,'=x,\"c,d\"\r\n", writer.ToString());
    }

    [Fact]
    public void WhatCsvTextWritesReadsBackAsWritten()
    {
        string?[] values = ["西湖, \"孵化\"", "line\r\nbreak", "plain"];
        var writer = new StringWriter();
        CsvText.WriteRow(writer, ["h1", "h2", "h3"]);
        CsvText.WriteRow(writer, values);

        var rows = SheetFixtures.ReadAll(SheetFixtures.Csv(writer.ToString()));

        SheetFixtures.AssertCells(values, rows[1].Values);
    }
}
