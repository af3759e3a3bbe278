namespace ServerlessInnovation.Domain;

/// <summary>Text a user reads, in Simplified Chinese first and English second.</summary>
public readonly record struct LocalizedText(string Zh, string En)
{
    public override string ToString() => $"{Zh} / {En}";
}
