using ServerlessInnovation.Functions;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.CompleteDocumentUpload;
using ServerlessInnovation.Functions.GetApplication;
using ServerlessInnovation.Functions.GetCarrier;
using ServerlessInnovation.Functions.GetCatalogTemplate;
using ServerlessInnovation.Functions.GetDocument;
using ServerlessInnovation.Functions.GetSignedInBureau;
using ServerlessInnovation.Functions.GetStatistics;
using ServerlessInnovation.Functions.GetStatisticsDetail;
using ServerlessInnovation.Functions.GetStatisticsFile;
using ServerlessInnovation.Functions.Health;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.ListCarrierApplications;
using ServerlessInnovation.Functions.ListCarriers;
using ServerlessInnovation.Functions.ListDocuments;
using ServerlessInnovation.Functions.MatchCarriers;
using ServerlessInnovation.Functions.Pages;
using ServerlessInnovation.Functions.RequestDocumentUpload;
using ServerlessInnovation.Functions.SubmitApplication;
using ServerlessInnovation.Functions.UploadDocument;
using ServerlessInnovation.Functions.WithdrawApplication;

var builder = WebApplication.CreateSlimBuilder(args);

// Custom handler under the Functions host, or a standalone server on http://localhost:7071.
var mode = builder.ConfigureFunctionsHosting();

// One line per log entry on stdout: the Functions host reads stdout (and logs every stderr line as an error).
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddCatalog(builder.Configuration);
builder.Services.AddMatching(builder.Configuration);
builder.Services.AddApplications(builder.Configuration);

// Bureau endpoints: App Service Authentication (when on) or a bureau's API key; public endpoints stay anonymous.
builder.Services.AddBureaus(builder.Configuration);
builder.Services.AddDocuments(builder.Configuration);
builder.Services.AddStatistics(builder.Configuration);

// The pages: static files, compressed for browsers that ask.
builder.Services.AddPages();

// Queue and timer triggers: invoked by the Functions host at POST /{FunctionName}, or delivered by this server standalone.
builder.Services.AddFunctionTriggers();

var app = builder.Build();

if (mode == HostMode.CustomHandler)
{
    app.UseMiddleware<HttpInvocationMiddleware>();
}
app.UseApiProblems();

// The startup page at / (also the Functions host's readiness probe) and the bureau pages at /bureau/.
app.UsePages();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

var api = app.MapGroup(FunctionsHost.ApiPath);
api.MapMatchCarriers();
api.MapListCarriers();
api.MapGetCarrier();
api.MapHealth();
api.MapSubmitApplication();
api.MapGetApplication();
api.MapWithdrawApplication();
api.MapGetStatistics();

// Every bureau endpoint is mapped on this group, which requires a bureau.
var bureau = api.MapBureau();
bureau.MapGetSignedInBureau();
bureau.MapListCarrierApplications();
bureau.MapRequestDocumentUpload();
bureau.MapCompleteDocumentUpload();
bureau.MapUploadDocument();
bureau.MapListDocuments();
bureau.MapGetDocument();
bureau.MapGetCatalogTemplate();
bureau.MapGetStatisticsDetail();
bureau.MapGetStatisticsFile();

app.MapFunctionTriggers();

app.Run();
