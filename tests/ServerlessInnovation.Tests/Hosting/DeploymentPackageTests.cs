using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Tests.Api;
using ServerlessInnovation.Tests.Applications;
using ServerlessInnovation.Tests.Documents;
using ServerlessInnovation.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>
/// The deployment package, made once for the test class by the same script as <c>npm run package</c> (into a folder of
/// its own), and unpacked as the platform unpacks it, unix modes included.
/// </summary>
public sealed class DeploymentPackage : IAsyncLifetime
{
    public const string ExecutableName = "ServerlessInnovation.Functions";

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "si-package-" + Guid.NewGuid().ToString("N")[..12]);
    public string ZipPath => Path.Combine(Folder, "ServerlessInnovation.zip");
    public string Unpacked => Path.Combine(Folder, "unpacked");
    public string Executable => Path.Combine(Unpacked, ExecutableName);

    /// <summary>What the packaging script printed.</summary>
    public string Output { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "functions", "package.mjs"));
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(Folder);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        Output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"functions/package.mjs failed ({process.ExitCode}):\n{Output}");
        }
        // On Linux, .NET restores each entry's unix permissions from the zip, as the platform's unpacking does.
        ZipFile.ExtractToDirectory(ZipPath, Unpacked);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>The files under a folder, as sorted relative paths with '/'.</summary>
    public static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Relative(root, f)).Order(StringComparer.Ordinal)];
}

/// <summary>
/// Issue: the deployment package. Its layout as the Functions host reads it, and the packaged executable started as the
/// host starts it, then played the host against: readiness, and one invocation of every function of the package.
/// </summary>
public sealed class DeploymentPackageTests(DeploymentPackage package, ITestOutputHelper output) : IClassFixture<DeploymentPackage>
{
    private const long MaxZippedBytes = 80_000_000;

