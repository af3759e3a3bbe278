using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using ServerlessInnovation.Functions.Spreadsheets;

namespace ServerlessInnovation.Tests.Spreadsheets;

public sealed class CatalogTemplateTests
{
    private static readonly string[] Headers = [.. CatalogColumns.All.Select(c => c.Header)];

    [Fact]
    public void TheCsvTemplateIsTheChineseHeaderInUtf8WithBomAndCrlf()
    {
        var stream = new MemoryStream();

        CatalogTemplate.WriteCsv(stream);

        var bytes = stream.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(string.Join(',', Headers) + "\r\n", Encoding.UTF8.GetString(bytes[3..]));
        Assert.StartsWith("载体编号,载体名称,载体类型,孵化类型,所在区县,地址,纬度,经度,总面积（平方米）", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }

    [Fact]
    public void BothTemplatesReadBackAsExactlyTheHeaderWithNoRowsAndNoWarnings()
    {
        foreach (var write in new Action<Stream>[] { CatalogTemplate.WriteCsv, CatalogTemplate.WriteXlsx })
        {
            var stream = new MemoryStream();
            write(stream);
            var bytes = stream.ToArray();

            var sheet = SheetFixtures.ReadAll(SheetFixtures.Bytes(bytes));
            var catalog = CatalogFixtures.ReadAll(SheetFixtures.Bytes(bytes), out var warnings);

            var header = Assert.Single(sheet);
            Assert.Equal(1, header.Number);
            SheetFixtures.AssertCells(Headers, header.Values);
            Assert.Empty(catalog);
            Assert.Empty(warnings);
        }
    }

    [Fact]
    public void TheXlsxTemplateIsAValidWorkbookWithTheCatalogSheetFirstAndInstructionsSecond()
    {
        var stream = new MemoryStream();
        CatalogTemplate.WriteXlsx(stream);
        stream.Position = 0;

        using var document = SpreadsheetDocument.Open(stream, isEditable: false);

        Assert.Empty(new OpenXmlValidator().Validate(document).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}"));
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["载体目录", "填写说明"], sheets.Select(s => s.Name?.Value));

        var instructions = Rows((WorksheetPart)workbook.GetPartById(sheets[1].Id!.Value!));
        Assert.Equal(CatalogColumns.All.Count + 1, instructions.Count);
        Assert.Equal(["列名", "英文列名 / English name", "是否必填 / Required", "填写说明", "Format"], instructions[0]);
        var latitude = instructions.Single(r => r[0] == "纬度");
        Assert.Equal(["纬度", "latitude", "必填 / required", CatalogColumns.Latitude.Format.Zh, CatalogColumns.Latitude.Format.En], latitude);
        Assert.Equal("选填 / optional", instructions.Single(r => r[0] == "重点产业")[2]);
        Assert.Contains("人工智能（ai）", instructions.Single(r => r[0] == "重点产业")[3], StringComparison.Ordinal);
    }

    private static List<string[]> Rows(WorksheetPart part) =>
        [.. part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InlineString?.Text?.Text ?? "").ToArray())];
}
