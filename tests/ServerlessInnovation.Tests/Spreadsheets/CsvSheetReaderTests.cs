using System.Text;
using ServerlessInnovation.Functions.Spreadsheets;
using static ServerlessInnovation.Tests.Spreadsheets.SheetFixtures;

namespace ServerlessInnovation.Tests.Spreadsheets;

public sealed class CsvSheetReaderTests
{
    [Fact]
    public void QuotedFieldsKeepCommasLineBreaksAndDoubledQuotes()
    {
        var rows = ReadAll(Csv("a,b,c\r\n\"西湖, 杭州\",\"第一行\r\n第二行\",\"他说\"\"好\"\"\"\r\nx,\"\",z\r\n"));

        Assert.Equal(3, rows.Count);
        AssertCells(["西湖, 杭州", "第一行\r\n第二行", "他说\"好\""], rows[1].Values);
        Assert.Equal(2, rows[1].Number);
        AssertCells(["x", null, "z"], rows[2].Values);
        Assert.Equal(3, rows[2].Number);
    }

    [Fact]
    public void BlankRowsAreSkippedButRowNumbersStayThoseOfTheFile()
    {
        var rows = ReadAll(Csv("h1,h2\n1,2\n\n , \n3,4\r\n,,\n\n\n"));

        Assert.Equal([1, 2, 5], rows.Select(r => r.Number));
        AssertCells(["3", "4"], rows[2].Values);
    }

    [Fact]
    public void LastRecordWithoutLineBreakIsRead()
    {
        var rows = ReadAll(Csv("h\r\nlast"));

        AssertCells(["last"], rows[1].Values);
    }

    [Fact]
    public void AQuoteInsideAnUnquotedFieldIsText()
    {
        var rows = ReadAll(Csv("h,h2\n5\" pipe,\"q\"x\n"));

        AssertCells(["5\" pipe", "qx"], rows[1].Values);
    }

    [Fact]
    public void Utf8WithAndWithoutBomAndGb18030ReadTheSame()
    {
        const string text = "名称,地址\r\n西湖人工智能孵化器,杭州市西湖区文三路 1 号\r\n";

        var utf8 = ReadAll(Csv(text, Utf8NoBom));
        var bom = ReadAll(Csv(text, Utf8WithBom));
        var gb = ReadAll(Csv(text, CsvEncoding.Gb18030));

        AssertCells(["名称", "地址"], utf8[0].Values);
        AssertCells(["西湖人工智能孵化器", "杭州市西湖区文三路 1 号"], utf8[1].Values);
        Assert.Equal(utf8.SelectMany(r => r.Values), bom.SelectMany(r => r.Values));
        Assert.Equal(utf8.SelectMany(r => r.Values), gb.SelectMany(r => r.Values));
    }

    [Fact]
    public void DetectionPicksGb18030OnlyWhenTheBytesAreNotUtf8()
    {
        Assert.Same(CsvEncoding.Utf8, CsvEncoding.Detect(Csv("名称\n", Utf8NoBom)));
        Assert.Same(CsvEncoding.Utf8, CsvEncoding.Detect(Csv("plain ascii\n", Utf8NoBom)));
        Assert.Same(CsvEncoding.Gb18030, CsvEncoding.Detect(Csv("名称\n", CsvEncoding.Gb18030)));
    }

    [Fact]
    public void DetectionCarriesACharacterSplitAcrossChunks()
    {
        // "孵" is three UTF-8 bytes; put them across the 64 KiB chunk boundary, and a GBK byte pair far after it.
        var text = new string('a', 64 * 1024 - 1) + "孵化器\n";
        Assert.Same(CsvEncoding.Utf8, CsvEncoding.Detect(Csv(text)));

        byte[] gbkLate = [.. Encoding.ASCII.GetBytes(new string('a', 200_000)), .. CsvEncoding.Gb18030.GetBytes("孵化器")];
        Assert.Same(CsvEncoding.Gb18030, CsvEncoding.Detect(Bytes(gbkLate)));
    }

