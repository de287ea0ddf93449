namespace EcsTimeoutRemediator.Advisories.Formats;

/// <summary>The plain-text e-mail of an advisory: <see cref="PlainText.Email"/> of its document.</summary>
public static class EmailFormat
{
    public static string Render(Advisory advisory)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        return PlainText.Email(advisory.Document);
    }
}
