using Microsoft.AspNetCore.Diagnostics;

namespace ServerlessInnovation.Functions.Http;

/// <summary>Every error the pipeline itself produces (unknown route, wrong method, exceptions) answered as problem+json.</summary>
public static class ErrorResponses
{
    public static WebApplication UseApiProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var problem = exception is BadHttpRequestException bad ? Problems.ForStatus(bad.StatusCode) : Problems.Unexpected();
                await problem.ExecuteAsync(context);
            },
        });
        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var problem = context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
                ? Problems.MethodNotAllowed(context.Response.Headers.Allow.ToString() is { Length: > 0 } allow ? allow : "GET")
                : Problems.ForStatus(context.Response.StatusCode);
            await problem.ExecuteAsync(context);
        });
        return app;
    }
}