    [Fact]
    public void GbkBytesDeclaredUtf8AreRefusedWithTheOffsetOfTheFirstBadByte()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("id,name\r\nxihu-1,"), .. CsvEncoding.Gb18030.GetBytes("西湖孵化器\r\n")];

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Bytes(bytes), declared: Encoding.UTF8));

        Assert.Equal(SpreadsheetErrorCodes.NotUtf8, exception.Code);
        Assert.Equal(16, exception.ByteOffset);
        Assert.Contains("第 16 字节", exception.Reason.Zh, StringComparison.Ordinal);
        Assert.Contains("offset 16", exception.Reason.En, StringComparison.Ordinal);
    }

    [Fact]
    public void AUtf8BomOverBytesThatAreNotUtf8IsRefused()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. CsvEncoding.Gb18030.GetBytes("名称\n")];

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Bytes(bytes)));

        Assert.Equal(SpreadsheetErrorCodes.NotUtf8, exception.Code);
        Assert.Equal(3, exception.ByteOffset);
    }

    [Fact]
    public void BytesInNeitherUtf8NorGb18030AreABadEncodingNotMojibake()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("h\r\nab"), 0xFF, 0x80, (byte)'\n'];

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Bytes(bytes)));

        Assert.Equal(SpreadsheetErrorCodes.BadEncoding, exception.Code);
    }

    [Fact]
    public void ATabSeparatedHeaderMakesTabTheSeparator()
    {
        var rows = ReadAll(Csv("名称\t地址\r\n甲, 乙\t文三路\r\n"));

        AssertCells(["甲, 乙", "文三路"], rows[1].Values);
    }

    [Fact]
    public void ExcelUnicodeTextIsReadAsUtf16()
    {
        var rows = ReadAll(Csv("名称\t地址\r\n孵化器\t文三路\r\n", new UnicodeEncoding(bigEndian: false, byteOrderMark: true)));

        AssertCells(["名称", "地址"], rows[0].Values);
        AssertCells(["孵化器", "文三路"], rows[1].Values);
    }

    [Fact]
    public void AQuoteNeverClosedIsMalformed()
    {
        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Csv("h\r\nok\r\n\"open\r\nmore\r\n")));

        Assert.Equal(SpreadsheetErrorCodes.MalformedCsv, exception.Code);
        Assert.Equal(3, exception.Row);
    }

    [Fact]
    public void ACellLongerThanTheLimitIsRefusedWithItsRow()
    {
        var limits = new SheetLimits { MaxCellChars = 10 };
        Assert.Single(ReadAll(Csv("h\r\n" + new string('x', 10) + "\r\n"), limits).Skip(1));

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Csv("h\r\nok\r\n" + new string('x', 11) + "\r\n"), limits));

        Assert.Equal(SpreadsheetErrorCodes.CellTooLong, exception.Code);
        Assert.Equal(3, exception.Row);
    }

    [Fact]
    public void AnUnclosedQuoteRunningPastTheCellLimitSaysSo()
    {
        var exception = Assert.Throws<SpreadsheetException>(() =>
            ReadAll(Csv("h\r\n\"" + string.Concat(Enumerable.Repeat("row,\r\n", 100))), new SheetLimits { MaxCellChars = 100 }));

        Assert.Equal(SpreadsheetErrorCodes.CellTooLong, exception.Code);
        Assert.Equal(2, exception.Row);
        Assert.Contains("未闭合的引号", exception.Reason.Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesPastTheColumnLimitAreRefusedButEmptyOnesAreDropped()
    {
        var limits = new SheetLimits { MaxColumns = 3 };
        var rows = ReadAll(Csv("a,b,c,,,,\r\n1,2,3,,\r\n"), limits);
        AssertCells(["1", "2", "3"], rows[1].Values);

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Csv("a,b,c\r\n1,2,3\r\n1,2,3,,x\r\n"), limits));

        Assert.Equal(SpreadsheetErrorCodes.TooManyColumns, exception.Code);
        Assert.Equal(3, exception.Row);
    }

    [Fact]
    public void RowsPastTheLimitAreRefusedWithTheFirstRowOver()
    {
        var limits = new SheetLimits { MaxDataRows = 3 };
        Assert.Equal(4, ReadAll(Csv("h\n1\n\n2\n3\n"), limits).Count);

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Csv("h\n1\n\n2\n3\n4\n"), limits));

        Assert.Equal(SpreadsheetErrorCodes.TooManyRows, exception.Code);
        Assert.Equal(6, exception.Row);
    }

    [Fact]
    public void CellsPastTheLimitAreRefused()
    {
        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Csv("a,b\n1,2\n3,4\n"), new SheetLimits { MaxCells = 5 }));

        Assert.Equal(SpreadsheetErrorCodes.TooManyCells, exception.Code);
        Assert.Equal(3, exception.Row);
    }

    [Fact]
    public void AnEmptyFileIsNotASpreadsheet()
    {
        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Bytes([])));

        Assert.Equal(SpreadsheetErrorCodes.NotASpreadsheet, exception.Code);
    }

    [Fact]
    public void RandomBinaryIsNotASpreadsheet()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = (byte)'x';

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Bytes(bytes)));

        Assert.Equal(SpreadsheetErrorCodes.NotASpreadsheet, exception.Code);
    }

    [Fact]
    public void ALegacyXlsFileIsRefusedWithAdvice()
    {
        byte[] bytes = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(Bytes(bytes)));

        Assert.Equal(SpreadsheetErrorCodes.NotASpreadsheet, exception.Code);
        Assert.Contains(".xlsx", exception.Reason.Zh, StringComparison.Ordinal);
    }
}
