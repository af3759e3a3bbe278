using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Tests.Documents;
using static Microsoft.Playwright.Assertions;

namespace ServerlessInnovation.Tests.Pages;

/// <summary>
/// The app for the bureau pages: uploads go from the browser straight to the emulator (CORS for the app's own origin), and
/// the statistics are computed every 5 seconds instead of nightly.
/// </summary>
public sealed class BureauBrowserApp() : BrowserApp(new Dictionary<string, string>
{
    ["RefreshStatisticsSchedule"] = "*/5 * * * * *",
}, allowBrowserUploads: true);

/// <summary>The bureau pages at <c>/bureau/</c> in Chromium, as a bureau's staff use them.</summary>
public sealed class BureauPagesTests(BureauBrowserApp app) : IClassFixture<BureauBrowserApp>
{
    private static readonly TimeSpan Ingestion = TimeSpan.FromSeconds(30);

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("科技局 API 密钥").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "上传载体名录" })).ToBeVisibleAsync();
    }

    private static Task UploadAsync(IPage page, string fileName, byte[] content, string mimeType = "text/csv") =>
        UploadThenAsync(page, new FilePayload { Name = fileName, MimeType = mimeType, Buffer = content });

    private static async Task UploadThenAsync(IPage page, FilePayload file)
    {
        await page.GetByLabel("名录文件（CSV 或 XLSX）").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
    }

    private static ILocator DocumentRow(IPage page, string fileName) =>
        page.Locator("#documents-body tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader).Filter(new() { HasText = fileName }) });

    private async Task<JsonElement?> StatisticsAsync(string bureau, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/bureau/statistics/latest?scope={scope}", UriKind.Relative));
        request.Headers.Add("X-Bureau-Key", app.BureauKeys[bureau]);
        using var response = await app.App.Client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
    }

    private async Task<double?> CarriersInStatisticsAsync(string bureau, string scope) =>
        await StatisticsAsync(bureau, scope) is { } view
            ? view.GetProperty("scopes")[0].GetProperty("indicators").EnumerateArray()
                .First(i => i.GetProperty("code").GetString() == "carriers").GetProperty("value").GetDouble()
            : null;

    /// <summary>Polls until <paramref name="condition"/> holds (the server's own pace: ingestion, catalog refresh, the statistics timer).</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {within.TotalSeconds} s: {what}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task ABureauSignsInUploadsACatalogReadsTheReportAndSeesTheNewCarrierInTheStatistics()
    {
        var newId = "xihu-e2e" + Random.Shared.Next(100, 999);
        var refusedId = "xihu-e2e" + Random.Shared.Next(1000, 9999);
        var csv = CatalogFiles.Csv(new UTF8Encoding(false),
        [
            CatalogFiles.Incubator(newId, "西湖端到端测试孵化器"),
            CatalogFiles.Incubator(refusedId, "越界孵化器", district: "滨江区"),
        ]);
        var xihuCarriers = DemoCatalog.Hangzhou().Carriers.Count(c => c.DistrictCode == "xihu");
        await using var browser = await app.OpenAsync("/bureau/");
        var page = browser.Page;

        await Expect(page.GetByLabel("科技局 API 密钥")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("bureau-signin");
        await SignInAsync(page, app.BureauKeys["xihu"]);
        await Expect(page.Locator("#who")).ToContainTextAsync("西湖区科学技术局");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出", Exact = true })).ToBeVisibleAsync();
        Assert.Equal(app.BureauKeys["xihu"], await page.EvaluateAsync<string>("() => sessionStorage.getItem('yjrf-bureau-key')"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('yjrf-bureau-key')"));
        await browser.ScreenshotAsync("bureau-signed-in");

        var template = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "下载 XLSX 模板" }).ClickAsync());
        Assert.Equal("catalog.xlsx", template.SuggestedFilename);

        // Upload through the page: upload URL, PUT to the emulator with progress, complete; then ingestion.
        await UploadAsync(page, "西湖区载体名录.csv", csv);
        await Expect(page.Locator("#upload-percent")).ToHaveTextAsync("100%");
        await Expect(page.Locator("#upload-bar")).ToHaveJSPropertyAsync("value", 100);
        var row = DocumentRow(page, "西湖区载体名录.csv");
        await Expect(row).ToContainTextAsync("已导入", new() { Timeout = (float)Ingestion.TotalMilliseconds });
        await Expect(row).ToContainTextAsync("导入 1 · 未通过 1");
        await row.ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("bureau-documents");

        // The report, read from Blob storage through its download URL: counts, and the refused row with its reason.
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^查看报告") }).ClickAsync();
        var report = page.Locator("#report");
        await Expect(report.Locator(".counts div").Filter(new() { HasText = "数据行" }).Locator("dd")).ToHaveTextAsync("2");
        await Expect(report.Locator(".counts div").Filter(new() { HasText = "已导入" }).Locator("dd")).ToHaveTextAsync("1");
        await Expect(report.Locator(".counts div").Filter(new() { HasText = "未通过" }).Locator("dd")).ToHaveTextAsync("1");
        await Expect(report.GetByRole(AriaRole.Table, new() { Name = "未通过的行" })).ToContainTextAsync("该区县不在西湖区科学技术局的管辖范围内");
        await Expect(report.GetByRole(AriaRole.Rowheader, new() { Name = "3", Exact = true })).ToBeVisibleAsync();
        await report.ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("bureau-report");

        // The catalog changed: the new carrier is served (the catalog refreshes every 0.5 s here).
        await EventuallyAsync(async () =>
        {
            using var carrier = await app.App.Client.GetAsync(new Uri($"/api/carriers/{newId}", UriKind.Relative));
            return carrier.StatusCode == HttpStatusCode.OK && (await carrier.Content.ReadAsStringAsync()).Contains("西湖端到端测试孵化器", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10), $"GET /api/carriers/{newId}");
        using (var missing = await app.App.Client.GetAsync(new Uri($"/api/carriers/{refusedId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // The statistics, computed every 5 s here, count it; the dashboard shows the charts and the indicators.
        await EventuallyAsync(async () => await CarriersInStatisticsAsync("xihu", "xihu") == xihuCarriers + 1, TimeSpan.FromSeconds(20),
            $"the statistics counting {xihuCarriers + 1} carriers in Xihu");
        await page.GetByRole(AriaRole.Button, new() { Name = "刷新统计" }).ClickAsync();
        var carriers = page.Locator("#indicators-body tr[data-code='carriers']");
        await Expect(carriers.GetByRole(AriaRole.Rowheader)).ToHaveTextAsync("孵化载体总数", new() { UseInnerText = true });
        await Expect(carriers.Locator("td").First).ToHaveTextAsync(new Regex($"^{xihuCarriers + 1}\\s*个$"), new() { UseInnerText = true });
        await Expect(page.Locator("#indicators-caption")).ToContainTextAsync("西湖区");
        await Expect(page.Locator("#charts img")).ToHaveCountAsync(4);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#charts img')].every(i => i.complete && i.naturalWidth > 0)");
        foreach (var alt in await page.Locator("#charts img").EvaluateAllAsync<string[]>("images => images.map(i => i.alt)"))
        {
            Assert.Matches(@"^\S.*（\d{4}-\d{2}-\d{2}）：.+\d", alt);
        }
        await Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("^各区县孵化载体数量") })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "下载统计表（CSV）" })).ToBeEnabledAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "下载统计表（CSV）" }).ClickAsync());
        Assert.EndsWith("-statistics.csv", download.SuggestedFilename, StringComparison.Ordinal);
        await page.Locator("#statistics").ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("bureau-statistics");

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task AWrongKeyIsRefusedAtTheFormInChineseThenEnglishAndNothingIsKept()
    {
        await using var browser = await app.OpenAsync("/bureau/");
        var page = browser.Page;

        await page.GetByLabel("科技局 API 密钥").FillAsync("not-the-bureau-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        var error = page.Locator("#signin-error");
        await Expect(error).ToContainTextAsync("科技局身份凭证无效");
        await Expect(error).ToContainTextAsync("所提供的 API 密钥或登录身份不对应任何科技局");
        await Expect(page.GetByLabel("科技局 API 密钥")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('yjrf-bureau-key')"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('yjrf-bureau-key')"));
        await Expect(page.Locator("#workspace")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "使用统一身份认证登录" })).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page).ToHaveTitleAsync("One-click incubation · Bureau workspace");
        await Expect(error).ToContainTextAsync("The bureau credentials are not valid");
        await Expect(page.GetByLabel("Bureau API key")).ToBeVisibleAsync();
        Assert.DoesNotContain("科技局身份凭证无效", await error.InnerTextAsync(), StringComparison.Ordinal);

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task AFileWhoseBytesAreNotTheDeclaredTypeIsRejectedWithTheReason()
    {
        await using var browser = await app.OpenAsync("/bureau/");
        var page = browser.Page;
        await SignInAsync(page, app.BureauKeys["xihu"]);

        await UploadAsync(page, "其实是PDF.csv", Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"));

        var error = page.Locator("#upload-error");
        await Expect(error).ToContainTextAsync("文件未通过检查");
        await Expect(error).ToContainTextAsync("文件内容是 PDF，与声明的类型 text/csv 不符");
        await Expect(DocumentRow(page, "其实是PDF.csv")).ToContainTextAsync("文件未通过检查");

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task KeyboardAloneSignsInWithVisibleFocusAndNothingOverflowsAtPhoneOrDesktopWidth()
    {
        await using var browser = await app.OpenAsync("/bureau/");
        var page = browser.Page;
        await Expect(page.GetByLabel("科技局 API 密钥")).ToBeVisibleAsync();

        var stops = new List<string>();
        for (var i = 0; i < 6 && await page.EvaluateAsync<string>("() => document.activeElement.id") != "bureau-key"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            stops.Add(await page.EvaluateAsync<string>("() => document.activeElement.outerHTML.slice(0, 60)"));
        }
        Assert.True(await page.EvaluateAsync<string>("() => document.activeElement.id") == "bureau-key", "Tab stops: " + string.Join(" | ", stops));
        Assert.True(stops.Count <= 3, "The key field should be among the first Tab stops: " + string.Join(" | ", stops));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.TypeAsync(app.BureauKeys["xihu"]);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#who")).ToContainTextAsync("西湖区科学技术局");
        await Expect(page.Locator("#main")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "上传名录" })).ToBeFocusedAsync();
        await Expect(page.Locator("#indicators, #statistics-message .alert")).Not.ToHaveCountAsync(0);

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "horizontal overflow at 360 px");
        await page.SetViewportSizeAsync(1280, 800);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "horizontal overflow at 1280 px");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await page.SetViewportSizeAsync(360, 640);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "horizontal overflow at 360 px in English");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByLabel("Bureau API key")).ToBeFocusedAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('yjrf-bureau-key')"));

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task HostileTextInACatalogIsShownAsTextAndNothingIsInjected()
    {
        const string Hostile = "<img src=x onerror=alert(1)>";
        var id = "binjiang-x" + Random.Shared.Next(100, 999);
        var badType = CatalogFiles.Incubator("binjiang-y" + Random.Shared.Next(100, 999), "正常名称", district: "滨江区");
        badType[2] = "<img src=x onerror=alert(2)>";
        var csv = CatalogFiles.Csv(new UTF8Encoding(false), [CatalogFiles.Incubator(id, Hostile, district: "滨江区"), badType]);
        await using var browser = await app.OpenAsync("/bureau/");
        var page = browser.Page;
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await SignInAsync(page, app.BureauKeys["hangzhou"]);

        await UploadAsync(page, Hostile + ".csv", csv);

        var row = DocumentRow(page, Hostile + ".csv");
        await Expect(row).ToContainTextAsync("已导入", new() { Timeout = (float)Ingestion.TotalMilliseconds });
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^查看报告") }).ClickAsync();
        await Expect(page.Locator("#report table.refused")).ToContainTextAsync("<img src=x onerror=alert(2)>");
        await Expect(page.Locator("#report")).ToContainTextAsync(Hostile + ".csv");
        await EventuallyAsync(async () =>
        {
            using var carrier = await app.App.Client.GetAsync(new Uri($"/api/carriers/{id}", UriKind.Relative));
            return carrier.StatusCode == HttpStatusCode.OK &&
                   JsonDocument.Parse(await carrier.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString() == Hostile;
        }, TimeSpan.FromSeconds(10), $"GET /api/carriers/{id} named {Hostile}");

        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.Equal(0, await page.Locator("#documents-body img, #report img").CountAsync());
        Assert.Equal(0, dialogs);
        browser.AssertNoErrors();
    }
}

