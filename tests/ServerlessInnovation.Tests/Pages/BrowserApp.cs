using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Pages;

/// <summary>
/// The app as users meet it: the built handler running standalone (its own queue listeners and timers) on the shared
/// Azurite with its own tables, queues and containers and the demo catalog, and Debian's Chromium driven by Playwright.
/// One per test class; the browser is shared by the whole run.
/// </summary>
public class BrowserApp : IAsyncLifetime
{
    /// <summary>Debian's Chromium, installed by <c>.ci/run</c>; <c>CHROMIUM_PATH</c> points elsewhere.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    /// <summary>Where the screenshots go (a CI artifact): <c>tests/TestResults/screenshots</c>.</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryPaths.Root, "tests", "TestResults", "screenshots");

    private static readonly Lazy<Task<IBrowser>> SharedBrowser = new(LaunchAsync);

    private readonly Dictionary<string, string> _settings;
    private readonly bool _allowBrowserUploads;

    public BrowserApp() : this(new Dictionary<string, string>())
    {
    }

    /// <summary>
    /// An app with extra or overriding settings (environment variable names: <c>Section__Key</c>), for a fixture deriving from
    /// this one; with <paramref name="allowBrowserUploads"/>, the app sets the Blob service's CORS rule for its own origin
    /// (<c>Documents__BrowserUploadOrigins</c>), so its pages can upload to and read from the emulator.
    /// </summary>
    protected BrowserApp(IReadOnlyDictionary<string, string> settings, bool allowBrowserUploads = false)
    {
        _settings = new(settings);
        _allowBrowserUploads = allowBrowserUploads;
    }

    public HandlerProcess App { get; private set; } = null!;
    public Azurite Storage { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress => App.Client.BaseAddress!;

    /// <summary>The app's port, chosen before it starts so that its settings can name its origin.</summary>
    public int Port { get; } = HandlerProcess.FreePort();

    /// <summary>The origin the browser sees the app at.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>Each bureau's API key for this app (the app has only their SHA-256 hashes).</summary>
    public IReadOnlyDictionary<string, string> BureauKeys { get; } = Bureau.All.ToDictionary(b => b.Code, _ => ApiFactory.NewSigningKey());

    public string DocumentsContainer { get; } = Azurite.UniqueName("documents");
    public string CarrierTable { get; } = Azurite.UniqueName("carriers");

    public async Task InitializeAsync()
    {
        Storage = await Azurite.Shared;
        var environment = IsolatedApp.Settings(Storage.ConnectionString);
        environment["DOTNET_ENVIRONMENT"] = "Development";
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["Catalog__CarrierTable"] = CarrierTable;
        environment["Catalog__SeedDemoCatalogWhenEmpty"] = "true";
        environment["Catalog__RefreshInterval"] = "00:00:00.500";
        environment["Documents__Container"] = DocumentsContainer;
        foreach (var (bureau, key) in BureauKeys)
        {
            environment[$"Bureaus__KeyHashes__{bureau}"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }
        if (_allowBrowserUploads)
        {
            environment["Documents__BrowserUploadOrigins__0"] = Origin;
        }
        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }
        App = await HandlerProcess.StartStandaloneAsync(environment, Port);
        await App.WaitUntilHealthyAsync();
        Browser = await SharedBrowser.Value;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>
    /// A fresh browser context (own storage, cookies) on <paramref name="path"/>, at 360×640 like a phone unless a viewport
    /// is given, recording console errors and uncaught exceptions.
    /// </summary>
    public async Task<BrowserPage> OpenAsync(string path, int width = 360, int height = 640)
    {
        var opened = await OpenBlankAsync(width, height);
        await opened.Page.GotoAsync(path);
        return opened;
    }

    /// <summary>A fresh browser context with a blank page, for tests that must watch the first navigation.</summary>
    public async Task<BrowserPage> OpenBlankAsync(int width = 360, int height = 640)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        return new BrowserPage(context, await context.NewPageAsync());
    }

    private static async Task<IBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI containers: Chromium's sandbox needs user namespaces it does not get there.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }
}

/// <summary>One page in its own browser context, with what it logged as errors.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _apiClientErrors = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && IsApiClientError(message))
            {
                lock (_errors)
                {
                    _apiClientErrors.Add(message.Location);
                }
            }
            else if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add("console: " + message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add("uncaught: " + error);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Console errors, uncaught exceptions and CSP violations so far (CSP violations are console errors).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>
    /// API calls answered with a 4xx problem (validation, not found), which Chromium logs as "Failed to load resource"
    /// although the page handles them: not <see cref="Errors"/>, listed here by URL for tests that expect them.
    /// </summary>
    public IReadOnlyList<string> ApiClientErrors
    {
        get
        {
            lock (_errors)
            {
                return [.. _apiClientErrors];
            }
        }
    }

    private static bool IsApiClientError(IConsoleMessage message) =>
        message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)
        && Uri.TryCreate(message.Location, UriKind.Absolute, out var url) && url.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal);

    /// <summary>Fails the test if the page logged any error.</summary>
    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "The page logged errors:\n" + string.Join('\n', Errors));

    /// <summary>Saves the viewport as <c>{name}.png</c> in <see cref="BrowserApp.ScreenshotDirectory"/> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(BrowserApp.ScreenshotDirectory);
        var path = Path.Combine(BrowserApp.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 1000, "The screenshot " + path + " is empty.");
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
