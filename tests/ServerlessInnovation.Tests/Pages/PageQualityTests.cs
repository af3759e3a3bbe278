using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ServerlessInnovation.Tests.Pages;

/// <summary>
/// What every page must meet: weight of HTML, CSS, JS and fonts ≤ 150 KB (images aside), first contentful paint on
/// loopback ≤ 1 s, and the WCAG 2.1 AA basics a machine can check: language, one h1, landmarks, a name for every control
/// and image, text contrast ≥ 4.5:1 (3:1 for large text), a visible focus indicator, nothing reachable by Tab that is hidden.
/// </summary>
public sealed class PageQualityTests(BrowserApp app, ITestOutputHelper output) : IClassFixture<BrowserApp>
{
    private const int MaxPageBytes = 150 * 1024;

    public static TheoryData<string> Pages => new() { "/", "/bureau/" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PageWeighsAtMost150KilobytesBeforeImages(string path)
    {
        await using var browser = await app.OpenBlankAsync();
        var sizes = new List<(string Url, string Type, int Bytes)>();
        var pending = new List<Task>();
        browser.Page.Response += (_, response) =>
        {
            var type = response.Request.ResourceType;
            if (type is "document" or "stylesheet" or "script" or "font")
            {
                pending.Add(Task.Run(async () =>
                {
                    var body = await response.BodyAsync();
                    lock (sizes)
                    {
                        sizes.Add((response.Url, type, body.Length));
                    }
                }));
            }
        };

        await browser.Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await Task.WhenAll(pending);

        var total = sizes.Sum(s => s.Bytes);
        foreach (var (url, type, bytes) in sizes.OrderByDescending(s => s.Bytes))
        {
            output.WriteLine($"{bytes,8:N0} B  {type,-10} {url}");
        }
        output.WriteLine($"{total,8:N0} B  total for {path}");
        Assert.Contains(sizes, s => s.Type == "document");
        Assert.Contains(sizes, s => s.Type == "script");
        Assert.Contains(sizes, s => s.Type == "stylesheet");
        Assert.InRange(total, 1, MaxPageBytes);
        browser.AssertNoErrors();
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task FirstContentfulPaintOnLoopbackIsWithinOneSecond(string path)
    {
        // The server is warm (it has answered its health check); the browser context is fresh, so nothing is cached.
        await using var browser = await app.OpenBlankAsync();
        await browser.Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        var paint = await browser.Page.EvaluateAsync<double>("""
            () => new Promise(resolve => {
              const find = () => performance.getEntriesByName('first-contentful-paint')[0];
              const entry = find();
              if (entry) return resolve(entry.startTime);
              new PerformanceObserver(list => { const e = find(); if (e) resolve(e.startTime); }).observe({ type: 'paint', buffered: true });
            })
            """);

        output.WriteLine($"first contentful paint of {path}: {paint.ToString("F0", CultureInfo.InvariantCulture)} ms");
        Assert.InRange(paint, 1, 1000);
        browser.AssertNoErrors();
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PageMeetsTheMachineCheckableAccessibilityBasics(string path)
    {
        await using var browser = await app.OpenAsync(path);
        await browser.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var problems = await FindAccessibilityProblemsAsync(browser.Page);

        Assert.True(problems.Count == 0, "Accessibility problems on " + path + ":\n" + string.Join('\n', problems));
        browser.AssertNoErrors();
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task EveryElementReachedByTabShowsWhereFocusIs(string path)
    {
        await using var browser = await app.OpenAsync(path, 1280, 800);
        await browser.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var seen = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await browser.Page.Keyboard.PressAsync("Tab");
            var focused = await browser.Page.EvaluateAsync<JsonElement>("""
                () => {
                  const e = document.activeElement;
                  if (!e || e === document.body) return null;
                  const style = getComputedStyle(e);
                  const box = e.getBoundingClientRect();
                  return {
                    what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 30),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                    shadow: style.boxShadow !== 'none',
                    visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
                  };
                }
                """);
            if (focused.ValueKind == JsonValueKind.Null)
            {
                break;
            }
            var what = focused.GetProperty("what").GetString()!;
            Assert.True(focused.GetProperty("visible").GetBoolean(), $"Tab reached {what}, which cannot be seen");
            Assert.True(focused.GetProperty("outline").GetBoolean() || focused.GetProperty("shadow").GetBoolean(),
                $"Tab reached {what} without a visible focus indicator");
            if (seen.Contains(what))
            {
                break;
            }
            seen.Add(what);
        }

        output.WriteLine("Tab order on " + path + ":\n" + string.Join('\n', seen));
        Assert.True(seen.Count >= 2, "Tab reaches fewer than two controls on " + path);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task TheAccessibilityCheckFindsWhatItLooksFor()
    {
        await using var browser = await app.OpenBlankAsync();
        await browser.Page.SetContentAsync("""
            <html lang="fr"><body><h1>Un</h1><h1>Deux</h1>
            <input id="nameless"><p class="faint" style="color:#aaaaaa">浅灰色文字</p><img src="data:," id="pic">
            <button id="empty"></button></body></html>
            """);

        var problems = string.Join('\n', await FindAccessibilityProblemsAsync(browser.Page));

        Assert.Contains("html lang is \"fr\"", problems, StringComparison.Ordinal);
        Assert.Contains("no title", problems, StringComparison.Ordinal);
        Assert.Contains("2 h1 elements", problems, StringComparison.Ordinal);
        Assert.Contains("no main landmark", problems, StringComparison.Ordinal);
        Assert.Contains("input#nameless has no accessible name", problems, StringComparison.Ordinal);
        Assert.Contains("img#pic has no alt", problems, StringComparison.Ordinal);
        Assert.Contains("p.faint \"浅灰色文字\" contrast 2.32 < 4.5", problems, StringComparison.Ordinal);
    }

    /// <summary>Checks the page as it is now; returns one line per problem.</summary>
    public static async Task<IReadOnlyList<string>> FindAccessibilityProblemsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            () => {
              const problems = [];
              // checkVisibility also sees what a closed <details> hides (its content keeps a layout box there).
              const visible = e => { const b = e.getBoundingClientRect();
                return e.checkVisibility({ visibilityProperty: true }) && b.width > 0 && b.height > 0; };
              const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ')[0] : '');
              const lang = document.documentElement.lang;
              if (!['zh-CN', 'en'].includes(lang)) problems.push('html lang is "' + lang + '"');
              if (!document.title.trim()) problems.push('no title');
              if (document.querySelectorAll('h1').length !== 1) problems.push(document.querySelectorAll('h1').length + ' h1 elements');
              if (!document.querySelector('main')) problems.push('no main landmark');
              for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')) {
                if (!visible(control)) continue;
                const name = (control.labels && [...control.labels].map(l => l.innerText).join(' ').trim())
                  || control.getAttribute('aria-label') || (control.getAttribute('aria-labelledby') || '').split(' ')
                    .map(id => document.getElementById(id)?.innerText ?? '').join(' ').trim()
                  || (['button', 'a'].includes(control.tagName.toLowerCase()) ? control.innerText.trim() : '')
                  || control.getAttribute('title');
                if (!name) problems.push(describe(control) + ' has no accessible name');
              }
              for (const image of document.querySelectorAll('img')) {
                if (!image.hasAttribute('alt')) problems.push(describe(image) + ' has no alt');
              }
              const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
                return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
              const luminance = ({ r, g, b }) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
              const background = e => { for (let n = e; n; n = n.parentElement) { const c = parse(getComputedStyle(n).backgroundColor);
                if (c && c.a > 0.9) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              const checked = new Set();
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const e = node.parentElement;
                if (!node.textContent.trim() || !e || checked.has(e) || !visible(e)) continue;
                checked.add(e);
                const style = getComputedStyle(e);
                const fg = parse(style.color); if (!fg) continue;
                const bg = background(e);
                const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
                const ratio = (hi + 0.05) / (lo + 0.05);
                const size = parseFloat(style.fontSize); const bold = parseInt(style.fontWeight, 10) >= 700;
                const large = size >= 24 || (bold && size >= 18.66);
                const needed = large ? 3 : 4.5;
                if (ratio < needed && !(e.disabled || e.closest('[disabled]'))) problems.push(describe(e) + ' "' + node.textContent.trim().slice(0, 20) + '" contrast ' + ratio.toFixed(2) + ' < ' + needed);
              }
              return problems;
            }
            """);
}