/// <summary>The bureau pages before the first night's statistics (the nightly schedule, which has not run).</summary>
public sealed class BureauPagesBeforeStatisticsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task TheDashboardSaysThereAreNoStatisticsYetInEitherLanguage()
    {
        await using var browser = await app.OpenAsync("/bureau/", 1280, 800);
        var page = browser.Page;
        await page.GetByLabel("科技局 API 密钥").FillAsync(app.BureauKeys["hangzhou"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        var message = page.Locator("#statistics-message");
        await Expect(message).ToContainTextAsync("尚无统计数据");
        await Expect(page.Locator("#indicators")).ToBeHiddenAsync();
        await Expect(page.Locator("#charts img")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "下载统计表（CSV）" })).ToBeDisabledAsync();
        await Expect(page.GetByLabel("范围").Locator("option")).ToHaveCountAsync(14);

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(message).ToContainTextAsync("No statistics yet");
        await Expect(page.GetByLabel("Scope").Locator("option").First).ToHaveTextAsync("Whole city");

        browser.AssertNoErrors();
    }
}

/// <summary>The app as if App Service Authentication ran in front of it (<c>WEBSITE_AUTH_ENABLED=True</c>).</summary>
public sealed class EasyAuthBrowserApp() : BrowserApp(new Dictionary<string, string> { ["WEBSITE_AUTH_ENABLED"] = "True" });

