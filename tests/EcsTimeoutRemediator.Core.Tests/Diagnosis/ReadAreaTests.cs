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
        var source = File.ReadAllText(Path.Combine(CoreDirectory(), "Gathering", "ContextGatherer.cs"));

        var named = ActionLiteral().Matches(source).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(named);
        Assert.DoesNotContain(named, a => !ReadAreas.Actions.Contains(a));
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
