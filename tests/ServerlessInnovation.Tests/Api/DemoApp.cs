using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

/// <summary>One app on the seeded demo catalog, shared by the tests of a class (seeding takes a second).</summary>
public sealed class DemoApp : IAsyncLifetime
{
    public ApiFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = await ApiFactory.WithDemoCatalogAsync();
        Client = await Factory.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
