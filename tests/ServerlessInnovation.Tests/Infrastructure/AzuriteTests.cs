using System.Net.Sockets;

namespace ServerlessInnovation.Tests.Infrastructure;

public sealed class AzuriteTests
{
    [Fact]
    public async Task SharedEmulatorListensOnThreeDistinctLoopbackPorts()
    {
        var azurite = await Azurite.Shared;

        Assert.Equal(3, new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort }.Distinct().Count());
        foreach (var port in new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort })
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            Assert.True(client.Connected);
        }
    }
}
