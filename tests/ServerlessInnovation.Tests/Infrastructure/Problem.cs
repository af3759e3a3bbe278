using System.Net;
using System.Text.Json;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>Assertions on RFC 9457 answers: status, media type, code, both languages, and no internals leaked.</summary>
internal static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return AssertBody(body, (int)status, code);
    }

    public static JsonElement AssertBody(string body, int status, string code)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal("urn:serverless-innovation:problem:" + code, json.GetProperty("type").GetString());
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.True(ContainsChinese(json.GetProperty("title").GetString()), "title should be Chinese");
        Assert.True(ContainsChinese(json.GetProperty("detail").GetString()), "detail should be Chinese");
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("titleEn").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detailEn").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("traceId").GetString()));
        return json;
    }

    /// <summary>The first error reported for <paramref name="field"/>, checked to carry a code and both languages.</summary>
    public static JsonElement FieldError(JsonElement problem, string field, string code)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors), "problem has no errors: " + problem);
        Assert.True(errors.TryGetProperty(field, out var list), $"no error for '{field}': {errors}");
        var error = list.EnumerateArray().FirstOrDefault(e => e.GetProperty("code").GetString() == code);
        Assert.True(error.ValueKind == JsonValueKind.Object, $"no '{code}' error for '{field}': {list}");
        Assert.True(ContainsChinese(error.GetProperty("zh").GetString()), "zh message should be Chinese");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("en").GetString()));
        return error;
    }

    public static bool ContainsChinese(string? text) => text is not null && text.Any(c => c is >= '\u4e00' and <= '\u9fff');
}
