using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using ServerlessInnovation.Functions.Hosting;

namespace ServerlessInnovation.Tests.Hosting;

public sealed class FunctionsHostTests
{
    [Fact]
    public void WithoutTheHostsPortTheServerStandsAloneOnTheFunctionsDefaultUrl()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[FunctionsHost.PortVariable] = null;
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = null;

        var mode = builder.ConfigureFunctionsHosting();

        Assert.Equal(HostMode.Standalone, mode);
        Assert.Equal("http://localhost:7071", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void ExplicitUrlsWinInStandaloneMode()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:5123"]);
        builder.Configuration[FunctionsHost.PortVariable] = null;

        builder.ConfigureFunctionsHosting();

        Assert.Equal("http://127.0.0.1:5123", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void WithTheHostsPortItIsACustomHandler()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[FunctionsHost.PortVariable] = "34567";

        Assert.Equal(HostMode.CustomHandler, builder.ConfigureFunctionsHosting());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("-5")]
    public void AMalformedPortStopsStartupWithAClearMessage(string port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[FunctionsHost.PortVariable] = port;

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureFunctionsHosting());
        Assert.Contains(FunctionsHost.PortVariable, error.Message, StringComparison.Ordinal);
    }
}
