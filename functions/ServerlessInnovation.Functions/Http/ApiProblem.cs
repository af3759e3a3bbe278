using System.Text.Json;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Http;

/// <summary>What is wrong with one field of a request, in zh-CN and en.</summary>
/// <param name="Field">Path of the field in the request (<c>space.areaM2</c>, <c>wantedServices[2]</c>), or <c>$</c> for the whole body.</param>
public sealed record FieldError(string Field, string Code, LocalizedText Message);

/// <summary>
/// An RFC 9457 problem (<c>application/problem+json</c>). <c>title</c> and <c>detail</c> are Simplified Chinese,
/// with English in the <c>titleEn</c> and <c>detailEn</c> extension members; field errors carry both languages.
/// </summary>
public sealed class ApiProblem(int status, string code, LocalizedText title, LocalizedText detail) : IResult
{
    public const string ContentType = "application/problem+json";
    public const string TypePrefix = "urn:serverless-innovation:problem:";

    public int Status { get; } = status;
    public string Code { get; } = code;
    public LocalizedText Title { get; } = title;
    public LocalizedText Detail { get; } = detail;
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>Seconds after which a retry may succeed (sent as <c>Retry-After</c>).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Methods the resource does allow (sent as <c>Allow</c> with a 405).</summary>
    public string? Allow { get; init; }

    /// <summary>How to authenticate (sent as <c>WWW-Authenticate</c> with a 401).</summary>
    public string? Authenticate { get; init; }

