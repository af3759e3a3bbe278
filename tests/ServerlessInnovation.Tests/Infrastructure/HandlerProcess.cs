using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// The app as a separate process, from its own build output: as the Functions host runs it (<see cref="StartAsync"/>, with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and the other variables the host sets), or standalone (<see cref="StartStandaloneAsync"/>,
/// serving HTTP and running its own queue listeners and timers). Polled on <c>GET /</c> until ready.
/// </summary>
public sealed class HandlerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HandlerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }

    /// <summary>The app's process id (to read its memory figures).</summary>
    public int ProcessId => _process.Id;
    public HttpClient Client { get; }
    public TimeSpan TimeToReady { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<HandlerProcess> StartAsync(IReadOnlyDictionary<string, string> environment) =>
        StartAsync(environment, executable: null);

    /// <summary>
    /// As the Functions host starts the handler: <paramref name="executable"/> itself (a packaged, self-contained handler),
    /// in its folder as the app root; or, when null, <c>dotnet</c> with the build output's dll.
    /// </summary>
    public static Task<HandlerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string? executable)
    {
        var appRoot = executable is null ? RepositoryPaths.FunctionsOutput : Path.GetDirectoryName(Path.GetFullPath(executable))!;
        var port = FreePort();
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return StartAsync(port, new Dictionary<string, string>(environment)
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = portText,
            ["FUNCTIONS_HTTPWORKER_PORT"] = portText,
            ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString(),
            ["FUNCTIONS_APP_ROOT_PATH"] = appRoot,
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:1",
        }, executable);
    }

    /// <summary>
    /// The app standalone on a free loopback port (or <paramref name="port"/>, chosen earlier with <see cref="FreePort"/> when
    /// the settings must name the app's own origin): HTTP, queue listeners and timers, all in this one process.
    /// </summary>
    public static Task<HandlerProcess> StartStandaloneAsync(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        port ??= FreePort();
        return StartAsync(port.Value, new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        });
    }

    /// <summary>Waits until the app serves its catalog (<c>GET /api/health</c> answers 200); the first load runs in the background.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync(new Uri("/api/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline || HasExited)
            {
                throw new TimeoutException("The app did not load its catalog within 60 s:\n" + Output);
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process at once, as a crash or a scale-in would: nothing is finished or released.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public bool HasExited => _process.HasExited;

    private static async Task<HandlerProcess> StartAsync(int port, IReadOnlyDictionary<string, string> environment, string? executable = null)
    {
        var start = new ProcessStartInfo(executable is null ? "dotnet" : Path.GetFullPath(executable))
        {
            // The host's working directory: the app root (host.json "workingDirectory": ""), where appsettings.json is.
            WorkingDirectory = executable is null ? RepositoryPaths.FunctionsOutput : Path.GetDirectoryName(Path.GetFullPath(executable))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(Path.Combine(RepositoryPaths.FunctionsOutput, "ServerlessInnovation.Functions.dll"));
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the handler.");
        var handler = new HandlerProcess(process, port);
        process.OutputDataReceived += (_, e) => handler.Append(e.Data);
        process.ErrorDataReceived += (_, e) => handler.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The host's readiness check: any HTTP answer to GET / counts; only a connection failure means "not yet".
        while (true)
        {
            try
            {
                using var response = await handler.Client.GetAsync(new Uri("/", UriKind.Relative));
                handler.TimeToReady = stopwatch.Elapsed;
                return handler;
            }
            catch (HttpRequestException) when (stopwatch.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(25);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A loopback port that is free now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
