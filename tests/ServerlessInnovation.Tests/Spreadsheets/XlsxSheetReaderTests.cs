using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ServerlessInnovation.Functions.Spreadsheets;
using static ServerlessInnovation.Tests.Spreadsheets.SheetFixtures;

namespace ServerlessInnovation.Tests.Spreadsheets;

public sealed class XlsxSheetReaderTests
{
    [Fact]
    public void CellsOfEveryTypeAreReadWithGapsKept()
    {
        var sheet = Sheet(
            """<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>日期</t></is></c></row>""",
            """<row r="3" spans="1:6"><c r="A3" t="s"><v>2</v></c><c r="C3"><v>45444</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="str"><v>text</v></c></row>""",
            """<row r="4"><c r="B4" s="3"/><c r="D4"><v>1.5E-3</v></c></row>""");

        using var reader = SheetReader.Open(Xlsx([sheet], SharedStrings("名称", "数量", "西湖孵化器")));
        Assert.True(reader.TryReadRow(out var header));
        Assert.True(reader.TryReadRow(out var third));
        Assert.True(reader.TryReadRow(out var fourth));
        Assert.False(reader.TryReadRow(out _));

        AssertCells(["名称", "数量", "日期"], header.Cells.Select(c => c.Value));
        Assert.Equal(3, third.Number);
        Assert.Equal(
            [new("西湖孵化器", SheetCellKind.Text), SheetCell.Empty, new("45444", SheetCellKind.Number), new("TRUE", SheetCellKind.Boolean),
             new("#N/A", SheetCellKind.Error), new("text", SheetCellKind.Text)],
            third.Cells);
        Assert.Equal(4, fourth.Number);
        Assert.Equal([SheetCell.Empty, SheetCell.Empty, SheetCell.Empty, new("1.5E-3", SheetCellKind.Number)], fourth.Cells);
    }

    [Fact]
    public void RowsAndCellsWithoutReferencesFollowThePreviousOnes()
    {
        var sheet = Sheet(
            """<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>""",
            """<row r="5"><c r="B5"><v>2</v></c><c><v>3</v></c></row>""",
            """<row><c><v>4</v></c></row>""");

        var rows = ReadAll(Xlsx([sheet]));

        Assert.Equal([1, 5, 6], rows.Select(r => r.Number));
        AssertCells([null, "2", "3"], rows[1].Values);
        AssertCells(["4"], rows[2].Values);
    }

    [Fact]
    public void RichTextRunsAreJoinedAndPhoneticGuidesLeftOut()
    {
        const string sst = $"""<sst xmlns="{Main}"><si><r><rPr><b/></rPr><t>西湖</t></r><r><t xml:space="preserve"> 孵化器</t></r><rPh sb="0" eb="2"><t>XiHu</t></rPh></si><si><t xml:space="preserve">  </t></si><si><t><![CDATA[a<b]]></t></si></sst>""";
        var sheet = Sheet(
            """<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>文三</t></r><r><t>路</t></r></is></c></row>""",
            """<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>""");

        var rows = ReadAll(Xlsx([sheet], sst));

        AssertCells(["西湖 孵化器", "文三路"], rows[0].Values);
        AssertCells(["  ", "a<b"], rows[1].Values);
    }

    [Fact]
    public void OnlyTheFirstSheetInWorkbookOrderIsRead()
    {
        // The fixture names parts in reverse: the first sheet of the workbook is sheet2.xml.
        var first = Sheet(InlineRow(1, "第一个"));
        var second = Sheet(InlineRow(1, "第二个"), InlineRow(2, "more"));

        var rows = ReadAll(Xlsx([first, second]));

        Assert.Single(rows);
        AssertCells(["第一个"], rows[0].Values);
    }

    [Fact]
    public void FormulaCellsAreReportedWithTheirCachedValueAndNeverEvaluated()
    {
        var sheet = Sheet("""<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="C1"><f>NOW()</f></c></row>""");

        using var reader = SheetReader.Open(Xlsx([sheet]));
        Assert.True(reader.TryReadRow(out var row));

        Assert.Equal([new("2", SheetCellKind.Formula), new("ab", SheetCellKind.Formula), new(null, SheetCellKind.Formula)], row.Cells);
    }

    [Fact]
    public void TheDateSystemOfTheWorkbookIsReported()
    {
        using var reader1900 = (XlsxSheetReader)SheetReader.Open(Xlsx([Sheet(InlineRow(1, "a"))]));
        using var reader1904 = (XlsxSheetReader)SheetReader.Open(Xlsx([Sheet(InlineRow(1, "a"))], date1904: true));

        Assert.False(reader1900.Uses1904DateSystem);
        Assert.True(reader1904.Uses1904DateSystem);
        Assert.Equal("Sheet1", reader1900.SheetName);
    }

