using System.Text;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Spreadsheets;
using static ServerlessInnovation.Tests.Spreadsheets.CatalogFixtures;
using C = ServerlessInnovation.Functions.Spreadsheets.CatalogColumns;

namespace ServerlessInnovation.Tests.Spreadsheets;

public sealed class CatalogRowReaderTests
{
    [Fact]
    public void AFullRowBecomesTheCarrierItDescribesAndReadsBackFromTheTable()
    {
        var rows = ReadAll(SheetFixtures.Csv(Csv([Row("xihu-ai-1")])), out var warnings);

        var row = Assert.Single(rows);
        Assert.Empty(warnings);
        Assert.Empty(row.Errors);
        Assert.Equal(2, row.Number);
        AssertSameCarrier(Carrier("xihu-ai-1"), row.Carrier);
        AssertReadsBackFromTheTable(row.Carrier!);
    }

    [Fact]
    public void EmptyOptionalCellsMeanNoneOrZero()
    {
        var row = Assert.Single(ReadAll(SheetFixtures.Csv(Csv([MinimalRow("bj-1")]))));

        Assert.True(row.IsValid, string.Join("; ", row.Errors));
        var carrier = row.Carrier;
        Assert.Equal(CarrierType.MakerSpace, carrier.Type);
        Assert.Equal(CarrierFocus.Comprehensive, carrier.Focus);
        Assert.Equal("binjiang", carrier.DistrictCode);
        Assert.Empty(carrier.Tiers);
        Assert.Empty(carrier.EntryRules);
        Assert.True(carrier.Industries.IsEmpty);
        Assert.Equal(CarrierServices.None, carrier.Services);
        Assert.Equal(TrackRecord.None, carrier.TrackRecord);
        Assert.Null(carrier.Operator);
        AssertReadsBackFromTheTable(carrier);
    }

    [Fact]
    public void Utf8WithAndWithoutBomAndGb18030GiveTheSameCarriers()
    {
        var csv = Csv([Row("xihu-ai-1"), MinimalRow("bj-1")]);

        var fromUtf8 = ReadAll(SheetFixtures.Csv(csv, SheetFixtures.Utf8NoBom));
        var fromBom = ReadAll(SheetFixtures.Csv(csv, SheetFixtures.Utf8WithBom));
        var fromGb18030 = ReadAll(SheetFixtures.Csv(csv, CsvEncoding.Gb18030));

        Assert.Equal(2, fromUtf8.Count);
        AssertSameCarrier(Carrier("xihu-ai-1"), fromUtf8[0].Carrier);
        foreach (var other in new[] { fromBom, fromGb18030 })
        {
            Assert.Equal(fromUtf8.Count, other.Count);
            for (var i = 0; i < other.Count; i++)
            {
                AssertSameCarrier(fromUtf8[i].Carrier!, other[i].Carrier);
            }
        }
    }

    [Fact]
    public void EnglishHeadersInAnotherOrderGiveTheSameCarrier()
    {
        var csv = Csv([Row("xihu-ai-1")], [.. C.All.Reverse()], c => c.EnglishName);

        var row = Assert.Single(ReadAll(SheetFixtures.Csv(csv)));

        AssertSameCarrier(Carrier("xihu-ai-1"), row.Carrier);
    }

    [Theory]
    [InlineData(" ID ")]
    [InlineData("Id*")]
    [InlineData("ＩＤ")]
    [InlineData("载体编号 *")]
    public void HeadersMatchIgnoringCaseSpacesWidthAndARequiredMark(string idHeader)
    {
        var headers = new Dictionary<CatalogColumn, string>
        {
            [C.Id] = idHeader,
            [C.TotalArea] = "总面积(平方米)",
            [C.FreeArea] = "Free_Area_M2",
            [C.FreeWorkstations] = "free-work stations",
            [C.Latitude] = "ＬＡＴＩＴＵＤＥ",
        };

        var csv = Csv([Row("xihu-ai-1")], header: c => headers.GetValueOrDefault(c, c.Header));
        var row = Assert.Single(ReadAll(SheetFixtures.Csv(csv), out var warnings));

        Assert.Empty(warnings);
        AssertSameCarrier(Carrier("xihu-ai-1"), row.Carrier);
    }

