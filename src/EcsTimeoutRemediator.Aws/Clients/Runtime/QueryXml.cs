using System.Globalization;
using System.Xml.Linq;

namespace EcsTimeoutRemediator.Aws.Clients;

/// <summary>
/// Reading AWS Query (XML) responses by local name, so that the service's namespace
/// (<c>http://…/doc/2015-12-01/</c>) or its absence does not matter.
/// </summary>
public static class QueryXml
{
    /// <summary>The first child element named <paramref name="localName"/>, or null.</summary>
    public static XElement? Child(this XElement? element, string localName) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>The text of the child element named <paramref name="localName"/>, or null.</summary>
    public static string? Text(this XElement? element, string localName) => element.Child(localName)?.Value;

    /// <summary>The child's text as an integer, or null when absent or not a number.</summary>
    public static int? Int(this XElement? element, string localName) =>
        int.TryParse(element.Text(localName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>The child's text as a boolean, or null.</summary>
    public static bool? Bool(this XElement? element, string localName) =>
        bool.TryParse(element.Text(localName), out var value) ? value : null;

    /// <summary>The child's text as an ISO-8601 timestamp, or null.</summary>
    public static DateTimeOffset? Time(this XElement? element, string localName) =>
        DateTimeOffset.TryParse(
            element.Text(localName), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;

    /// <summary>The <c>member</c> elements of the list named <paramref name="listName"/>.</summary>
    public static IEnumerable<XElement> Members(this XElement? element, string listName) =>
        element.Child(listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    /// <summary>The texts of the <c>member</c> elements of the list named <paramref name="listName"/>.</summary>
    public static IReadOnlyList<string> Strings(this XElement? element, string listName) =>
        [.. element.Members(listName).Select(m => m.Value)];
}
