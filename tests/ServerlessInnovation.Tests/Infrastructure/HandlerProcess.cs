using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// The handler as the Functions host runs it: its own build output started as a separate process with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and the other variables the host sets, polled on <c>GET /</c> until ready.
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

    public static async Task<HandlerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.FunctionsOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.FunctionsOutput, "ServerlessInnovation.Functions.dll"));
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_HTTPWORKER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString();
        start.Environment["FUNCTIONS_APP_ROOT_PATH"] = RepositoryPaths.FunctionsOutput;
        start.Environment["ASPNETCORE_URLS"] = "http://0.0.0.0:1";
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