    private static readonly string[] ProjectFunctionFiles =
        [.. Directory.EnumerateDirectories(RepositoryPaths.FunctionsProject)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d) + "/function.json")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void ThePackageIsOneZipOfAtMost80MegabytesWithHostJsonAtItsRoot()
    {
        var zipped = new FileInfo(package.ZipPath).Length;
        using var zip = ZipFile.OpenRead(package.ZipPath);
        var unpacked = zip.Entries.Sum(e => e.Length);
        output.WriteLine($"Package: {zipped:N0} bytes zipped ({zipped / 1048576.0:F1} MiB), {unpacked:N0} bytes unpacked ({unpacked / 1048576.0:F1} MiB), {zip.Entries.Count} files");
        output.WriteLine(package.Output);

        Assert.InRange(zipped, 1, MaxZippedBytes);
        var hostJson = Assert.Single(zip.Entries, e => e.FullName == "host.json");
        using var reader = new StreamReader(hostJson.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")), reader.ReadToEnd());
        Assert.All(zip.Entries, e => Assert.False(e.FullName.StartsWith('/') || e.FullName.Contains('\\', StringComparison.Ordinal) || e.FullName.Contains("..", StringComparison.Ordinal), e.FullName));
    }

    [Fact]
    public void EveryFunctionOfTheProjectHasItsFolderWithItsFunctionJsonAndThereIsNoOther()
    {
        using var zip = ZipFile.OpenRead(package.ZipPath);
        var packaged = zip.Entries.Select(e => e.FullName).Where(n => Regex.IsMatch(n, "^[^/]+/function\\.json$")).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(ProjectFunctionFiles, packaged);
        Assert.All(packaged, f => Assert.Equal(
            File.ReadAllText(Path.Combine(RepositoryPaths.FunctionsProject, f)), File.ReadAllText(Path.Combine(package.Unpacked, f))));
        Assert.Equal(ProjectFunctionFiles.Select(f => f.Split('/')[0]), FunctionManifest.Load(package.Unpacked).Functions.Select(f => f.Name));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheHandlerIsTheSelfContainedReadyToRunExecutableThatHostJsonNamesWithItsExecutableBit()
    {
        var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Unpacked, "host.json"))).RootElement;
        Assert.Equal(DeploymentPackage.ExecutableName, hostJson.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString());

        // In the zip: a regular file made on unix, rwxr-xr-x; and so once unpacked.
        using var zip = ZipFile.OpenRead(package.ZipPath);
        var entry = Assert.Single(zip.Entries, e => e.FullName == DeploymentPackage.ExecutableName);
        var mode = (entry.ExternalAttributes >> 16) & 0xFFFF;
        Assert.Equal(Convert.ToInt32("100755", 8), mode);
        var unpackedMode = File.GetUnixFileMode(package.Executable);
        Assert.True(unpackedMode.HasFlag(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute), unpackedMode.ToString());

        // An ELF executable (linux), with the runtime beside it (self-contained), and the app's code precompiled (ReadyToRun).
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(package.Executable)[..4]);
        Assert.True(File.Exists(Path.Combine(package.Unpacked, "libcoreclr.so")));
        var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Unpacked, DeploymentPackage.ExecutableName + ".runtimeconfig.json"))).RootElement;
        Assert.True(runtimeConfig.GetProperty("runtimeOptions").TryGetProperty("includedFrameworks", out _), "self-contained");
        foreach (var assembly in (string[])["ServerlessInnovation.Functions.dll", "ServerlessInnovation.Domain.dll", "ServerlessInnovation.Storage.dll", "Azure.Core.dll"])
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(package.Unpacked, assembly)));
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, assembly + " is not ReadyToRun");
        }
    }

    [Fact]
    public void ThePagesAreInWwwrootAsInTheProjectAndNothingSecretOrForDebuggingIsPackaged()
    {
        var sourcePages = DeploymentPackage.Files(Path.Combine(RepositoryPaths.FunctionsProject, "wwwroot"));
        var packagedPages = DeploymentPackage.Files(Path.Combine(package.Unpacked, "wwwroot"));
        Assert.Contains("index.html", sourcePages);
        Assert.Equal(sourcePages, packagedPages);
        Assert.All(sourcePages, f => Assert.Equal(
            File.ReadAllBytes(Path.Combine(RepositoryPaths.FunctionsProject, "wwwroot", f)), File.ReadAllBytes(Path.Combine(package.Unpacked, "wwwroot", f))));

        var files = DeploymentPackage.Files(package.Unpacked);
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, f => Path.GetFileName(f) is "appsettings.Development.json" or "local.settings.json" or "bureau-keys.json");
        Assert.DoesNotContain(files, f => f.StartsWith(".azurite/", StringComparison.Ordinal) || f.EndsWith(".user", StringComparison.Ordinal));
        Assert.Equal(["appsettings.json"], files.Where(f => Path.GetFileName(f).StartsWith("appsettings", StringComparison.Ordinal)));
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.FunctionsProject, "appsettings.json")), File.ReadAllText(Path.Combine(package.Unpacked, "appsettings.json")));
    }

    /// <summary>The settings of one handler: storage on the shared emulator under names of its own, and the city bureau's key.</summary>
    private static Dictionary<string, string> Settings(string connectionString, string bureauKey, bool seedCatalog)
    {
        var settings = IsolatedApp.Settings(connectionString);
        settings["Catalog__SeedDemoCatalogWhenEmpty"] = seedCatalog ? "true" : "false";
        settings["Bureaus__KeyHashes__hangzhou"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bureauKey)));
        return settings;
    }

    [Fact]
    public async Task ThePackagedExecutableStartedAsTheHostStartsItAnswersReadinessAndEveryFunction()
    {
        var azurite = await Azurite.Shared;
        var bureauKey = ApiFactory.NewSigningKey();
        var settings = Settings(azurite.ConnectionString, bureauKey, seedCatalog: true);
        await using var handler = await HandlerProcess.StartAsync(settings, package.Executable);
        output.WriteLine($"Packaged handler ready (GET / answered) {handler.TimeToReady.TotalMilliseconds:F0} ms after its start");
        Assert.Contains($"Now listening on: http://127.0.0.1:{handler.Port}", handler.Output, StringComparison.Ordinal);
        await handler.WaitUntilHealthyAsync();

        var functions = FunctionManifest.Load(package.Unpacked).Functions.ToDictionary(f => f.Name);
        var invoked = new List<string>();
        var queues = StorageConnection.Parse(azurite.ConnectionString).GetQueueServiceClient();
        var client = handler.Client;

        // An HTTP function, proxied as the host proxies it: the raw request at the original path, answered as the function.
        async Task<JsonElement> HttpAsync(string function, HttpMethod method, string path, HttpStatusCode? expected, HttpContent? content = null, params (string Name, string Value)[] headers)
        {
            var trigger = functions[function].Trigger;
            Assert.True(trigger.Methods!.Contains(method.Method, StringComparer.OrdinalIgnoreCase), $"{function} takes no {method}");
            Assert.Matches(RoutePattern(trigger.Route!), new Uri("http://x" + path).AbsolutePath);
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            foreach (var (name, value) in headers)
            {
                request.Headers.Add(name, value);
            }
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected is { } status ? response.StatusCode == status : response.IsSuccessStatusCode,
                $"{function}: {method} {path} answered {(int)response.StatusCode}: {body}");
            invoked.Add(function);
            return response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonDocument.Parse(body).RootElement.Clone() : default;
        }

        // A queue or timer function, invoked as the host invokes it: POST /{FunctionName} with {"Data","Metadata"}.
        async Task TriggerAsync(string function, string payload)
        {
            Assert.False(functions[function].IsHttp, function);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            request.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
            request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1037.0.0");
            using var response = await client.SendAsync(request);
            await HostTriggerInvocationTests.AssertSucceededAsync(response);
            invoked.Add(function);
        }

        // The queued messages, delivered as the host delivers them (the app under the host never takes them itself).
        async Task DeliverQueuedAsync(string function, string queueSetting)
        {
            var queue = queues.GetQueueClient(settings[queueSetting]);
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            Assert.NotEmpty(messages);
            foreach (var message in messages)
            {
                await TriggerAsync(function, ProcessApplicationHostTests.HostPayload(message, function: function));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        string TimerPayload(string function) => $$"""
            {
              "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": { "Last": "0001-01-01T00:00:00", "Next": {{JsonSerializer.Serialize(DateTimeOffset.UtcNow.AddMinutes(1))}}, "LastUpdated": {{JsonSerializer.Serialize(DateTimeOffset.UtcNow)}} }, "IsPastDue": false } },
              "Metadata": { "sys": { "MethodName": "{{function}}", "UtcNow": {{JsonSerializer.Serialize(DateTimeOffset.UtcNow)}}, "RandGuid": "{{Guid.NewGuid()}}" } }
            }
            """;

        var bureau = ("X-Bureau-Key", bureauKey);

        await HttpAsync("Pages", HttpMethod.Get, "/", HttpStatusCode.OK);
        await HttpAsync("Health", HttpMethod.Get, "/api/health", HttpStatusCode.OK);
        await HttpAsync("MatchCarriers", HttpMethod.Post, "/api/matches", HttpStatusCode.OK, Json(MatchesApiTests.Profile()));
        var carriers = await HttpAsync("ListCarriers", HttpMethod.Get, "/api/carriers?district=xihu&pageSize=1", HttpStatusCode.OK);
        var carrierId = carriers.GetProperty("items")[0].GetProperty("id").GetString()!;
        await HttpAsync("GetCarrier", HttpMethod.Get, $"/api/carriers/{carrierId}", HttpStatusCode.OK);

        var submitted = await HttpAsync("SubmitApplication", HttpMethod.Post, "/api/applications", HttpStatusCode.Accepted,
            Json(ApplicationsRig.Submission(carrierId)), ("Idempotency-Key", Guid.NewGuid().ToString()));
        var applicationId = submitted.GetProperty("id").GetString()!;
        var token = ("X-Application-Token", submitted.GetProperty("accessToken").GetString()!);
        await DeliverQueuedAsync("ProcessApplication", "ApplicationsQueue");
        await HttpAsync("GetApplication", HttpMethod.Get, $"/api/applications/{applicationId}", HttpStatusCode.OK, null, token);
        await HttpAsync("ListCarrierApplications", HttpMethod.Get, $"/api/bureau/carriers/{carrierId}/applications", HttpStatusCode.OK, null, bureau);
        await HttpAsync("WithdrawApplication", HttpMethod.Post, $"/api/applications/{applicationId}/withdraw", null, null, token);
        await TriggerAsync("SweepApplications", TimerPayload("SweepApplications"));

        await HttpAsync("GetSignedInBureau", HttpMethod.Get, "/api/bureau/me", HttpStatusCode.OK, null, bureau);
        await HttpAsync("GetCatalogTemplate", HttpMethod.Get, "/api/bureau/templates/catalog.csv", HttpStatusCode.OK, null, bureau);
        var csv = CatalogFiles.Csv(Encoding.UTF8, [CatalogFiles.Header, CatalogFiles.Incubator("xihu-package-1", "打包测试孵化器")]);
        var uploaded = await HttpAsync("UploadDocument", HttpMethod.Post, "/api/bureau/documents?kind=catalog&fileName=catalog.csv", null, Bytes(csv, "text/csv"), bureau);
        var otherCsv = CatalogFiles.Csv(Encoding.UTF8, [CatalogFiles.Header, CatalogFiles.Incubator("xihu-package-2", "打包测试孵化器二")]);
        var upload = await HttpAsync("RequestDocumentUpload", HttpMethod.Post, "/api/bureau/documents/upload-url", HttpStatusCode.Created,
            Json(new JsonObject { ["kind"] = "catalog", ["fileName"] = "catalog.csv", ["contentType"] = "text/csv", ["size"] = otherCsv.Length }), bureau);
        using (var storage = new HttpClient(azurite.CreateHandler()))
        using (var put = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("uploadUrl").GetString()) { Content = Bytes(otherCsv, "text/csv") })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            using var stored = await storage.SendAsync(put);
            Assert.True(stored.IsSuccessStatusCode, stored.StatusCode.ToString());
        }
        await HttpAsync("CompleteDocumentUpload", HttpMethod.Post, upload.GetProperty("completeUrl").GetString()!, null, null, bureau);
        await DeliverQueuedAsync("IngestDocument", "DocumentsQueue");
        await HttpAsync("ListDocuments", HttpMethod.Get, "/api/bureau/documents", HttpStatusCode.OK, null, bureau);
        var document = await HttpAsync("GetDocument", HttpMethod.Get, $"/api/bureau/documents/{uploaded.GetProperty("id").GetString()}", HttpStatusCode.OK, null, bureau);
        Assert.Equal("ingested", document.GetProperty("status").GetString());

        await TriggerAsync("RefreshStatistics", TimerPayload("RefreshStatistics"));
        await HttpAsync("GetStatistics", HttpMethod.Get, "/api/statistics/latest", HttpStatusCode.OK);
        await HttpAsync("GetStatisticsDetail", HttpMethod.Get, "/api/bureau/statistics/latest", HttpStatusCode.OK, null, bureau);
        await HttpAsync("GetStatisticsFile", HttpMethod.Get, "/api/bureau/statistics/latest/statistics.csv", HttpStatusCode.OK, null, bureau);

        // Every function of the package was invoked: a new function fails here until it has its case above.
        Assert.Equal(functions.Keys.Order(StringComparer.Ordinal), invoked.Distinct().Order(StringComparer.Ordinal));
        Assert.False(handler.HasExited, handler.Output);
        Assert.DoesNotContain(bureauKey, handler.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheColdStartOfThePackagedExecutableIsMeasuredBesideTheFrameworkDependentBuild()
    {
        // No timed assertion (timings depend on the machine): the medians and their ratio go to the test output, and the
        // benchmark "coldstart" measures them properly. Asserted: each start answers readiness within the host's 30 s.
        const int Starts = 5;
        var azurite = await Azurite.Shared;
        var packaged = new List<double>();
        var frameworkDependent = new List<double>();
        for (var i = 0; i < Starts; i++)
        {
            foreach (var (executable, times) in new[] { (package.Executable, packaged), ((string?)null, frameworkDependent) })
            {
                await using var handler = await HandlerProcess.StartAsync(Settings(azurite.ConnectionString, ApiFactory.NewSigningKey(), seedCatalog: false), executable);
                Assert.True(handler.TimeToReady < TimeSpan.FromSeconds(30), handler.Output);
                times.Add(handler.TimeToReady.TotalMilliseconds);
            }
        }
        var packagedMedian = Median(packaged);
        var baselineMedian = Median(frameworkDependent);
        output.WriteLine($"Cold start, process start to the first answer to GET /, median of {Starts}:");
        output.WriteLine($"  packaged (self-contained, composite ReadyToRun): {packagedMedian:F0} ms  [{string.Join(", ", packaged.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}]");
        output.WriteLine($"  dotnet ServerlessInnovation.Functions.dll (build output): {baselineMedian:F0} ms  [{string.Join(", ", frameworkDependent.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}]");
        output.WriteLine($"  ratio packaged / dotnet dll: {packagedMedian / baselineMedian:F2}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A function.json route as a pattern of paths: <c>{name}</c> one segment, <c>{*name}</c> the rest.</summary>
    private static string RoutePattern(string route) =>
        "^/" + Regex.Replace(Regex.Escape(route), @"\\\{\\\*[^}]+}|\\\{[^}]+}", m => m.Value.StartsWith(@"\{\*", StringComparison.Ordinal) ? ".*" : "[^/]+") + "$";

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}
