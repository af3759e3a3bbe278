using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>Completes when the app's service provider is disposed, that is when its host has been disposed.</summary>
public sealed class DisposalSignal : IDisposable
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Disposed => _disposed.Task;

    public void Dispose() => _disposed.TrySetResult();
}

/// <summary>
/// Stopping the standalone triggers when the host has been stopped and disposed already. Under WebApplicationFactory that is
/// not rare: when the factory stops the host, the app's own <c>app.Run()</c> (in Program.cs) stops it as well and then
/// disposes it, so the factory's stop may reach the hosted services after their disposal. The framework's hosted services
/// (BackgroundService) tolerate it; a trigger runtime that does not fails the factory's disposal, and with it the test.
/// </summary>
public sealed class TriggerRuntimeShutdownTests
{
    [Theory]
    [InlineData("ProcessApplication")]
    [InlineData("SweepApplications")]
    public async Task DisposingTheAppAfterItStoppedItselfDoesNotThrow(string function)
    {
        var settings = ListenerApp.FastSettings();
        settings["AzureWebJobs:ProcessApplication:Disabled"] = function == "ProcessApplication" ? "false" : "true";
        settings["AzureWebJobs:SweepApplications:Disabled"] = function == "SweepApplications" ? "false" : "true";
        settings["SweepApplicationsSchedule"] = TimerApp.EverySecond;
        var api = new ApiFactory((await Azurite.Shared).ConnectionString, settings);
        try
        {
            var factory = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            {
                services.Replace(ServiceDescriptor.Singleton(TimeProvider.System));
                services.AddSingleton<DisposalSignal>();
                services.AddSingleton(new QueueProbe());
                services.AddQueueTrigger<ProbeQueueHandler>("ProcessApplication");
                services.AddSingleton(new TimerProbe());
                services.AddTimerTrigger<ProbeTimerHandler>("SweepApplications");
            }));
            await Task.Factory.StartNew(() => factory.Services, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var disposal = factory.Services.GetRequiredService<DisposalSignal>();
            Assert.NotEmpty(factory.Services.GetServices<IHostedService>().OfType<TriggerRuntime>());

            // The app stops itself (as on a fatal error, or first in the race above): app.Run() stops and disposes the host.
            factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await disposal.Disposed.WaitAsync(TimeSpan.FromSeconds(10));

            var error = await Record.ExceptionAsync(async () => await factory.DisposeAsync());
            Assert.Null(error);
        }
        finally
        {
            await AppShutdown.DisposeAsync(api);
        }
    }
}
