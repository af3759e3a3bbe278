using Azure.Core;
using ServerlessInnovation.Storage;

namespace ServerlessInnovation.Tests.Storage;

/// <summary>
/// Shared Key for Blob and Queue. The expected strings are the ones verified against Azurite 3.37: twelve standard
/// fields, the sorted <c>x-ms-</c> headers, then the resource with its sorted, decoded query parameters.
/// </summary>
public sealed class StorageSharedKeySigningTests
{
    private const string Date = "Sun, 22 Nov 2026 01:55:16 GMT";
    private const string Account = "devstoreaccount1";

    private static HttpHeader[] Headers(params (string Name, string Value)[] headers) => [.. headers.Select(h => new HttpHeader(h.Name, h.Value))];

    [Fact]
    public void CreateContainerMatchesTheVerifiedSample()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("PUT",
            Headers(("x-ms-version", "2025-11-05"), ("x-ms-date", Date)), 0, Account,
            new Uri("http://127.0.0.1:10000/devstoreaccount1/probe1795312516628?restype=container"));

        Assert.Equal(
            $"PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{Date}\nx-ms-version:2025-11-05\n/devstoreaccount1/devstoreaccount1/probe1795312516628\nrestype:container",
            stringToSign);
    }

    [Fact]
    public void PutBlobSignsLengthMd5TypeConditionsMetadataAndTheEncodedName()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("PUT",
            Headers(("Content-Type", "text/plain"), ("Content-MD5", "70xVOe9ESGWXKownzgcaMQ=="), ("If-None-Match", "*"),
                ("x-ms-version", "2025-11-05"), ("x-ms-meta-owner", "me"), ("x-ms-blob-type", "BlockBlob"), ("x-ms-date", Date)),
            29, Account, new Uri("http://127.0.0.1:10000/devstoreaccount1/probe1795312516999/dir/a%20b.txt"));

        Assert.Equal(
            $"PUT\n\n\n29\n70xVOe9ESGWXKownzgcaMQ==\ntext/plain\n\n\n\n*\n\n\nx-ms-blob-type:BlockBlob\nx-ms-date:{Date}\nx-ms-meta-owner:me\nx-ms-version:2025-11-05\n" +
            "/devstoreaccount1/devstoreaccount1/probe1795312516999/dir/a%20b.txt",
            stringToSign);
    }

    [Fact]
    public void AnEmptyBodyLeavesTheLengthSlotEmpty()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("PUT", Headers(("x-ms-date", Date)), 0, Account,
            new Uri("http://127.0.0.1:10000/devstoreaccount1/c/empty.txt"));

        Assert.StartsWith("PUT\n\n\n\n", stringToSign, StringComparison.Ordinal);
    }

    [Fact]
    public void PutBlockSignsTheBlockIdDecodedAndParametersSorted()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("PUT", Headers(("x-ms-date", Date)), 4, Account,
            new Uri("http://127.0.0.1:10000/devstoreaccount1/c/big.bin?comp=block&blockid=YmxvY2stMDAwMDAw"));

        Assert.EndsWith("/devstoreaccount1/devstoreaccount1/c/big.bin\nblockid:YmxvY2stMDAwMDAw\ncomp:block", stringToSign, StringComparison.Ordinal);
    }

    [Fact]
    public void GetMessagesMatchesTheVerifiedSample()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("GET",
            Headers(("x-ms-date", Date), ("x-ms-version", "2025-11-05")), 0, Account,
            new Uri("http://127.0.0.1:10001/devstoreaccount1/probe-1795312528703/messages?visibilitytimeout=30&numofmessages=2"));

        Assert.Equal(
            $"GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{Date}\nx-ms-version:2025-11-05\n/devstoreaccount1/devstoreaccount1/probe-1795312528703/messages\nnumofmessages:2\nvisibilitytimeout:30",
            stringToSign);
    }

    [Fact]
    public void AServiceRootRequestOnAzureSignsTheAccountAndSlash()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("GET", Headers(("x-ms-date", Date)), 0, "acct",
            new Uri("https://acct.blob.core.windows.net/?comp=list&prefix=a%2Fb"));

        Assert.EndsWith("\n/acct/\ncomp:list\nprefix:a/b", stringToSign, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageHeaderValuesAreTrimmedAndFoldedAndNamesLowerCased()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("PUT",
            Headers(("X-MS-Meta-Note", "  two   words \t here "), ("x-ms-date", Date), ("x-ms-client-request-id", "")), 0, Account,
            new Uri("http://127.0.0.1:10000/devstoreaccount1/c/b"));

        Assert.Contains($"\nx-ms-client-request-id:\nx-ms-date:{Date}\nx-ms-meta-note:two words here\n", stringToSign, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedQueryParametersAreJoinedSorted()
    {
        var stringToSign = StorageSharedKeyPipelinePolicy.BuildStringToSign("GET", Headers(("x-ms-date", Date)), 0, Account,
            new Uri("http://127.0.0.1:10000/devstoreaccount1/c?restype=container&comp=list&include=metadata&include=copy"));

        Assert.EndsWith("\ncomp:list\ninclude:copy,metadata\nrestype:container", stringToSign, StringComparison.Ordinal);
    }
}
