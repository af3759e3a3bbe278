using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>Registering queue and timer handlers, and the startup check of registrations against the function.json files.</summary>
public sealed class TriggerRegistrationTests
{
    private sealed class OtherQueueHandler : IQueueTriggerHandler
    {
        public Task HandleAsync(QueueTriggerMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static FunctionDefinition Function(string name, string type, string? schedule = null) =>
        new(name, [new FunctionBinding { Type = type, Direction = "in", Name = "trigger", QueueName = "q", Schedule = schedule }]);

    private static readonly FunctionManifest Manifest = new([
        Function("Work", "queueTrigger"),
        Function("Poison", "queueTrigger"),
        Function("Tick", "timerTrigger", "0 */1 * * * *"),
        Function("BadTick", "timerTrigger", "every minute"),
        Function("Page", "httpTrigger"),
    ]);

    [Fact]
    public void RegisteredFunctionsAreMatchedWithTheirDefinitionsAndUnregisteredOnesOnlyWarned()
    {
        var warned = new List<string>();

        var matched = TriggerRegistration.Match(
            Manifest,
            [new RegisteredTrigger("work", TriggerKind.Queue, typeof(RecordingQueueHandler)), new RegisteredTrigger("Tick", TriggerKind.Timer, typeof(RecordingTimerHandler))],
            f => warned.Add(f.Name));

        Assert.Equal(["Work", "Tick"], matched.Select(m => m.Function.Name));
        Assert.Equal(["BadTick", "Poison"], warned.Order());
    }

    [Fact]
    public void AHandlerForAFunctionWithoutAFunctionJsonIsAnError()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TriggerRegistration.Match(Manifest, [new RegisteredTrigger("Missing", TriggerKind.Queue, typeof(RecordingQueueHandler))], _ => { }));

        Assert.Contains("'Missing'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Missing/function.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tick", TriggerKind.Queue, "timerTrigger")]
    [InlineData("Work", TriggerKind.Timer, "queueTrigger")]
    [InlineData("Page", TriggerKind.Queue, "httpTrigger")]
    public void AHandlerOfTheWrongTriggerTypeIsAnError(string function, TriggerKind kind, string actual)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TriggerRegistration.Match(Manifest, [new RegisteredTrigger(function, kind, typeof(RecordingQueueHandler))], _ => { }));

        Assert.Contains($"'{function}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegisteredTimerWithAnInvalidScheduleIsAnError()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TriggerRegistration.Match(Manifest, [new RegisteredTrigger("BadTick", TriggerKind.Timer, typeof(RecordingTimerHandler))], _ => { }));

        Assert.Contains("'BadTick'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'every minute'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteringAFunctionAgainReplacesItsHandler()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TriggerRecorder>();

        services.AddQueueTrigger<OtherQueueHandler>("Work");
        services.AddQueueTrigger<RecordingQueueHandler>("work");
        services.AddFunctionTriggers();

        await using var provider = services.BuildServiceProvider();
        var trigger = Assert.Single(provider.GetServices<RegisteredTrigger>());
        Assert.Equal(new RegisteredTrigger("work", TriggerKind.Queue, typeof(RecordingQueueHandler)), trigger);
        await using var scope = provider.CreateAsyncScope();
        Assert.IsType<RecordingQueueHandler>(Assert.Single(scope.ServiceProvider.GetKeyedServices<IQueueTriggerHandler>("work")));
        Assert.Empty(scope.ServiceProvider.GetKeyedServices<IQueueTriggerHandler>("Work"));
        Assert.Single(services, d => d.ServiceType == typeof(FunctionTriggerInvoker));
    }

    [Fact]
    public async Task EachInvocationGetsAHandlerFromAScopeOfItsOwn()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TriggerRecorder>();
        services.AddQueueTrigger<RecordingQueueHandler>("Work");
        await using var provider = services.BuildServiceProvider();
        var invoker = provider.GetRequiredService<FunctionTriggerInvoker>();
        var trigger = provider.GetRequiredService<RegisteredTrigger>();

        await invoker.InvokeAsync(trigger, new QueueTriggerMessage("1", "a", 1, null, null, null, null), CancellationToken.None);
        await invoker.InvokeAsync(trigger, new QueueTriggerMessage("2", "b", 1, null, null, null, null), CancellationToken.None);

        Assert.Equal(["a", "b"], provider.GetRequiredService<TriggerRecorder>().Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task TheAppDoesNotStartWhenAHandlerIsRegisteredForAFunctionThatDoesNotExist()
    {
        await using var api = new ApiFactory((await Azurite.Shared).ConnectionString);
        await using var factory = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TriggerRecorder>();
            services.AddQueueTrigger<RecordingQueueHandler>("ProcessApplications");
        }));

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("'ProcessApplications'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppDoesNotStartWhenAFunctionJsonNamesASettingThatIsNotSet()
    {
        await using var api = new ApiFactory((await Azurite.Shared).ConnectionString);
        await using var factory = api.WithWebHostBuilder(builder => builder.UseSetting("ApplicationsQueue", ""));

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("'ApplicationsQueue'", error.Message, StringComparison.Ordinal);
    }
}