/// <summary>The bureau pages behind App Service Authentication: the Entra sign-in offered, a signed-in user named, sign-out through the platform.</summary>
public sealed class BureauPagesBehindAppServiceAuthenticationTests(EasyAuthBrowserApp app) : IClassFixture<EasyAuthBrowserApp>
{
    [Fact]
    public async Task WithoutASessionThePageOffersTheEntraSignInBesideTheKeyForm()
    {
        await using var browser = await app.OpenAsync("/bureau/");
        var page = browser.Page;

        var link = page.GetByRole(AriaRole.Link, new() { Name = "使用统一身份认证登录" });
        await Expect(link).ToBeVisibleAsync();
        await Expect(link).ToHaveAttributeAsync("href", "/.auth/login/aad?post_login_redirect_uri=/bureau/");
        await Expect(page.GetByLabel("科技局 API 密钥")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft Entra" })).ToBeVisibleAsync();

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task ASignedInUserIsNamedAndSignsOutThroughThePlatform()
    {
        await using var browser = await app.OpenAsync("/bureau/");
        var page = browser.Page;
        // What the platform adds to every request of a signed-in user.
        var principal = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","claims":[{"typ":"name","val":"王小明"},{"typ":"roles","val":"bureau"},{"typ":"jurisdiction","val":"binjiang"}]}"""));
        await page.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL"] = principal });
        await page.ReloadAsync();

        await Expect(page.Locator("#who")).ToContainTextAsync("滨江区科学技术局");
        await Expect(page.Locator("#who")).ToContainTextAsync("王小明");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "退出登录" })).ToHaveAttributeAsync("href", "/.auth/logout?post_logout_redirect_uri=/bureau/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出", Exact = true })).ToBeHiddenAsync();
        await Expect(page.GetByLabel("科技局 API 密钥")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("范围").Locator("option")).ToHaveTextAsync(["滨江区"]);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('yjrf-bureau-key')"));

        browser.AssertNoErrors();
    }
}
