using System.Text;
using System.Text.Json;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Statistics;

/// <summary>
/// Reads <see cref="ApplicationFacts"/> from an application's row: only the columns in <see cref="Columns"/>, and of its
/// JSON only the profile's stage and industry and the first choice's district, read in place without building objects.
/// </summary>
public static class ApplicationFactsReader
{
    public static readonly string[] Columns = ["Status", "SubmittedAt", "DecidedAt", "CarrierId", "Choices", "Profile"];

    /// <summary>The facts, or null for a row that is no application (no known status or no submission time).</summary>
    /// <param name="districtOf">The district of a carrier by id (the catalog's), for the deciding carrier.</param>
    public static ApplicationFacts? Read(TableEntity row, IReadOnlyDictionary<string, string> districtOf)
    {
        if (!ApplicationStatuses.TryParse(row.GetString("Status"), out var status) || row.GetDateTimeOffset("SubmittedAt") is not { } submittedAt)
        {
            return null;
        }
        var district = row.GetString("CarrierId") is { } carrierId && districtOf.TryGetValue(carrierId, out var carrierDistrict)
            ? carrierDistrict
            : FirstString(row.GetString("Choices"), "district");
        var profile = row.GetString("Profile");
        var stage = StartupStages.TryParse(FirstString(profile, "stage"), out var parsedStage) ? parsedStage : (StartupStage?)null;
        var industry = Industries.TryParse(FirstString(profile, "industry"), out var parsedIndustry) ? parsedIndustry : null;
        return new ApplicationFacts(status, submittedAt, row.GetDateTimeOffset("DecidedAt"), district, stage, industry);
    }

    /// <summary>The first string value of a property named <paramref name="name"/> anywhere in <paramref name="json"/>; null if none or not JSON.</summary>
    private static string? FirstString(string? json, string name)
    {
        if (json is null)
        {
            return null;
        }
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(name))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: no value.
        }
        return null;
    }
}
