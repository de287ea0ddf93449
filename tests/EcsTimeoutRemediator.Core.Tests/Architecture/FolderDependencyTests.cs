using System.Text.RegularExpressions;

namespace EcsTimeoutRemediator.Tests.Architecture;

/// <summary>
/// The core's folders are the pipeline's steps, and each may use only the steps before it, so that the arrows run
/// one way (events → classification → context → diagnosis → decision → advisory) and no folder's change ripples
/// back into an earlier step. Read from the sources: a folder uses another through a <c>using</c> directive or a
/// name qualified by the other's namespace.
/// </summary>
public partial class FolderDependencyTests
{
    /// <summary>The folders in the order they may depend on each other: each uses only folders to its left.</summary>
    private static readonly string[] Layers =
    [
        // Image references, CIDRs, shell quoting, text cutting, the diagnosis areas: every step may use them.
        "Vocabulary",
        "Events",
        "Classification",
        // The facts gathered about an account (records only).
        "Context",
        "Diagnosis",
        "Policy",
        "Advisories",
        // What the core needs from the world; its signatures speak of facts, advisories and fix plans.
        "Ports",
        // The steps that drive the ports: reading the account, applying a fix.
        "Gathering",
        "Remediation",
    ];

    /// <summary>
    /// The one source-generated JSON context names every type that is read or written and is used by the steps that
    /// read or write JSON: it is outside the layers by design (one context, no reflection). Pipeline.cs and the other
    /// files at the root tie the steps together and may use them all.
    /// </summary>
    private static readonly string[] OutsideTheLayers = ["Serialization"];

    [Fact]
    public void CoreFolders_WhenListed_ShouldEachHaveAPlaceInTheLayers()
    {
        var folders = Directory.GetDirectories(CoreDirectory).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj") && !f.StartsWith('.'));

        Assert.DoesNotContain(folders, f => !Layers.Contains(f) && !OutsideTheLayers.Contains(f));
    }

    [Fact]
    public void CoreFolders_WhenTheirSourcesAreRead_ShouldUseOnlyTheFoldersBeforeThem()
    {
        var backwards = new List<string>();
        for (var i = 0; i < Layers.Length; i++)
        {
            var folder = Path.Combine(CoreDirectory, Layers[i]);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                var code = Comment().Replace(File.ReadAllText(file), "");
                foreach (var later in Layers.Skip(i + 1))
                {
                    if (Uses(code, later))
                    {
                        backwards.Add($"{Layers[i]}/{Path.GetFileName(file)} uses {later}");
                    }
                }
            }
        }

        Assert.True(backwards.Count == 0, "a folder uses a later step:\n" + string.Join('\n', backwards));
    }

    [Fact]
    public void Uses_WhenCodeNamesAFolderOnlyInAComment_ShouldNotCountIt()
    {
        var code = Comment().Replace("// see Advisories.NextSteps\nvar x = 1;", "");

        Assert.False(Uses(code, "Advisories"));
        Assert.True(Uses("var s = Advisories.NextSteps.For(e, c);", "Advisories"));
        Assert.True(Uses("using EcsTimeoutRemediator.Advisories;", "Advisories"));
        Assert.False(Uses("var s = AdvisoriesCount.Value;", "Advisories"));
    }

    private static bool Uses(string code, string folder) =>
        Regex.IsMatch(code, $@"using\s+EcsTimeoutRemediator\.{folder}(\.\w+)*\s*;|(?<![\w.]){folder}\.[A-Z]\w*|EcsTimeoutRemediator\.{folder}\.");

    private static string CoreDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var core = Path.Combine(dir.FullName, "src", "EcsTimeoutRemediator.Core");
                if (Directory.Exists(core))
                {
                    return core;
                }
            }

            throw new DirectoryNotFoundException("src/EcsTimeoutRemediator.Core above " + AppContext.BaseDirectory);
        }
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();
}
