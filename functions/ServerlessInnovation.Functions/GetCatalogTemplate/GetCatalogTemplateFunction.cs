using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.Spreadsheets;

namespace ServerlessInnovation.Functions.GetCatalogTemplate;

/// <summary>
/// <c>GET /api/bureau/templates/catalog.xlsx</c> and <c>catalog.csv</c>: an empty catalog spreadsheet with the header row
/// ingestion expects (the XLSX also explains each column). Built once per process; the same bytes every time.
/// </summary>
public static class GetCatalogTemplateFunction
{
    public const string Name = "GetCatalogTemplate";

    private static readonly Lazy<byte[]> Csv = new(() => Build(CatalogTemplate.WriteCsv));
    private static readonly Lazy<byte[]> Xlsx = new(() => Build(CatalogTemplate.WriteXlsx));

    public static IEndpointRouteBuilder MapGetCatalogTemplate(this IEndpointRouteBuilder bureau)
    {
        bureau.MapGet("/templates/{file}", Handle).WithName(Name);
        return bureau;
    }

    private static IResult Handle(string file, HttpResponse response)
    {
        var (content, type, downloadName) = file switch
        {
            "catalog.xlsx" => (Xlsx.Value, FileType.Xlsx.ContentType(), "载体名录模板.xlsx"),
            "catalog.csv" => (Csv.Value, "text/csv; charset=utf-8", "载体名录模板.csv"),
            _ => (null, null, null),
        };
        if (content is null)
        {
            return Problems.NotFound(new("没有这个模板，可用：catalog.xlsx、catalog.csv。", "There is no such template; use catalog.xlsx or catalog.csv."));
        }
        response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.File(content, type, downloadName);
    }

    private static byte[] Build(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return buffer.ToArray();
    }
}
