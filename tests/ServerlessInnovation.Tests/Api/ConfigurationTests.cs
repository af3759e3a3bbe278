using System.Diagnostics;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.MatchCarriers;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

/// <summary>Options are checked at startup: a misconfigured app refuses to start, saying what is wrong.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("", "Storage: The storage connection 'Storage' is not configured")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=not base64!", "Storage: ")]
    [InlineData("valid", "Matching: The weights must add up to 1")]
    [InlineData("valid-no-key", "Applications:SigningKey must be base64 of at least 32 random bytes")]
    public async Task TheAppRefusesToStartWithAnInvalidSetting(string storage, string expected)
    {
        var azurite = await Azurite.Shared;
        var text = await RefusalAsync(new Dictionary<string, string>
        {
            ["Storage"] = storage.StartsWith("valid", StringComparison.Ordinal) ? azurite.ConnectionString : storage,
            ["Matching__Weights__Industry"] = storage == "valid" ? "0.9" : "0.3",
            ["Applications__SigningKey"] = storage == "valid-no-key" ? "c2hvcnQ=" : ApiFactory.NewSigningKey(),
        });

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", text, StringComparison.Ordinal);
    }

    private const string SomeHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Theory]
    [InlineData("nowhere", SomeHash, "Bureaus:KeyHashes:nowhere: 'nowhere' is not a bureau code")]
    [InlineData("Xihu", SomeHash, "Bureaus:KeyHashes:Xihu: 'Xihu' is not a bureau code")]
    [InlineData("xihu", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A0G", "Bureaus:KeyHashes:xihu must be the SHA-256 of the bureau's key as 64 hexadecimal characters")]
    [InlineData("xihu", "9f86d081884c7d659a2feaa0c55ad015", "Bureaus:KeyHashes:xihu must be the SHA-256")]
    [InlineData("xihu", "", "Bureaus:KeyHashes:xihu must be the SHA-256")]
    public async Task TheAppRefusesToStartWithAnInvalidBureauKeyHash(string bureau, string hash, string expected)
    {
        var azurite = await Azurite.Shared;
        var text = await RefusalAsync(new Dictionary<string, string>
        {
            ["Storage"] = azurite.ConnectionString,
            ["Applications__SigningKey"] = ApiFactory.NewSigningKey(),
            [$"Bureaus__KeyHashes__{bureau}"] = hash,
        });

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SomeHash[..16], text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Starts the app's build output with <paramref name="environment"/>; asserts it refuses to start, and returns what it printed.</summary>
    private static async Task<string> RefusalAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.FunctionsOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("ServerlessInnovation.Functions.dll");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        var text = await output + await errors;
        Assert.DoesNotContain("Now listening", text, StringComparison.Ordinal);
        return text;
    }

    [Fact]
    public void BureauKeyHashesAreCheckedAndOnlyHashesOfKnownBureausPass()
    {
        var validator = new BureauOptionsValidator();
        static BureauOptions With(params (string Bureau, string Hash)[] hashes) =>
            new() { KeyHashes = hashes.ToDictionary(h => h.Bureau, h => h.Hash, StringComparer.Ordinal) };

        Assert.True(validator.Validate(null, new BureauOptions()).Succeeded);
        Assert.True(validator.Validate(null, With(("hangzhou", SomeHash), ("xihu", SomeHash.ToUpperInvariant().Replace('0', '1')))).Succeeded);
        Assert.Contains("same key hash", validator.Validate(null, With(("xihu", SomeHash), ("binjiang", SomeHash.ToUpperInvariant()))).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("JurisdictionClaim", validator.Validate(null, new BureauOptions { JurisdictionClaim = "" }).FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Industry", 0.9, "add up to 1")]
    [InlineData("Tier", -0.1, "between 0 and 1")]
    public void WeightsAreCheckedByTheDomainsRules(string weight, double value, string expected)
    {
        var options = new MatchingOptions();
        typeof(MatchingOptions.WeightOptions).GetProperty(weight)!.SetValue(options.Weights, value);

        var result = new MatchingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ScalesAndResultCountsAreChecked()
    {
        var validator = new MatchingOptionsValidator();

        Assert.True(validator.Validate(null, new MatchingOptions()).Succeeded);
        Assert.Contains("ProximityRadiusKm", validator.Validate(null, new MatchingOptions { ProximityRadiusKm = 0 }).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DefaultTop", validator.Validate(null, new MatchingOptions { DefaultTop = 80 }).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxTop", validator.Validate(null, new MatchingOptions { MaxTop = 500 }).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void CatalogTableNamesAndIntervalsAreChecked()
    {
        var validator = new CatalogOptionsValidator();

        Assert.True(validator.Validate(null, new CatalogOptions()).Succeeded);
        Assert.True(validator.Validate(null, new CatalogOptions { CarrierTable = "carriers-2026" }).Failed);
        Assert.True(validator.Validate(null, new CatalogOptions { StateTable = "x" }).Failed);
        Assert.True(validator.Validate(null, new CatalogOptions { RefreshInterval = TimeSpan.Zero }).Failed);
        Assert.True(validator.Validate(null, new CatalogOptions { FirstLoadWait = TimeSpan.FromHours(1) }).Failed);
    }
}
