using EcsTimeoutRemediator.Events;

namespace EcsTimeoutRemediator.Tests.Support;

/// <summary>The realistic events in events/, one per category, named after it.</summary>
public static class EventFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "events");

    public static string PathOf(string name) => Path.Combine(Directory, name + ".json");

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    public static TaskStoppedEvent Load(string name) => EventParser.Parse(Read(name)) is ParseResult.Parsed p
        ? p.Event
        : throw new InvalidOperationException($"events/{name}.json is not a STOPPED task event");

    /// <summary>File name for a category id: <c>image-pull/network</c> → <c>image-pull-network</c>.</summary>
    public static string NameOf(string category) => category.Replace('/', '-');
}
