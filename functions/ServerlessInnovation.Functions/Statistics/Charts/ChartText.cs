using System.Globalization;
using System.Text;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Statistics.Charts;

/// <summary>Labels as the charts draw them: cleaned for XML, measured roughly, and shortened to fit.</summary>
internal static class ChartText
{
    public const string Ellipsis = "…";

    /// <summary>
    /// Text XML 1.0 can carry, on one line: tabs and line breaks become spaces; other control characters (C0 and C1),
    /// unpaired surrogates and the noncharacters U+FFFE and U+FFFF are dropped; the result is trimmed.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (c is '\t' or '\n' or '\r')
            {
                clean.Append(' ');
            }
            else if (!char.IsControl(c) && !char.IsSurrogate(c) && c is not ('\uFFFE' or '\uFFFF'))
            {
                clean.Append(c);
            }
        }
        return clean.ToString().Trim();
    }

    /// <summary>The label drawn: the Chinese, or the English where the Chinese is blank.</summary>
    public static string Primary(LocalizedText text)
    {
        var zh = Clean(text.Zh);
        return zh.Length > 0 ? zh : Clean(text.En);
    }

    /// <summary>Both languages for a tooltip or a document title: "zh / en", or whichever is there.</summary>
    public static string Both(LocalizedText text)
    {
        var zh = Clean(text.Zh);
        var en = Clean(text.En);
        return zh.Length == 0 || en.Length == 0 || zh == en ? zh + en : zh + " / " + en;
    }

    /// <summary>
    /// An estimate of the drawn width: a full em for CJK, Hangul, full-width forms and emoji, 0.6 em otherwise. It errs
    /// wide so that shortened text fits whatever CJK font the reader has.
    /// </summary>
    public static double Width(string text, double fontSize)
    {
        var width = 0.0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            width += ElementWidth(elements.GetTextElement(), fontSize);
        }
        return width;
    }

    /// <summary>The text if it fits <paramref name="maxWidth"/>, otherwise as much as fits followed by "…".</summary>
    public static string Fit(string text, double maxWidth, double fontSize)
    {
        if (Width(text, fontSize) <= maxWidth)
        {
            return text;
        }
        var budget = maxWidth - ElementWidth(Ellipsis, fontSize);
        var width = 0.0;
        var end = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            width += ElementWidth(element, fontSize);
            if (width > budget)
            {
                break;
            }
            end = elements.ElementIndex + element.Length;
        }
        return text[..end].TrimEnd() + Ellipsis;
    }

    private static double ElementWidth(string element, double fontSize)
    {
        var value = Rune.GetRuneAt(element, 0).Value;
        // The ellipsis is full width in CJK fonts.
        var wide = value is >= 0x1100 and <= 0x115F or >= 0x2E80 or 0x2026;
        return fontSize * (wide ? 1 : 0.6);
    }
}
