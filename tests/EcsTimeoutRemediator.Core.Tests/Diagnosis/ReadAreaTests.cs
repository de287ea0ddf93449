using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Gathering;

namespace EcsTimeoutRemediator.Tests.Diagnosis;

public partial class ReadAreaTests
{
    public static TheoryData<DiagnosisScope> SingleAreas() =>
        [.. Enum.GetValues<DiagnosisScope>().Where(s => s != DiagnosisScope.None && ((int)s & ((int)s - 1)) == 0)];

    [Theory]
    [MemberData(nameof(SingleAreas))]
    public void ReadAreas_WhenADiagnosisAreaIsChecked_ShouldHaveAReadAreaServingIt(DiagnosisScope area)
    {
        Assert.Contains(ReadAreas.All, a => a.Serves.HasFlag(area));
    }

    [Fact]
    public void ReadAreas_WhenDeclared_ShouldNameEachActionOnceWithAStatement()
    {
        var actions = ReadAreas.All.SelectMany(a => a.Actions).ToList();

        Assert.Equal(actions.Count, actions.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ReadAreas.All, a => Assert.Matches("^[A-Z][A-Za-z]+$", a.Sid));
        Assert.All(actions, a => Assert.Matches("^[a-z0-9]+:[A-Z][A-Za-z]+$", a));
    }

    [Fact]
    public void ContextGatherer_WhenItNamesAReadByItsAction_ShouldNameOnlyDeclaredActions()
    {
        var named = Directory.EnumerateFiles(Path.Combine(CoreDirectory(), "Gathering"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => ActionLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(named);
        Assert.DoesNotContain(named, a => !ReadAreas.Actions.Contains(a));
    }

    public static TheoryData<string> GatheringAreas() => [.. ContextGatherer.Areas.Select(a => a.GetType().Name)];

    [Theory]
    [MemberData(nameof(GatheringAreas))]
    public void GatheringArea_WhenItsModuleIsRead_ShouldNameOnlyTheActionsItDeclares(string area)
    {
        var module = ContextGatherer.Areas.Single(a => a.GetType().Name == area);
        var file = Path.Combine(CoreDirectory(), "Gathering", "Areas", area + ".cs");

        var named = ActionLiteral().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(module.Declares);
        Assert.DoesNotContain(named, a => !module.Declares.SelectMany(d => d.Actions).Contains(a));
    }

    [Fact]
    public void ContextGatherer_WhenItsAreasAreListed_ShouldListEveryAreaModuleOnce()
    {
        var modules = Directory.EnumerateFiles(Path.Combine(CoreDirectory(), "Gathering", "Areas"), "*Area.cs")
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);

        Assert.Equal(modules, ContextGatherer.Areas.Select(a => a.GetType().Name).Order(StringComparer.Ordinal));
    }

    private static string CoreDirectory()
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

    [GeneratedRegex("\"([a-z0-9]+:[A-Z][A-Za-z]+)\"")]
    private static partial Regex ActionLiteral();
}
