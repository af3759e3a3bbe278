using System.Buffers;
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
            : Strings(row.GetString("Choices"), "district", null).First;
        var (stageCode, industryCode) = Strings(row.GetString("Profile"), "stage", "industry");
        var stage = StartupStages.TryParse(stageCode, out var parsedStage) ? parsedStage : (StartupStage?)null;
        var industry = Industries.TryParse(industryCode, out var parsedIndustry) ? parsedIndustry : null;
        return new ApplicationFacts(status, submittedAt, row.GetDateTimeOffset("DecidedAt"), district, stage, industry);
    }

    /// <summary>
    /// The first string values of properties named <paramref name="first"/> and <paramref name="second"/> anywhere in
    /// <paramref name="json"/>, read in one pass over a pooled UTF-8 copy; null for any not found, or not JSON.
    /// </summary>
    private static (string? First, string? Second) Strings(string? json, string first, string? second)
    {
        if (json is null)
        {
            return (null, null);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(0, Encoding.UTF8.GetBytes(json, buffer)));
            string? firstValue = null;
            string? secondValue = null;
            while ((firstValue is null || (second is not null && secondValue is null)) && reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }
                var isFirst = firstValue is null && reader.ValueTextEquals(first);
                var isSecond = !isFirst && second is not null && secondValue is null && reader.ValueTextEquals(second);
                if ((isFirst || isSecond) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    if (isFirst)
                    {
                        firstValue = reader.GetString();
                    }
                    else
                    {
                        secondValue = reader.GetString();
                    }
                }
            }
            return (firstValue, secondValue);
        }
        catch (JsonException)
        {
            return (null, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
