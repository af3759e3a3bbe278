using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// The <c>$batch</c> wire format of an entity group transaction: a multipart/mixed body with one changeset holding one
/// <c>application/http</c> request per action, and the multipart reply. Written for Azurite's regex-based parser as well
/// as Azure: CRLF line ends, absolute URLs on the request lines, each JSON body on one line.
/// </summary>
internal static partial class TableTransactionBatch
{
    private const string Crlf = "\r\n";

    /// <summary>Checks the service's transaction rules before anything is sent; Azurite does not enforce all of them.</summary>
    public static void Validate(IReadOnlyList<TableTransactionAction> actions, string paramName)
    {
        if (actions.Count is 0 or > TableLimits.MaxTransactionActions)
        {
            throw new ArgumentException(
                $"A transaction takes 1 to {TableLimits.MaxTransactionActions} actions; got {actions.Count}.", paramName);
        }
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] ?? throw new ArgumentException($"Transaction action {i} is null.", paramName);
            var entity = action.Entity;
            if (action.ActionType == TableTransactionActionType.Delete)
            {
                TableLimits.ValidateKey(entity.PartitionKey, TableEntity.PartitionKeyName, paramName);
                TableLimits.ValidateKey(entity.RowKey, TableEntity.RowKeyName, paramName);
            }
            else
            {
                TableLimits.ValidateEntity(entity, paramName);
            }
            if (entity.PartitionKey != actions[0].Entity.PartitionKey)
            {
                throw new ArgumentException(
                    $"All actions of a transaction must share one PartitionKey; action {i} has '{entity.PartitionKey}' " +
                    $"where action 0 has '{actions[0].Entity.PartitionKey}'.", paramName);
            }
            if (!rowKeys.Add(entity.RowKey))
            {
                throw new ArgumentException($"An entity may appear once per transaction; action {i} repeats RowKey '{entity.RowKey}'.", paramName);
            }
        }
    }

    /// <summary>The multipart body; <paramref name="tableUrl"/> is the table's absolute URL, e.g. <c>http://127.0.0.1:10002/devstoreaccount1/mytable</c>.</summary>
    public static string Build(string tableUrl, IReadOnlyList<TableTransactionAction> actions, Guid batchId, Guid changesetId)
    {
        var changeset = $"changeset_{changesetId:D}";
        var body = new StringBuilder()
            .Append("--").Append(BatchBoundary(batchId)).Append(Crlf)
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append(Crlf)
            .Append(Crlf);
        foreach (var action in actions)
        {
            var entity = action.Entity;
            var (method, url) = action.ActionType == TableTransactionActionType.Add
                ? ("POST", tableUrl)
                : (MethodOf(action.ActionType), tableUrl + TableClient.EntityKeyPath(entity.PartitionKey, entity.RowKey));
            body.Append("--").Append(changeset).Append(Crlf)
                .Append("Content-Type: application/http").Append(Crlf)
                .Append("Content-Transfer-Encoding: binary").Append(Crlf)
                .Append(Crlf)
                .Append(method).Append(' ').Append(url).Append(" HTTP/1.1").Append(Crlf)
                .Append("Accept: application/json;odata=nometadata").Append(Crlf);
            if (action.ActionType != TableTransactionActionType.Delete)
            {
                body.Append("Content-Type: application/json").Append(Crlf);
            }
            if (action.ActionType == TableTransactionActionType.Add)
            {
                body.Append("Prefer: return-no-content").Append(Crlf);
            }
            if (action.ActionType is TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpdateReplace or TableTransactionActionType.Delete)
            {
                body.Append("If-Match: ").Append(action.ETag == default ? "*" : action.ETag.ToString("H")).Append(Crlf);
            }
            body.Append("DataServiceVersion: 3.0").Append(Crlf)
                .Append(Crlf);
            if (action.ActionType != TableTransactionActionType.Delete)
            {
                body.Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity)));
            }
            body.Append(Crlf);
        }
        return body.Append("--").Append(changeset).Append("--").Append(Crlf)
            .Append("--").Append(BatchBoundary(batchId)).Append("--").Append(Crlf)
            .ToString();
    }

    public static string BatchBoundary(Guid batchId) => $"batch_{batchId:D}";

    /// <summary>The <c>application/http</c> parts of a batch reply, in order: one per action on success, one failing part otherwise.</summary>
    public static List<HttpPartResponse> ParseResponse(string body)
    {
        var parts = new List<HttpPartResponse>();
        var lines = body.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            if (StatusLine().Match(lines[i]) is not { Success: true } statusLine)
            {
                continue;
            }
            var headers = new List<HttpHeader>();
            for (i++; i < lines.Length && lines[i].Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers.Add(new HttpHeader(lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
                }
            }
            var content = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                content.Add(lines[i]);
            }
            i--;
            parts.Add(new HttpPartResponse(
                int.Parse(statusLine.Groups["status"].Value, CultureInfo.InvariantCulture),
                statusLine.Groups["reason"].Value,
                headers,
                string.Join('\n', content).TrimEnd()));
        }
        return parts;
    }

    /// <summary>The index the service puts before a failed transaction's message (<c>"1:The specified entity already exists."</c>).</summary>
    public static int? FailedActionIndex(string? message) =>
        message is not null && ActionIndex().Match(message) is { Success: true } match
            && int.TryParse(match.Groups["index"].Value, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    private static string MethodOf(TableTransactionActionType actionType) => actionType switch
    {
        TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpsertMerge => "MERGE",
        TableTransactionActionType.UpdateReplace or TableTransactionActionType.UpsertReplace => "PUT",
        _ => "DELETE",
    };

    [GeneratedRegex(@"^HTTP/1\.[01] (?<status>\d{3}) ?(?<reason>.*)$")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(?<index>\d+):")]
    private static partial Regex ActionIndex();
}
