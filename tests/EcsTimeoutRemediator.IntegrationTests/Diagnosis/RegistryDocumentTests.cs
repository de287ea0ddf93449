using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcsTimeoutRemediator.Aws.Adapters;

namespace EcsTimeoutRemediator.IntegrationTests.Diagnosis;

/// <summary>
/// The ECR manifest, image index and image configuration parsers over well-formed JSON of unexpected shape: every
/// value of a real document replaced by every other JSON type (or removed), hand-picked oddities, and random
/// documents built from the keys the parsers read. None may throw; a document that does not say plainly gives the
/// platform unknown (null), as an unreachable blob does.
/// </summary>
public sealed class RegistryDocumentTests
{
    private const string Manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
         "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1469,"digest":"sha256:aaaa"},
         "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":3,"digest":"sha256:bbbb"}]}
        """;

    private const string Config = """
        {"architecture":"arm64","os":"linux","variant":"v8","created":"2026-01-01T00:00:00Z",
         "config":{"Env":["PATH=/usr/bin"],"Cmd":["/app"]},"rootfs":{"type":"layers","diff_ids":["sha256:cccc"]},
         "history":[{"created_by":"COPY app /app"}]}
        """;

    private const string Index = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:1111","size":1,"platform":{"os":"linux","architecture":"amd64"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:2222","size":1,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:3333","size":1,"platform":{"os":"unknown","architecture":"unknown"},
           "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
        """;

    /// <summary>What a value is replaced with: every JSON type, an empty and a plain string, and removal (null node).</summary>
    private static readonly (string Name, Func<JsonNode?>? Make)[] Replacements =
    [
        ("number", () => JsonValue.Create(42)),
        ("huge number", () => JsonNode.Parse("-1.5e308")),
        ("true", () => JsonValue.Create(true)),
        ("false", () => JsonValue.Create(false)),
        ("null", () => null),
        ("empty string", () => JsonValue.Create("")),
        ("string x", () => JsonValue.Create("x")),
        ("empty array", () => new JsonArray()),
        ("array", () => new JsonArray(JsonValue.Create("linux"), JsonValue.Create(1))),
        ("empty object", () => new JsonObject()),
        ("object", () => new JsonObject { ["os"] = "linux", ["architecture"] = 7 }),
        ("removed", null),
    ];

    [Fact]
    public void Digest_WhenAnyValueOfAManifestHasAnotherType_ShouldNeverThrowAndGiveTheDigestOnlyWhenItIsPlain()
    {
        Assert.Equal("sha256:aaaa", ImageConfig.Digest(Manifest));
        var failures = new List<string>();
        foreach (var (where, kind, json) in Mutations(Manifest))
        {
            var expected = (where, kind) switch
            {
                ("$.config.digest", "string x") => "x",
                ("$" or "$.config" or "$.config.digest", _) => null,
                _ => "sha256:aaaa",
            };
            Check(failures, where, kind, json, expected, () => ImageConfig.Digest(json));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Platform_WhenAnyValueOfAnImageConfigurationHasAnotherType_ShouldNeverThrowAndGiveThePlatformOnlyWhenItIsPlain()
    {
        Assert.Equal("linux/arm64/v8", ImageConfig.Platform(Encoding.UTF8.GetBytes(Config)));
        var failures = new List<string>();
        foreach (var (where, kind, json) in Mutations(Config))
        {
            var expected = (where, kind) switch
            {
                ("$.os", "string x") => "x/arm64/v8",
                ("$.architecture", "string x") => "linux/x/v8",
                ("$.variant", "string x") => "linux/arm64/x",
                ("$.variant", "removed" or "null" or "empty string") => "linux/arm64",
                ("$" or "$.os" or "$.architecture" or "$.variant", _) => null,
                _ => "linux/arm64/v8",
            };
            Check(failures, where, kind, json, expected, () => ImageConfig.Platform(Encoding.UTF8.GetBytes(json)));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Parse_WhenAnyValueOfAnImageIndexHasAnotherType_ShouldNeverThrowAndNeverGiveAShorterListForAMalformedEntry()
    {
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], ManifestPlatforms.Parse(Index)!);
        var failures = new List<string>();
        foreach (var (where, kind, json) in Mutations(Index))
        {
            IReadOnlyList<string>? result = null;
            var error = Record.Exception(() => result = ManifestPlatforms.Parse(json));
            if (error is not null)
            {
                failures.Add($"{where} → {kind}: threw {error.GetType().Name}: {error.Message}");
                continue;
            }

            var expected = ExpectedPlatforms(where, kind);
            var shown = result is null ? "null" : "[" + string.Join(", ", result) + "]";
            var wanted = expected is null ? "null" : "[" + string.Join(", ", expected) + "]";
            if (shown != wanted)
            {
                failures.Add($"{where} → {kind}: got {shown}, expected {wanted}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The index's platforms after one mutation, by the rules the parser documents.</summary>
    private static string[]? ExpectedPlatforms(string where, string kind)
    {
        string[] all = ["linux/amd64", "linux/arm64/v8"];
        if (where is "$" or "$.manifests")
        {
            return kind == "empty array" && where == "$.manifests" ? [] : null;
        }

        var entry = where.Length > "$.manifests[".Length && where.StartsWith("$.manifests[", StringComparison.Ordinal) ? where["$.manifests[".Length] - '0' : -1;
        var field = entry < 0 ? where : where[("$.manifests[0]".Length)..];
        string[] Without(int i) => i == 2 ? all : [.. all.Where((_, j) => j != i)];
        string[] With(int i, string platform) => i == 2 ? [.. all, platform] : [.. all.Select((p, j) => j == i ? platform : p)];
        var (os, arch, variant) = entry switch
        {
            0 => ("linux", "amd64", (string?)null),
            1 => ("linux", "arm64", "v8"),
            _ => ("unknown", "unknown", null),
        };
        string Name(string o, string a, string? v) => v is { Length: > 0 } ? $"{o}/{a}/{v}" : $"{o}/{a}";
        string[] Keep(string o, string a, string? v) => o == "unknown" ? Without(entry) : With(entry, Name(o, a, v));

        return (field, kind) switch
        {
            // A descriptor without a platform (the replacement objects have none) is not an image platform: left out.
            ("", "removed" or "empty object" or "object") => Without(entry),
            ("", _) => null,
            (".platform", "removed" or "null") => Without(entry),
            (".platform", _) => null,
            (".platform.os", "string x") => Keep("x", arch, variant),
            (".platform.architecture", "string x") => Keep(os, "x", variant),
            (".platform.os" or ".platform.architecture", _) => null,
            (".platform.variant", "string x") => Keep(os, arch, "x"),
            (".platform.variant", "removed" or "null" or "empty string") => Keep(os, arch, null),
            (".platform.variant", _) => null,
            _ => all,
        };
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"sha256:aaaa\"")]
    [InlineData("null")]
    [InlineData("{\"manifests\":{}}")]
    [InlineData("{\"manifests\":[1,\"x\",null,[]]}")]
    [InlineData("{\"manifests\":[{\"platform\":\"linux/amd64\"}]}")]
    [InlineData("{\"manifests\":[{\"platform\":{\"os\":1,\"architecture\":\"amd64\"}}]}")]
    [InlineData("{\"manifests\":[{\"platform\":{\"os\":\"linux\",\"architecture\":[\"amd64\"]}}]}")]
    [InlineData("{\"manifests\":[{\"platform\":{\"os\":\"linux\"}}]}")]
    [InlineData("{\"manifests\":[{\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":8}}]}")]
    [InlineData("{\"config\":[]}")]
    [InlineData("{\"config\":{\"digest\":42}}")]
    [InlineData("{\"config\":{\"digest\":{\"sha256\":\"aaaa\"}}}")]
    [InlineData("{\"os\":[\"linux\"],\"architecture\":\"amd64\"}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":{}}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":\"amd64\",\"variant\":false}")]
    [InlineData("{\"os\":\"\",\"architecture\":\"amd64\"}")]
    public void Parsers_WhenTheDocumentHasTheWrongShape_ShouldLeaveThePlatformUnknown(string json)
    {
        Assert.Null(ManifestPlatforms.Parse(json));
        Assert.Null(ImageConfig.Digest(json));
        Assert.Null(ImageConfig.Platform(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parsers_WhenGivenRandomDocumentsOfTheKeysTheyRead_ShouldNeverThrowAndOnlyGiveWellFormedAnswers()
    {
        var random = new Random(20261202);
        for (var i = 0; i < 3000; i++)
        {
            var json = RandomValue(random, depth: 0)?.ToJsonString() ?? "null";
            IReadOnlyList<string>? platforms = null;
            string? digest = null;
            string? platform = null;

            var error = Record.Exception(() =>
            {
                platforms = ManifestPlatforms.Parse(json);
                digest = ImageConfig.Digest(json);
                platform = ImageConfig.Platform(Encoding.UTF8.GetBytes(json));
            });

            Assert.True(error is null, $"threw {error?.GetType().Name} on {json}: {error?.Message}");
            Assert.All(platforms ?? [], p => Assert.InRange(p.Split('/').Length, 2, 3));
            Assert.True(digest is null || digest.Length > 0, json);
            Assert.True(platform is null || platform.Split('/').Length is 2 or 3, json);
        }
    }

    private static readonly string[] Keys = ["manifests", "platform", "os", "architecture", "variant", "config", "digest", "mediaType"];

    private static JsonNode? RandomValue(Random random, int depth)
    {
        var pick = depth >= 4 ? random.Next(4) : random.Next(7);
        return pick switch
        {
            0 => JsonValue.Create(random.Next(-5, 5)),
            1 => JsonValue.Create(random.Next(2) == 0 ? "linux" : ""),
            2 => JsonValue.Create(random.Next(2) == 0),
            3 => null,
            4 or 5 => RandomObject(random, depth),
            _ => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1))]),
        };
    }

    private static JsonObject RandomObject(Random random, int depth)
    {
        var o = new JsonObject();
        foreach (var key in Keys.Where(_ => random.Next(3) == 0))
        {
            o[key] = RandomValue(random, depth + 1);
        }

        return o;
    }

    private static void Check(List<string> failures, string where, string kind, string json, string? expected, Func<string?> parse)
    {
        string? result = null;
        var error = Record.Exception(() => result = parse());
        if (error is not null)
        {
            failures.Add($"{where} → {kind}: threw {error.GetType().Name}: {error.Message}");
        }
        else if (result != expected)
        {
            failures.Add($"{where} → {kind}: got {result ?? "null"}, expected {expected ?? "null"}");
        }
    }

    /// <summary>Every location of <paramref name="json"/> (the root, each property, each array item) with each replacement.</summary>
    private static IEnumerable<(string Where, string Kind, string Json)> Mutations(string json)
    {
        var original = JsonNode.Parse(json)!;
        foreach (var (where, path) in Locations(original, "$", []))
        {
            foreach (var (name, make) in Replacements)
            {
                if (path.Count == 0)
                {
                    if (make is not null)
                    {
                        yield return (where, name, make()?.ToJsonString() ?? "null");
                    }

                    continue;
                }

                var copy = original.DeepClone();
                var parent = path.Take(path.Count - 1).Aggregate(copy, (node, step) => step is int i ? node[i]! : node[(string)step]!);
                switch (path[^1], parent)
                {
                    case (string key, JsonObject o) when make is null:
                        o.Remove(key);
                        break;
                    case (string key, JsonObject o):
                        o[key] = make();
                        break;
                    case (int index, JsonArray a) when make is null:
                        a.RemoveAt(index);
                        break;
                    case (int index, JsonArray a):
                        a[index] = make();
                        break;
                }

                yield return (where, name, copy.ToJsonString());
            }
        }
    }

    private static IEnumerable<(string Where, List<object> Path)> Locations(JsonNode node, string where, List<object> path)
    {
        yield return (where, path);
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    foreach (var inner in Locations(child!, $"{where}.{key}", [.. path, key]))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var inner in Locations(a[i]!, $"{where}[{i}]", [.. path, i]))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
