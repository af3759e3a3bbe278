using System.Diagnostics;
using Microsoft.Extensions.Options;
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
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.FunctionsOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("ServerlessInnovation.Functions.dll");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["Storage"] = storage.StartsWith("valid", StringComparison.Ordinal) ? azurite.ConnectionString : storage;
        start.Environment["Matching__Weights__Industry"] = storage == "valid" ? "0.9" : "0.3";
        start.Environment["Applications__SigningKey"] = storage == "valid-no-key" ? "c2hvcnQ=" : ApiFactory.NewSigningKey();

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        var text = await output + await errors;
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", text, StringComparison.Ordinal);
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
