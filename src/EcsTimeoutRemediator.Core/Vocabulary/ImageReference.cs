namespace EcsTimeoutRemediator.Vocabulary;

/// <summary>A parsed container image reference: registry, repository, tag or digest.</summary>
public readonly record struct ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public bool IsEcr => Registry.Contains(".dkr.ecr.", StringComparison.Ordinal);

    public string? RegistryId => IsEcr ? Registry[..Registry.IndexOf('.', StringComparison.Ordinal)] : null;

    public static ImageReference? Parse(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return null;
        }

        var rest = image.Trim();
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }

        string registry = "docker.io";
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = rest[(slash + 1)..];
            }
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        if (registry == "docker.io" && !rest.Contains('/', StringComparison.Ordinal))
        {
            rest = "library/" + rest;
        }

        if (rest.Length == 0)
        {
            return null;
        }

        return new ImageReference(registry, rest, tag ?? (digest is null ? "latest" : null), digest);
    }
}
