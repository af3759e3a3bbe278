using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Spreadsheets;
using ServerlessInnovation.Storage.Tables;
using C = ServerlessInnovation.Functions.Spreadsheets.CatalogColumns;

namespace ServerlessInnovation.Tests.Spreadsheets;

/// <summary>Catalog rows as a bureau would fill them, and the carriers they stand for.</summary>
internal static class CatalogFixtures
{
    /// <summary>A row with every column filled the way a bureau would, in Chinese.</summary>
    public static Dictionary<CatalogColumn, string?> Row(string id) => new()
    {
        [C.Id] = id,
        [C.Name] = "西湖人工智能孵化器",
        [C.Type] = "科技企业孵化器",
        [C.Focus] = "专业型",
        [C.District] = "西湖区",
        [C.Address] = "杭州市西湖区文三路 90 号",
        [C.Latitude] = "30.2741",
        [C.Longitude] = "120.1301",
        [C.TotalArea] = "12,000",
        [C.FreeArea] = "1,500.5",
        [C.FreeWorkstations] = "40",
        [C.Industries] = "人工智能、集成电路",
        [C.Services] = "mentoring，中试生产",
        [C.Operator] = "杭州西湖科创有限公司",
        [C.TierLevel] = "国家级",
        [C.TierIssuingBody] = "",
        [C.TierAwardedOn] = "2021-06-01",
        [C.TierValidUntil] = "2026/5/31",
        [C.EnterprisesInIncubation] = "85",
        [C.Graduated] = "1,200",
        [C.HighTechEnterprises] = "30",
        [C.Jobs] = "2,500",
        [C.MaxCompanyAgeMonths] = "36",
        [C.MaxLastYearRevenueCny] = "5,000,000",
        [C.TechSmeRequired] = "是",
        [C.MinRdStaffSharePercent] = "30%",
        [C.MinStage] = "黄色",
    };

    /// <summary>Only the required columns, for a comprehensive maker space without a tier.</summary>
    public static Dictionary<CatalogColumn, string?> MinimalRow(string id) => new()
    {
        [C.Id] = id,
        [C.Name] = "滨江众创空间",
        [C.Type] = "众创空间",
        [C.Focus] = "综合",
        [C.District] = "binjiang",
        [C.Address] = "滨江区网商路 1 号",
        [C.Latitude] = "30.2083",
        [C.Longitude] = "120.2113",
        [C.TotalArea] = "800",
        [C.FreeArea] = "0",
        [C.FreeWorkstations] = "12",
    };

    /// <summary>The carrier <see cref="Row"/> describes.</summary>
    public static Carrier Carrier(string id) => new()
    {
        Id = id,
        Name = "西湖人工智能孵化器",
        Type = CarrierType.Incubator,
        Focus = CarrierFocus.Specialised,
        Tiers = [new TierAward("national", "科学技术部", new DateOnly(2021, 6, 1), new DateOnly(2026, 5, 31))],
        DistrictCode = "xihu",
        Address = "杭州市西湖区文三路 90 号",
        Location = new GeoPoint(30.2741, 120.1301),
        TotalAreaM2 = 12_000,
        FreeAreaM2 = 1_500.5,
        FreeWorkstations = 40,
        Industries = IndustrySet.Of(Industries.ArtificialIntelligence, Industries.IntegratedCircuits),
        Services = CarrierServices.Mentoring | CarrierServices.PilotProduction,
        TrackRecord = new TrackRecord(85, 1_200, 30, 2_500),
        EntryRules =
        [
            EntryRule.MaxCompanyAge(36), EntryRule.MaxLastYearRevenue(5_000_000), EntryRule.TechSme(),
            EntryRule.MinRdStaffShare(30), EntryRule.MinStage(StartupStage.Yellow),
        ],
        Operator = "杭州西湖科创有限公司",
    };

    /// <summary>A catalog CSV: the header (Chinese unless <paramref name="header"/> says otherwise) over the rows.</summary>
    public static string Csv(IReadOnlyList<Dictionary<CatalogColumn, string?>> rows, IReadOnlyList<CatalogColumn>? columns = null,
        Func<CatalogColumn, string>? header = null)
    {
        columns ??= C.All;
        header ??= c => c.Header;
        return SheetFixtures.CsvText([columns.Select(header), .. rows.Select(r => columns.Select(c => r.GetValueOrDefault(c)))]);
    }

    public static List<CatalogRow> ReadAll(Stream stream, out IReadOnlyList<RowError> warnings, SheetLimits? limits = null)
    {
        using var reader = CatalogRowReader.Open(stream, limits);
        warnings = reader.Warnings;
        var rows = new List<CatalogRow>();
        while (reader.TryReadRow(out var row))
        {
            rows.Add(row);
        }
        return rows;
    }

    public static List<CatalogRow> ReadAll(Stream stream) => ReadAll(stream, out _);

    /// <summary>The carrier as stored: comparing these compares every stored field.</summary>
    public static SortedDictionary<string, object?> Stored(Carrier carrier) => new(CarrierEntity.From(carrier), StringComparer.Ordinal);

    public static void AssertSameCarrier(Carrier expected, Carrier? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Stored(expected), Stored(actual));
    }

    /// <summary>The carrier stores as a table entity and reads back valid and unchanged.</summary>
    public static void AssertReadsBackFromTheTable(Carrier carrier)
    {
        var entity = CarrierEntity.From(carrier);
        TableLimits.ValidateEntity(entity, "entity");
        Assert.True(CarrierEntity.TryRead(new TableEntity(entity), out var readBack, out var problem), problem);
        AssertSameCarrier(carrier, readBack);
    }
}