    [Fact]
    public void ASheetPartThatDecompressesPastTheCapIsRefusedQuicklyWithBoundedMemory()
    {
        // 256 MiB of rows compress to well under a megabyte; the cap of the test is 4 MiB.
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var part = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            part.Write(Encoding.UTF8.GetBytes($"""<worksheet xmlns="{Main}"><sheetData>"""));
            var block = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""<row><c><v>1</v></c></row>""", 4096)));
            for (long written = 0; written < 256L * 1024 * 1024; written += block.Length)
            {
                part.Write(block);
            }
        }
        var bomb = WithWorkbookAround(stream);
        Assert.True(bomb.Length < 2 * 1024 * 1024, $"bomb is {bomb.Length} bytes");

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var exception = Assert.Throws<SpreadsheetException>(() =>
            ReadAll(bomb, new SheetLimits { MaxPartBytes = 4 * 1024 * 1024, MaxDataRows = int.MaxValue, MaxCells = long.MaxValue }));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(SpreadsheetErrorCodes.PartTooLarge, exception.Code);
        Assert.NotNull(exception.Row);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(allocated < 200L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ASingleHugeTokenIsRefusedBeforeTheXmlParserBuffersIt()
    {
        var attribute = new string('x', 2 * 1024 * 1024);
        var sheet = Sheet(InlineRow(1, "a"), $"""<row r="2" custom="{attribute}"><c><v>1</v></c></row>""");

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Xlsx([sheet])));

        Assert.Equal(SpreadsheetErrorCodes.MalformedXml, exception.Code);
        Assert.Equal(2, exception.Row);
    }

    [Fact]
    public void ATruncatedSheetIsMalformedXmlWithTheRowWhereItBroke()
    {
        var sheet = Sheet(InlineRow(1, "h"), InlineRow(2, "ok"), InlineRow(3, "fine"));
        var truncated = sheet[..sheet.IndexOf("fine", StringComparison.Ordinal)];

        using var reader = SheetReader.Open(Xlsx([truncated]));
        Assert.True(reader.TryReadRow(out _));
        Assert.True(reader.TryReadRow(out _));
        var exception = Assert.Throws<SpreadsheetException>(() => reader.TryReadRow(out _));

        Assert.Equal(SpreadsheetErrorCodes.MalformedXml, exception.Code);
        Assert.Equal(3, exception.Row);
    }

    [Fact]
    public void ADoctypeWithEntityExpansionIsRefused()
    {
        const string laughs = $"""
            <?xml version="1.0"?>
            <!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <worksheet xmlns="{Main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>
            """;

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Xlsx([laughs])));

        Assert.Equal(SpreadsheetErrorCodes.MalformedXml, exception.Code);
        Assert.Contains("DTD", exception.Reason.Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void ADoctypeInSharedStringsIsRefusedToo()
    {
        const string sst = $"""<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst xmlns="{Main}"><si><t>&x;</t></si></sst>""";

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Xlsx([Sheet(InlineRow(1, "a"))], sst)));

        Assert.Equal(SpreadsheetErrorCodes.MalformedXml, exception.Code);
    }

    [Fact]
    public void AZipThatIsNotAWorkbookIsNotASpreadsheet()
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", "<Types/>");
            Add(zip, "word/document.xml", "<document/>");
        }
        stream.Position = 0;

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(stream));

        Assert.Equal(SpreadsheetErrorCodes.NotASpreadsheet, exception.Code);
        Assert.Contains("不是 Excel 工作簿", exception.Reason.Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedZipIsNotASpreadsheet()
    {
        var whole = Xlsx([Sheet(InlineRow(1, "a"))]).ToArray();

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Bytes(whole[..(whole.Length / 2)])));

        Assert.Equal(SpreadsheetErrorCodes.NotASpreadsheet, exception.Code);
    }

    [Fact]
    public void AZipWithTooManyEntriesIsRefusedBeforeItsDirectoryIsLoaded()
    {
        var stream = Xlsx([Sheet(InlineRow(1, "a"))], extra: zip =>
        {
            for (var i = 0; i < 10_001; i++)
            {
                zip.CreateEntry($"junk/{i}");
            }
        });

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(stream));

        Assert.Equal(SpreadsheetErrorCodes.NotASpreadsheet, exception.Code);
        Assert.Contains("10,006", exception.Reason.En, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesPastTheColumnLimitAreRefusedButEmptyStyledCellsAreIgnored()
    {
        var limits = new SheetLimits { MaxColumns = 3 };
        var rows = ReadAll(Xlsx([Sheet(InlineRow(1, "a", "b", "c"), """<row r="2"><c r="A2"><v>1</v></c><c r="XFD2" s="1"/></row>""")]), limits);
        AssertCells(["1"], rows[1].Values);

        var exception = Assert.Throws<SpreadsheetException>(() =>
            ReadAll(Xlsx([Sheet(InlineRow(1, "a"), """<row r="2"><c r="D2"><v>1</v></c></row>""")]), limits));

        Assert.Equal(SpreadsheetErrorCodes.TooManyColumns, exception.Code);
        Assert.Equal(2, exception.Row);
    }

    [Fact]
    public void ACellLongerThanTheLimitIsRefusedWhetherInlineOrShared()
    {
        var limits = new SheetLimits { MaxCellChars = 5 };
        var inline = Assert.Throws<SpreadsheetException>(() => ReadAll(Xlsx([Sheet(InlineRow(1, "h"), InlineRow(2, "123456"))]), limits));
        var shared = Assert.Throws<SpreadsheetException>(() =>
            ReadAll(Xlsx([Sheet(InlineRow(1, "h"), """<row r="7"><c r="A7" t="s"><v>0</v></c></row>""")], SharedStrings("123456")), limits));

        Assert.Equal((SpreadsheetErrorCodes.CellTooLong, 2), (inline.Code, inline.Row));
        Assert.Equal((SpreadsheetErrorCodes.CellTooLong, 7), (shared.Code, shared.Row));
        AssertCells(["12345"], ReadAll(Xlsx([Sheet(InlineRow(1, "12345"))]), limits)[0].Values);
    }

    [Fact]
    public void SharedStringsPastTheCapAreRefused()
    {
        var sheet = Sheet(InlineRow(1, "a"));

        var tooMany = Assert.Throws<SpreadsheetException>(() => ReadAll(Xlsx([sheet], SharedStrings("a", "b", "c")), new SheetLimits { MaxSharedStrings = 2 }));
        var tooLong = Assert.Throws<SpreadsheetException>(() => ReadAll(Xlsx([sheet], SharedStrings("abc", "def")), new SheetLimits { MaxSharedStringChars = 5 }));

        Assert.Equal(SpreadsheetErrorCodes.TooManySharedStrings, tooMany.Code);
        Assert.Equal(SpreadsheetErrorCodes.TooManySharedStrings, tooLong.Code);
    }

    [Fact]
    public void RowsPastTheLimitAreRefused()
    {
        var exception = Assert.Throws<SpreadsheetException>(() =>
            ReadAll(Xlsx([Sheet(InlineRow(1, "h"), InlineRow(2, "a"), """<row r="3"><c r="A3" s="1"/></row>""", InlineRow(9, "b"))]), new SheetLimits { MaxDataRows = 1 }));

        Assert.Equal(SpreadsheetErrorCodes.TooManyRows, exception.Code);
        Assert.Equal(9, exception.Row);
    }

    [Theory]
    [InlineData("""<row r="2"/><row r="2"/>""")]
    [InlineData("""<row r="x"/>""")]
    [InlineData("""<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>1</v></c></row>""")]
    [InlineData("""<row r="2"><c r="A9"><v>1</v></c></row>""")]
    [InlineData("""<row r="2"><c r="A2" t="s"><v>5</v></c></row>""")]
    public void MisplacedRowsCellsOrStringsAreMalformed(string rows)
    {
        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Xlsx([Sheet(InlineRow(1, "h"), rows)], SharedStrings("only"))));

        Assert.Equal(SpreadsheetErrorCodes.MalformedXml, exception.Code);
        Assert.Equal(2, exception.Row);
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void DamagedWorkbooksFailOnlyAsSpreadsheetExceptions(CompressionLevel level)
    {
        var whole = Xlsx([Sheet(InlineRow(1, "名称", "地址"), InlineRow(2, "西湖", "文三路"))], SharedStrings("a"), level: level).ToArray();
        var random = new Random(20_260_522);
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < 600; i++)
        {
            var damaged = (byte[])whole.Clone();
            if (i % 3 == 0)
            {
                damaged = damaged[..random.Next(1, damaged.Length)];
            }
            else
            {
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
                }
            }

            string outcome;
            try
            {
                ReadAll(Bytes(damaged));
                outcome = "read";
            }
            catch (SpreadsheetException exception)
            {
                outcome = exception.Code;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.Count > 2, string.Join(", ", outcomes));
    }

    /// <summary>Completes a zip holding only a sheet part with the workbook parts around it.</summary>
    private static MemoryStream WithWorkbookAround(MemoryStream zipWithSheet)
    {
        zipWithSheet.Position = 0;
        var stream = new MemoryStream();
        zipWithSheet.CopyTo(stream);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var template = Xlsx([Sheet()]);
            using var source = new ZipArchive(template, ZipArchiveMode.Read);
            foreach (var entry in source.Entries.Where(e => !e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
            {
                using var from = entry.Open();
                using var to = zip.CreateEntry(entry.FullName).Open();
                from.CopyTo(to);
            }
        }
        stream.Position = 0;
        return stream;
    }
}