    /// <summary>Where a person can sign in instead (the <c>signInUrl</c> extension member of a 401).</summary>
    public string? SignInUrl { get; init; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Allow is not null)
        {
            response.Headers.Allow = Allow;
        }
        if (Authenticate is not null)
        {
            response.Headers.WWWAuthenticate = Authenticate;
        }
        await using var writer = new Utf8JsonWriter(response.Body, new JsonWriterOptions { Encoder = ApiJsonContext.Encoder });
        Write(writer, httpContext.Request.PathBase + httpContext.Request.Path, httpContext.TraceIdentifier);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    private void Write(Utf8JsonWriter writer, string instance, string traceId)
    {
        writer.WriteStartObject();
        writer.WriteString("type", TypePrefix + Code);
        writer.WriteString("title", Title.Zh);
        writer.WriteNumber("status", Status);
        writer.WriteString("detail", Detail.Zh);
        writer.WriteString("instance", instance);
        writer.WriteString("code", Code);
        writer.WriteString("titleEn", Title.En);
        writer.WriteString("detailEn", Detail.En);
        if (SignInUrl is not null)
        {
            writer.WriteString("signInUrl", SignInUrl);
        }
        if (Errors.Count > 0)
        {
            writer.WriteStartObject("errors");
            foreach (var field in Errors.GroupBy(e => e.Field, StringComparer.Ordinal))
            {
                writer.WriteStartArray(field.Key);
                foreach (var error in field)
                {
                    writer.WriteStartObject();
                    writer.WriteString("code", error.Code);
                    writer.WriteString("zh", error.Message.Zh);
                    writer.WriteString("en", error.Message.En);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteString("traceId", traceId);
        writer.WriteEndObject();
    }
}

/// <summary>The problems this API answers with. Each one has a stable <c>code</c> that clients can branch on.</summary>
public static class Problems
{
    /// <summary>At most this many field errors are reported for one request: enough to fix a form, bounded for hostile input.</summary>
    public const int MaxFieldErrors = 50;

    public static ApiProblem Validation(IReadOnlyList<FieldError> errors) =>
        new(StatusCodes.Status400BadRequest, "validation-failed",
            new("请求内容有误", "The request is invalid"),
            new($"有{errors.Count}处字段未通过校验，请按 errors 中的说明修改后重试。",
                $"{errors.Count} field(s) failed validation; fix them as described in errors and try again."))
        { Errors = errors.Take(MaxFieldErrors).ToList() };

    public static ApiProblem MalformedJson(FieldError error) =>
        new(StatusCodes.Status400BadRequest, "malformed-body",
            new("请求体不是有效的 JSON", "The request body is not valid JSON"),
            error.Message)
        { Errors = [error] };

    public static ApiProblem PayloadTooLarge(int limitBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "payload-too-large",
            new("请求体过大", "The request body is too large"),
            new($"请求体不能超过{limitBytes / 1024} KiB。", $"The request body must not exceed {limitBytes / 1024} KiB."));

    public static ApiProblem UnsupportedMediaType(string? contentType) =>
        new(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type",
            new("不支持的内容类型", "Unsupported media type"),
            new("请求体须为 JSON，Content-Type 设为 application/json。",
                "The request body must be JSON, with Content-Type: application/json."))
        { Errors = [new("Content-Type", "unsupported", new($"收到的类型：{Sanitise(contentType)}", $"Received: {Sanitise(contentType)}"))] };

    public static ApiProblem NotFound(LocalizedText what) =>
        new(StatusCodes.Status404NotFound, "not-found", new("未找到", "Not found"), what);

    public static ApiProblem RouteNotFound() => NotFound(new("没有这个接口地址。", "There is no such endpoint."));

    public static ApiProblem MethodNotAllowed(string allow) =>
        new(StatusCodes.Status405MethodNotAllowed, "method-not-allowed",
            new("不支持该请求方法", "Method not allowed"),
            new($"该地址只支持：{allow}。", $"This endpoint only supports: {allow}."))
        { Allow = allow };

    public static ApiProblem CatalogUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, "catalog-unavailable",
            new("载体目录暂不可用", "The carrier catalog is not available yet"),
            new("服务正在加载孵化载体目录，请稍后重试。", "The service is loading the carrier catalog; try again shortly."))
        { RetryAfterSeconds = 5 };

    public static ApiProblem TokenRequired(string header) =>
        new(StatusCodes.Status401Unauthorized, "token-required",
            new("需要访问令牌", "An access token is required"),
            new($"请在请求头 {header} 中提供提交申请时获得的访问令牌。", $"Send the access token you received when you applied in the {header} header."))
        { Authenticate = $"ApplicationToken header=\"{header}\"" };

    /// <summary>A bureau endpoint called without a bureau's credentials.</summary>
    public static ApiProblem BureauCredentialsRequired(string keyHeader, string? signInUrl = null) =>
        new(StatusCodes.Status401Unauthorized, "bureau-credentials-required",
            new("需要科技局身份凭证", "Bureau credentials are required"),
            new($"该接口仅供科技局使用：请通过统一身份认证登录，或在请求头 {keyHeader} 中提供本局的 API 密钥。",
                $"This endpoint is for science and technology bureaus: sign in, or send your bureau's API key in the {keyHeader} header."))
        { Authenticate = $"BureauKey header=\"{keyHeader}\"", SignInUrl = signInUrl };

    /// <summary>A bureau endpoint called with credentials that identify no bureau: a wrong key, or a malformed or unknown sign-in.</summary>
    public static ApiProblem BureauCredentialsInvalid(string keyHeader, string? signInUrl = null) =>
        new(StatusCodes.Status401Unauthorized, "bureau-credentials-invalid",
            new("科技局身份凭证无效", "The bureau credentials are not valid"),
            new("所提供的 API 密钥或登录身份不对应任何科技局，请检查后重试。",
                "The API key or sign-in sent does not identify any bureau; check it and try again."))
        { Authenticate = $"BureauKey header=\"{keyHeader}\", error=\"invalid_credentials\"", SignInUrl = signInUrl };

    /// <summary>A bureau endpoint called by someone signed in who is not a bureau.</summary>
    public static ApiProblem BureauRoleRequired() =>
        new(StatusCodes.Status403Forbidden, "bureau-role-required",
            new("没有科技局权限", "Not a bureau"),
            new("当前登录身份没有科技局角色（bureau），不能使用该接口。",
                "The signed-in identity does not have the bureau role, so it may not use this endpoint."));

    /// <summary>A bureau asking about a carrier in a district it has no jurisdiction over.</summary>
    public static ApiProblem OutsideJurisdiction(LocalizedText bureau, string carrierId, LocalizedText district) =>
        new(StatusCodes.Status403Forbidden, "outside-jurisdiction",
            new("超出管辖范围", "Outside your jurisdiction"),
            new($"载体 {carrierId} 位于{district.Zh}，不在{bureau.Zh}的管辖范围内。",
                $"Carrier {carrierId} is in {district.En}, outside the jurisdiction of the {bureau.En}."));

    public static ApiProblem IdempotencyKeyReused() =>
        new(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
            new("幂等键已用于另一个请求", "The Idempotency-Key was used for a different request"),
            new("同一个 Idempotency-Key 只能用于内容相同的请求；新的申请请使用新的键。",
                "An Idempotency-Key may only be repeated with the same request; use a new key for a new application."));

    public static ApiProblem BadRequest(LocalizedText detail) =>
        new(StatusCodes.Status400BadRequest, "bad-request", new("请求无效", "Bad request"), detail);

    public static ApiProblem Unexpected() =>
        new(StatusCodes.Status500InternalServerError, "internal-error",
            new("服务器内部错误", "Internal server error"),
            new("处理请求时发生意外错误，已记录。请稍后重试，或凭 traceId 联系我们。",
                "An unexpected error occurred and was logged. Try again later, or contact us with the traceId."));

    public static ApiProblem ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => RouteNotFound(),
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge(RequestLimits.JsonBodyBytes),
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(null),
        _ when status is >= 400 and < 500 => new ApiProblem(status, "client-error", new("请求无效", "The request cannot be served"),
            new($"请求无法处理（HTTP {status}）。", $"The request cannot be served (HTTP {status}).")),
        _ => Unexpected(),
    };

    /// <summary>A short, printable excerpt of client-supplied text, safe to echo back.</summary>
    public static string Sanitise(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "(无 none)";
        }
        var excerpt = text.Length > 60 ? text[..60] + "…" : text;
        return string.Concat(excerpt.Select(c => char.IsControl(c) ? '?' : c));
    }
}

public static class RequestLimits
{
    /// <summary>Largest JSON body accepted by the JSON endpoints.</summary>
    public const int JsonBodyBytes = 64 * 1024;

    /// <summary>Deepest JSON nesting accepted; every request shape of the API is far shallower.</summary>
    public const int JsonMaxDepth = 16;
}
