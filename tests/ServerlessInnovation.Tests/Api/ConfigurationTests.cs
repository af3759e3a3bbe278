using Microsoft.Extensions.Options;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

/// <summary>Options are checked at startup: a misconfigured app refuses to start, saying what is wrong.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Matching:Weights:Industry", "0.9", "add up to 1")]
    [InlineData("Matching:Weights:Tier", "-0.1", "between 0 and 1")]
    [InlineData("Matching:ProximityRadiusKm", "0", "ProximityRadiusKm")]
    [InlineData("Matching:DefaultTop", "80", "DefaultTop")]
    [InlineData("Catalog:CarrierTable", "carriers-2026", "CarrierTable")]
    [InlineData("Catalog:RefreshInterval", "00:00:00", "RefreshInterval")]
    public async Task AnInvalidSettingStopsStartupWithItsName(string key, string value, string expected)
    {
        var azurite = await Azurite.Shared;
        await using var factory = new ApiFactory(azurite.ConnectionString, new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingStorageConnectionStopsStartup()
    {
        await using var factory = new ApiFactory("");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Storage", error.Message, StringComparison.Ordinal);
    }
}
