using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>
/// Completes when the app's service provider has disposed it: registered as the first hosted service, it is created before
/// the trigger runtime and so disposed after it (singletons are disposed in the reverse order of their creation).
/// </summary>
public sealed class DisposalSignal : IHostedService, IDisposable
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Disposed => _disposed.Task;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
                services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DisposalSignal>());
                services.AddSingleton(new QueueProbe());
                services.AddQueueTrigger<ProbeQueueHandler>("ProcessApplication");
                services.AddSingleton(new TimerProbe());
                services.AddTimerTrigger<ProbeTimerHandler>("SweepApplications");
            }));
            await Task.Factory.StartNew(() => factory.Services, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var hosted = factory.Services.GetServices<IHostedService>().ToList();
            var disposal = Assert.IsType<DisposalSignal>(hosted[0]);
            Assert.Single(hosted.OfType<TriggerRuntime>());

            // The app stops itself (as on a fatal error, or first in the race above): app.Run() stops and disposes the host.
            factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await disposal.Disposed.WaitAsync(TimeSpan.FromSeconds(10));

            var error = await Record.ExceptionAsync(async () => await factory.DisposeAsync());
            Assert.Null(error);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}
