namespace EcsTimeoutRemediator.Cli;

/// <summary>A small, strict <c>--name value</c> option reader: unknown options are usage errors.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Options that take no value.</summary>
    private static readonly HashSet<string> Switches = new(StringComparer.Ordinal) { "--no-publish", "--verbose", "--unknown" };

    public List<string> Positionals { get; } = [];

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name, value;
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    name = a[..eq];
                    value = a[(eq + 1)..];
                }
                else if (Switches.Contains(a))
                {
                    name = a;
                    value = "true";
                }
                else
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new UsageException($"option {a} needs a value");
                    }

                    name = a;
                    value = args[++i];
                }

                if (!o._values.TryAdd(name, value))
                {
                    throw new UsageException($"option {name} given twice");
                }
            }
            else
            {
                o.Positionals.Add(a);
            }
        }

        return o;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public bool Has(string name) => _values.ContainsKey(name);

    public void AllowOnly(string command, params string[] names)
    {
        foreach (var key in _values.Keys)
        {
            if (Array.IndexOf(names, key) < 0)
            {
                throw new UsageException($"{command}: unknown option {key}");
            }
        }
    }

    public string SinglePositional(string what) => Positionals.Count switch
    {
        1 => Positionals[0],
        0 => throw new UsageException($"missing argument: {what}"),
        _ => throw new UsageException($"too many arguments for {what}: {string.Join(' ', Positionals)}"),
    };
}
