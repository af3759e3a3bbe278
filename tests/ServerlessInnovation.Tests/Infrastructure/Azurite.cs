using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// The storage emulator for the whole test run: the repository's pinned Azurite (npm), started once on free ports
/// with in-memory persistence and stopped when the test process exits. Tests isolate themselves by unique table,
/// queue and container names, so they can share it and run in parallel.
/// </summary>
/// <remarks>
/// <see cref="Shared"/> speaks plain http and takes Shared Key and SAS. <see cref="SharedWithEntra"/> is a second instance
/// over https (a self-signed certificate made for this run) with <c>--oauth basic</c>, so bearer tokens can be tested:
/// Azure.Core sends them over https only, and Azurite checks their claims but not their signature.
/// </remarks>
public sealed partial class Azurite
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<Azurite>> SharedInstance = new(() => StartAsync(certificate: null));
    private static readonly Lazy<Task<Azurite>> SharedWithEntraInstance = new(StartWithEntraAsync);

    private readonly Process? _process;

    private string? _location;

    private Azurite(Process? process, IReadOnlyDictionary<string, int> ports, X509Certificate2? certificate)
    {
        _process = process;
        BlobPort = ports["Blob"];
        QueuePort = ports["Queue"];
        TablePort = ports["Table"];
        Certificate = certificate;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>The server certificate of an https instance; null for http.</summary>
    public X509Certificate2? Certificate { get; }

    private string Scheme => Certificate is null ? "http" : "https";

    public Uri BlobEndpoint => new($"{Scheme}://127.0.0.1:{BlobPort}/{AccountName}");
    public Uri QueueEndpoint => new($"{Scheme}://127.0.0.1:{QueuePort}/{AccountName}");
    public Uri TableEndpoint => new($"{Scheme}://127.0.0.1:{TablePort}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol={Scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>The one http emulator of this test run, started on first use.</summary>
    public static Task<Azurite> Shared => SharedInstance.Value;

    /// <summary>The one https emulator with Microsoft Entra (bearer) authentication of this test run, started on first use.</summary>
    public static Task<Azurite> SharedWithEntra => SharedWithEntraInstance.Value;

    /// <summary>A name no other test uses: letters and digits only, valid for tables, queues and containers.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Kills the emulator, for tests that need storage to go away; later tests must not rely on the shared one.</summary>
    public void Kill() => _process?.Kill(entireProcessTree: true);

    /// <summary>
    /// A handler for clients of this instance: over https it accepts this instance's certificate and no other, so nothing
    /// is trusted machine-wide.
    /// </summary>
    public HttpMessageHandler CreateHandler()
    {
        var handler = new HttpClientHandler();
        if (Certificate is { } expected)
        {
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.RawData.AsSpan().SequenceEqual(expected.RawData);
        }
        return handler;
    }

    private static async Task<Azurite> StartWithEntraAsync()
    {
        // Node reads PEM files; they live in a folder of this run, removed at exit.
        var folder = Directory.CreateTempSubdirectory("azurite-tls-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Delete(recursive: true);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return await StartAsync(X509CertificateLoader.LoadCertificate(certificate.RawData), folder.FullName);
    }

    /// <summary>
    /// An emulator of the test's own that keeps its data on disk in <paramref name="location"/>, on free ports: one that a
    /// test may kill and restart (<see cref="RestartAsync"/>) and find its data again. Kill it when done.
    /// </summary>
    public static Task<Azurite> StartDedicatedAsync(string location) => StartAsync(null, location: location);

    /// <summary>
    /// Stops this dedicated emulator and starts it again on the same ports with the same data folder: storage is gone for
    /// a moment and every open connection is cut. Azurite keeps its data in memory and writes it to disk every 5 s, and
    /// its stop does not reliably write the last changes (a SIGKILL certainly loses them): acknowledged writes would be
    /// lost, which real storage never does. So cut the clients off first (<see cref="TcpProxy.Cut"/>) and wait
    /// <see cref="PersistInterval"/> before restarting.
    /// </summary>
    public static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(6);

    public async Task<Azurite> RestartAsync()
    {
        var location = _location ?? throw new InvalidOperationException("Only a dedicated emulator (with a data folder) can restart.");
        var process = _process ?? throw new InvalidOperationException("This emulator has no process to restart.");
        process.StandardInput.Close();
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await process.WaitForExitAsync(patience.Token);
        }
        return await StartAsync(null, location: location, ports: (BlobPort, QueuePort, TablePort));
    }

    private static async Task<Azurite> StartAsync(X509Certificate2? certificate, string? certificateFolder = null,
        string? location = null, (int Blob, int Queue, int Table)? ports = null)
    {
        var script = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed at {script}. Run the README's test command (npm test), or 'npm ci' at the repository root.");
        }

        // A small Node parent that stops Azurite when our stdin closes, so the emulator dies with the test process even on a
        // crash: SIGTERM first (Azurite then saves its data, for a dedicated instance's restart), SIGKILL if it lingers.
        const string Watchdog =
            "const {spawn}=require('child_process');" +
            "const c=spawn(process.execPath,process.argv.slice(1),{stdio:['ignore','inherit','inherit']});" +
            "const stop=()=>{try{c.kill('SIGTERM')}catch{}setTimeout(()=>{try{c.kill('SIGKILL')}catch{}process.exit(0)},10000).unref()};" +
            "process.stdin.on('end',stop);process.stdin.on('close',stop);process.stdin.resume();" +
            "c.on('exit',code=>process.exit(code??1));";
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        var (blob, queue, table) = ports ?? (0, 0, 0);
        string[] persistence = location is null ? ["--inMemoryPersistence"] : ["--location", location];
        foreach (var argument in (string[])["-e", Watchdog, script, "--silent", .. persistence, "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", Text(blob), "--queuePort", Text(queue), "--tablePort", Text(table)])
        {
            start.ArgumentList.Add(argument);
        }
        if (certificateFolder is not null)
        {
            foreach (var argument in (string[])["--oauth", "basic",
                         "--cert", Path.Combine(certificateFolder, "cert.pem"), "--key", Path.Combine(certificateFolder, "key.pem")])
            {
                start.ArgumentList.Add(argument);
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        };

        var listening = new Dictionary<string, int>();
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) { errors.Add(e.Data); } } };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (listening.Count < 3)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException("Azurite exited before listening: " + string.Join(Environment.NewLine, errors));
            }
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        // Keep draining stdout so Azurite never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        });
        return new Azurite(process, listening, certificate) { _location = location };
    }

    private static string Text(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at https?://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