    [Fact]
    public void MissingRequiredColumnsAreListedInBothLanguages()
    {
        var columns = C.All.Where(c => c != C.Latitude && c != C.Longitude && c != C.Id).ToList();

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(SheetFixtures.Csv(Csv([Row("a")], columns))));

        Assert.Equal(SpreadsheetErrorCodes.MissingColumns, exception.Code);
        Assert.Equal(1, exception.Row);
        Assert.Contains("载体编号（id）、纬度（latitude）、经度（longitude）", exception.Reason.Zh, StringComparison.Ordinal);
        Assert.Contains("id (载体编号), latitude (纬度), longitude (经度)", exception.Reason.En, StringComparison.Ordinal);
    }

    [Fact]
    public void AColumnNamedTwiceIsRefused()
    {
        var csv = "载体编号,id," + string.Join(',', C.All.Skip(1).Select(c => c.Header)) + "\r\n";

        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(SheetFixtures.Csv(csv)));

        Assert.Equal(SpreadsheetErrorCodes.DuplicateColumn, exception.Code);
        Assert.Contains("“载体编号”与“id”", exception.Reason.Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownColumnsAreIgnoredWithAWarning()
    {
        var csv = "备注," + string.Join(',', C.All.Select(c => c.Header)) + ",\r\n" +
            "随便写," + string.Join(',', C.All.Select(c => MinimalRow("bj-1").GetValueOrDefault(c))) + ",x\r\n";

        var row = Assert.Single(ReadAll(SheetFixtures.Csv(csv), out var warnings));

        var warning = Assert.Single(warnings);
        Assert.Equal((1, "备注", RowErrorCodes.UnknownColumn), (warning.Row, warning.Column, warning.Code));
        Assert.True(row.IsValid);
    }

    [Fact]
    public void ASheetWithNothingInItHasNoHeader()
    {
        var exception = Assert.Throws<SpreadsheetException>(() => ReadAll(SheetFixtures.Csv("\r\n,,\r\n", SheetFixtures.Utf8WithBom)));

        Assert.Equal(SpreadsheetErrorCodes.MissingHeader, exception.Code);
    }

    [Fact]
    public void AMixedFileReportsEveryBadCellWithItsRowAndColumn()
    {
        var bad = Row("XiHu_2");
        bad[C.Latitude] = "120.13";
        bad[C.Longitude] = "30.27";
        bad[C.FreeArea] = "20,000";
        bad[C.Industries] = "人工智能、区块链";
        bad[C.TierAwardedOn] = "2021-13-01";
        bad[C.TechSmeRequired] = "maybe";

        var worse = Row("ok-6");
        worse[C.Name] = "=HYPERLINK(\"http://evil\",\"点我\")";
        worse[C.Address] = " ";
        worse[C.Type] = "孵化中心";
        worse[C.Jobs] = "-3";
        worse[C.MaxCompanyAgeMonths] = "12.5";
        worse[C.MinRdStaffSharePercent] = "0";

        var english = MinimalRow("ok-7");
        english[C.Type] = "Maker-Space";
        english[C.Focus] = "specialised";
        english[C.Industries] = "ai; new-energy";
        english[C.District] = "Xihu";

        var csv = Csv([Row("ok-1"), MinimalRow("ok-2")]) + "\r\n" + Csv([bad, worse, english]).Split("\r\n", 2)[1];
        var rows = ReadAll(SheetFixtures.Csv(csv));

        Assert.Equal([2, 3, 5, 6, 7], rows.Select(r => r.Number));
        Assert.Equal([true, true, false, false, true], rows.Select(r => r.IsValid));
        Assert.Equal(
        [
            (5, "载体编号", RowErrorCodes.InvalidId),
            (5, "纬度", RowErrorCodes.OutOfRange),
            (5, "经度", RowErrorCodes.OutOfRange),
            (5, "重点产业", RowErrorCodes.UnknownValue),
            (5, "认定日期", RowErrorCodes.NotADate),
            (5, "须为科技型中小企业", RowErrorCodes.UnknownValue),
            (5, "可用面积（平方米）", RowErrorCodes.FreeAreaExceedsTotal),
        ], rows[2].Errors.Select(e => (e.Row, e.Column, e.Code)));
        Assert.Equal(
        [
            (6, "载体名称", RowErrorCodes.FormulaLike),
            (6, "载体类型", RowErrorCodes.UnknownValue),
            (6, "地址", RowErrorCodes.Required),
            (6, "吸纳就业人数", RowErrorCodes.OutOfRange),
            (6, "入孵企业成立年限上限（月）", RowErrorCodes.NotAnInteger),
            (6, "研发人员占比下限（%）", RowErrorCodes.OutOfRange),
        ], rows[3].Errors.Select(e => (e.Row, e.Column, e.Code)));
        Assert.Contains("纬度与经度可能填反了", rows[2].Errors[1].Message.Zh, StringComparison.Ordinal);
        Assert.Contains("区块链", rows[2].Errors[3].Message.Zh, StringComparison.Ordinal);
        Assert.Contains("xihu_2", rows[2].Errors[0].Message.En, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((CarrierType.MakerSpace, "xihu"), (rows[4].Carrier!.Type, rows[4].Carrier!.DistrictCode));
        Assert.Equal(IndustrySet.Of(Industries.ArtificialIntelligence, Industries.NewEnergy), rows[4].Carrier!.Industries);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+86 571 8888")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("  =cmd|' /C calc'!A0")]
    public void TextThatASpreadsheetWouldRunIsRefusedInEveryTextColumn(string value)
    {
        foreach (var column in new[] { C.Name, C.Address, C.Operator, C.TierIssuingBody })
        {
            var row = Row("a-1");
            row[column] = value;

            var read = Assert.Single(ReadAll(SheetFixtures.Csv(Csv([row]))));

            var error = Assert.Single(read.Errors);
            Assert.Equal((column.Header, RowErrorCodes.FormulaLike), (error.Column, error.Code));
        }
    }

    [Theory]
    [InlineData("杭州\t孵化器")]
    [InlineData("第一行\n第二行")]
    [InlineData("bell\u0007")]
    public void ControlCharactersInTextAreRefused(string value)
    {
        var row = Row("a-1");
        row[C.Address] = value;

        var error = Assert.Single(Assert.Single(ReadAll(SheetFixtures.Csv(Csv([row])))).Errors);

        Assert.Equal(("地址", RowErrorCodes.ControlCharacter), (error.Column, error.Code));
    }

    [Theory]
    [InlineData("2021-06-01")]
    [InlineData("2021-6-1")]
    [InlineData("2021/6/1")]
    [InlineData("2021.06.01")]
    [InlineData("2021年6月1日")]
    [InlineData("２０２１－０６－０１")]
    public void DatesAreReadInTheFormsChineseSpreadsheetsUse(string text)
    {
        var row = Row("a-1");
        row[C.TierAwardedOn] = text;

        var read = Assert.Single(ReadAll(SheetFixtures.Csv(Csv([row]))));

        Assert.Equal(new DateOnly(2021, 6, 1), Assert.Single(read.Carrier!.Tiers).AwardedOn);
    }

    [Theory]
    [InlineData("45123")]
    [InlineData("2021-6-31")]
    [InlineData("6/1/2021")]
    public void OtherDateTextIsNotADate(string text)
    {
        var row = Row("a-1");
        row[C.TierAwardedOn] = text;

        var error = Assert.Single(Assert.Single(ReadAll(SheetFixtures.Csv(Csv([row])))).Errors);

        Assert.Equal(("认定日期", RowErrorCodes.NotADate), (error.Column, error.Code));
    }

    [Fact]
    public void TierRulesHoldAcrossTheirColumns()
    {
        var noLevel = Row("a-1");
        noLevel[C.TierLevel] = "";
        var noDate = Row("a-2");
        noDate[C.TierAwardedOn] = "";
        var endsBeforeStart = Row("a-3");
        endsBeforeStart[C.TierValidUntil] = "2020-01-01";
        var ownIssuer = Row("a-4");
        ownIssuer[C.TierLevel] = "区（县）级";
        ownIssuer[C.TierIssuingBody] = "西湖区科学技术局";
        ownIssuer[C.TierValidUntil] = "";

        var rows = ReadAll(SheetFixtures.Csv(Csv([noLevel, noDate, endsBeforeStart, ownIssuer])));

        Assert.Equal(("认定级别", RowErrorCodes.TierLevelRequired), Only(rows[0]));
        Assert.Equal(("认定日期", RowErrorCodes.Required), Only(rows[1]));
        Assert.Equal(("有效期至", RowErrorCodes.DateOrder), Only(rows[2]));
        Assert.Equal(new TierAward("district", "西湖区科学技术局", new DateOnly(2021, 6, 1)), Assert.Single(rows[3].Carrier!.Tiers));
    }

    [Fact]
    public void ASpecialisedCarrierNeedsAnIndustry()
    {
        var row = Row("a-1");
        row[C.Industries] = " ";

        var read = Assert.Single(ReadAll(SheetFixtures.Csv(Csv([row]))));

        Assert.Equal(("重点产业", RowErrorCodes.IndustriesRequired), Only(read));
    }

    [Theory]
    [InlineData("XiHu-1", "xihu-1")]
    [InlineData("-xihu", null)]
    [InlineData("西湖1号", null)]
    public void AnInvalidIdIsRefusedSayingWhatIsAllowed(string id, string? suggestion)
    {
        var read = Assert.Single(ReadAll(SheetFixtures.Csv(Csv([Row(id)]))));

        var error = Assert.Single(read.Errors);
        Assert.Equal(("载体编号", RowErrorCodes.InvalidId), (error.Column, error.Code));
        Assert.Contains("小写字母 a–z", error.Message.Zh, StringComparison.Ordinal);
        if (suggestion is not null)
        {
            Assert.Contains(suggestion, error.Message.Zh, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1,00", RowErrorCodes.NotANumber)]
    [InlineData("12k", RowErrorCodes.NotANumber)]
    [InlineData("NaN", RowErrorCodes.NotANumber)]
    [InlineData("1e3", RowErrorCodes.NotANumber)]
    [InlineData("1,000,001", RowErrorCodes.OutOfRange)]
    public void AreasMustBePlainNumbersInRange(string total, string code)
    {
        var row = Row("a-1");
        row[C.TotalArea] = total;

        var read = Assert.Single(ReadAll(SheetFixtures.Csv(Csv([row]))));

        Assert.Equal(("总面积（平方米）", code), Only(read));
    }

    [Fact]
    public void AnXlsxCatalogReadsNumbersSerialDatesAndSharedStrings()
    {
        var (header, values) = XlsxRow(Row("xihu-ai-1"), 2, new Dictionary<CatalogColumn, string>
        {
            [C.Latitude] = """<v>30.274100000000001</v>""",
            [C.Longitude] = """<v>120.1301</v>""",
            [C.TotalArea] = """<v>12000</v>""",
            [C.FreeArea] = """<v>1500.5</v>""",
            [C.TierAwardedOn] = """<v>44348</v>""",
            [C.TierValidUntil] = """<v>46173.5</v>""",
            [C.Graduated] = """<v>1200</v>""",
            [C.Jobs] = """<v>2500</v>""",
            [C.TechSmeRequired] = """<v>1</v>""",
        }, boolean: C.TechSmeRequired);

        var rows = ReadAll(SheetFixtures.Xlsx([SheetFixtures.Sheet(header, values)]));

        AssertSameCarrier(Carrier("xihu-ai-1"), Assert.Single(rows).Carrier);
    }

    [Fact]
    public void SerialDatesFollowTheWorkbooksDateSystem()
    {
        var (header, values) = XlsxRow(Row("a-1"), 2, new Dictionary<CatalogColumn, string> { [C.TierAwardedOn] = "<v>42886</v>" });

        var rows = ReadAll(SheetFixtures.Xlsx([SheetFixtures.Sheet(header, values)], date1904: true));

        Assert.Equal(new DateOnly(2021, 6, 1), Assert.Single(rows).Carrier!.Tiers[0].AwardedOn);
    }

    [Fact]
    public void FormulaCellsAndErrorValuesAreRefused()
    {
        var (header, values) = XlsxRow(Row("a-1"), 4, new Dictionary<CatalogColumn, string>
        {
            [C.FreeWorkstations] = "<f>SUM(X1:X9)</f><v>40</v>",
            [C.Jobs] = "<v>#DIV/0!</v>",
        }, error: C.Jobs);

        var read = Assert.Single(ReadAll(SheetFixtures.Xlsx([SheetFixtures.Sheet(header, values)])));

        Assert.Equal(4, read.Number);
        Assert.Equal(
            [("空余工位", RowErrorCodes.Formula), ("吸纳就业人数", RowErrorCodes.ErrorValue)],
            read.Errors.Select(e => (e.Column, e.Code)));
        Assert.Equal(new("公式单元格，请粘贴为数值", "formula cell; paste values instead"), read.Errors[0].Message);
    }

    [Fact]
    public void AHundredThousandRowCsvIsRefusedAtTheDefaultLimitWhileStreaming()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var writer = new StreamWriter(path, false, SheetFixtures.Utf8WithBom))
            {
                writer.Write(string.Join(',', CatalogColumns.All.Select(c => c.Header)) + "\r\n");
                for (var i = 0; i < 100_000; i++)
                {
                    writer.Write($"carrier-{i},孵化器{i},科技企业孵化器,综合型,西湖区,文三路{i}号,30.27,120.15,\"5,000\",1000,10,人工智能,,,,,,,,,,,,,,,\r\n");
                }
            }
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
            var started = System.Diagnostics.Stopwatch.StartNew();
            using var reader = CatalogRowReader.Open(file);
            var valid = 0;

            var exception = Assert.Throws<SpreadsheetException>(() =>
            {
                while (reader.TryReadRow(out var row))
                {
                    valid += row.IsValid ? 1 : 0;
                }
            });

            Assert.Equal(SpreadsheetErrorCodes.TooManyRows, exception.Code);
            Assert.Equal(50_002, exception.Row);
            Assert.Equal(50_000, valid);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
            Assert.True(file.Position < file.Length, "reading stopped at the limit, before the end of the file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OddValuesNeverBreakTheReaderAndEveryCarrierItAcceptsStores()
    {
        string[] odd =
        [
            "", " ", "\u00A0", "\u3000", "0", "-0", "1", "240", "241", "1e999", "NaN", "Infinity", "99999999999999999999999999999999",
            "1,2,3", "0x10", "１２", "45123.9", "2021-02-30", "2021-02-28", "9999/12/31", "是", "否", "专业", "综合", "众创空间", "西湖区",
            "xihu", "national", "国家级", "绿色", "red", "ai", "人工智能、新材料", "seed-fund", "30.2", "120.1", "54", "73", "50%",
            "a-1", "Z", "=", "'", "\"", "区块链", new string('长', 201), "5,000,000", "10000000001",
        ];
        var random = new Random(20_261_122);
        var rows = new List<Dictionary<CatalogColumn, string?>>();
        for (var i = 0; i < 400; i++)
        {
            var row = i % 2 == 0 ? Row($"r-{i}") : MinimalRow($"m-{i}");
            foreach (var column in C.All.Where(_ => random.Next(14) == 0))
            {
                row[column] = odd[random.Next(odd.Length)];
            }
            rows.Add(row);
        }

        var read = ReadAll(SheetFixtures.Csv(Csv(rows)));

        Assert.Equal(400, read.Count);
        Assert.InRange(read.Count(r => r.IsValid), 20, 380);
        foreach (var row in read)
        {
            Assert.True(row.IsValid != row.Errors.Count > 0);
            Assert.All(row.Errors, e => Assert.Equal(row.Number, e.Row));
            if (row.IsValid)
            {
                AssertReadsBackFromTheTable(row.Carrier);
            }
        }
    }

    private static (string? Column, string Code) Only(CatalogRow row)
    {
        var error = Assert.Single(row.Errors);
        return (error.Column, error.Code);
    }

    /// <summary>An XLSX header row and one data row: inline strings, except the raw cell XML given for some columns.</summary>
    private static (string Header, string Values) XlsxRow(Dictionary<CatalogColumn, string?> row, int number,
        Dictionary<CatalogColumn, string> rawCells, CatalogColumn? boolean = null, CatalogColumn? error = null)
    {
        var header = SheetFixtures.InlineRow(1, [.. C.All.Select(c => c.Header)]);
        var cells = new StringBuilder();
        for (var i = 0; i < C.All.Count; i++)
        {
            var column = C.All[i];
            var reference = SheetFixtures.Column(i) + number;
            if (rawCells.TryGetValue(column, out var raw))
            {
                var type = column == boolean ? " t=\"b\"" : column == error ? " t=\"e\"" : "";
                cells.Append($"""<c r="{reference}"{type}>{raw}</c>""");
            }
            else if (row.GetValueOrDefault(column) is { Length: > 0 } text)
            {
                cells.Append($"""<c r="{reference}" t="inlineStr"><is><t>{System.Security.SecurityElement.Escape(text)}</t></is></c>""");
            }
        }
        return (header, $"""<row r="{number}">{cells}</row>""");
    }
}
