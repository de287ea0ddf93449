using System.Reflection;
using System.Text.RegularExpressions;
using EcsTimeoutRemediator.Advisories;
using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Events;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Classification;

/// <summary>
/// The category table is the one place a category is declared: these tests fail for each part of a new category
/// that is forgotten (its entry, its fixes' titles and steps, its event file, its README row).
/// </summary>
public partial class CategoryTableTests
{
    private static readonly string ServiceEventDirectory = Path.Combine(AppContext.BaseDirectory, "events-service");

    public static TheoryData<string> Categories() => [.. Category.All];

    public static TheoryData<string> Fixes() => [.. FixId.All];

    [Fact]
    public void CategoryTable_WhenComparedWithTheCategoryIds_ShouldDeclareEachIdExactlyOnce()
    {
        var constants = Constants(typeof(Category));

        Assert.Equal(constants.Order(StringComparer.Ordinal), CategoryTable.All.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(CategoryTable.All.Count, CategoryTable.All.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void FixIdAll_WhenComparedWithTheFixIdConstants_ShouldListEachExactlyOnce()
    {
        Assert.Equal(Constants(typeof(FixId)).Order(StringComparer.Ordinal), FixId.All.Order(StringComparer.Ordinal));
        Assert.Equal(FixId.All.Count, FixId.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void CategoryTable_WhenACategoryIsDeclared_ShouldGiveItAHeadlineAMeaningAndFixesThatExist(string category)
    {
        var definition = CategoryTable.Of(category);

        Assert.False(string.IsNullOrWhiteSpace(definition.Headline));
        Assert.False(string.IsNullOrWhiteSpace(definition.Meaning));
        Assert.All(definition.Fixes, fix => Assert.Contains(fix, FixId.All));
        Assert.Equal(definition.Fixes.Count, definition.Fixes.Distinct(StringComparer.Ordinal).Count());
        if (definition.IsBenign || category == Category.Unknown)
        {
            // Silence and "a person should read it" propose nothing and read nothing.
            Assert.Empty(definition.Fixes);
            Assert.Equal(DiagnosisScope.None, definition.Areas);
            Assert.False(definition.StartupFailure);
        }
        else
        {
            Assert.NotEmpty(definition.Fixes);
        }
    }

    [Fact]
    public void CategoryTable_WhenHeadlinesAreCompared_ShouldNotShareOne()
    {
        var shared = CategoryTable.All.GroupBy(c => c.Headline, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(shared);
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void CategoryTable_WhenACategoryMeansAnUnreachableService_ShouldReadTheNetworkPathAndNameTheEndpoints(string category)
    {
        var definition = CategoryTable.Of(category);

        if (Category.IsNetworkPath(category))
        {
            Assert.True(definition.Areas.HasFlag(DiagnosisScope.NetworkPath), $"{category} must read the network path");
        }

        // Every task pulls its image: whatever else it needs, the ECR and S3 endpoints come first.
        Assert.Equal(CategoryTable.ImagePullEndpoints, definition.EndpointServices.Take(CategoryTable.ImagePullEndpoints.Count));
    }

    [Fact]
    public void ClassificationRules_WhenDeclared_ShouldEachNameACategoryOfTheTableAndProposeOnlyItsFixes()
    {
        Assert.All(ClassificationRules.All, rule =>
        {
            var definition = CategoryTable.Of(rule.Category);
            Assert.All(rule.Fixes, fix => Assert.Contains(fix, definition.Fixes));
        });
    }

    [Fact]
    public void ClassificationRules_WhenDeclared_ShouldReachEveryCategoryOfTheTable()
    {
        var reached = ClassificationRules.All.Select(r => r.Category).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(Category.All, c => !reached.Contains(c));
    }

    [Theory]
    [MemberData(nameof(Fixes))]
    public void FixTitles_WhenAFixIsDeclared_ShouldGiveItATitleOfItsOwn(string fix)
    {
        var title = FixTitles.Of(fix);

        Assert.NotEqual(fix, title);
        Assert.True(char.IsUpper(title[0]), title);
    }

    [Fact]
    public void FixTitles_WhenGivenAnIdThatIsNoFix_ShouldRefuseIt()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixTitles.Of("no-such-fix"));
    }

    [Theory]
    [MemberData(nameof(Fixes))]
    public void NextStepsFor_WhenAClassificationProposesAFix_ShouldGiveThatFixAtLeastOneStep(string fix)
    {
        var e = EventFiles.Load(EventFiles.NameOf(Category.ImagePullNetwork));
        var c = Classifier.Classify(e.Facts) with { Fixes = [fix] };

        var steps = NextSteps.For(e, c);

        Assert.Contains(steps, s => s.Fix == fix);
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Readme_WhenItListsTheCategories_ShouldShowEachWithItsMeaningAndFixes(string category)
    {
        var definition = CategoryTable.Of(category);
        var rows = ReadmeCategoryRows();

        Assert.True(rows.TryGetValue(category, out var row), $"README.md's Categories table has no row for {category}");
        Assert.StartsWith(definition.Meaning, row.Meaning, StringComparison.Ordinal);
        Assert.All(definition.Fixes, fix => Assert.Contains(fix, row.Fixes));
    }

    [Fact]
    public void Readme_WhenItListsTheCategories_ShouldListNoCategoryTheTableLacks()
    {
        Assert.DoesNotContain(ReadmeCategoryRows().Keys, id => !Category.All.Contains(id));
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void ServiceEvents_WhenACategoryNamesSome_ShouldEachClassifyAsThatCategory(string category)
    {
        foreach (var file in CategoryTable.Of(category).ServiceEvents)
        {
            var parsed = EventParser.Parse(File.ReadAllText(Path.Combine(ServiceEventDirectory, file)));

            var e = Assert.IsType<ParseResult.Parsed>(parsed).Event;
            Assert.Equal(category, Classifier.Classify(e.Facts).Category);
        }
    }

    [Fact]
    public void ServiceEvents_WhenEachSampleIsClassified_ShouldBeListedByItsCategory()
    {
        var unlisted = new List<string>();
        foreach (var path in Directory.GetFiles(ServiceEventDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            if (EventParser.Parse(File.ReadAllText(path)) is not ParseResult.Parsed { Event: var e })
            {
                continue;
            }

            var category = Classifier.Classify(e.Facts).Category;
            if (!CategoryTable.Of(category).ServiceEvents.Contains(Path.GetFileName(path)))
            {
                unlisted.Add($"{Path.GetFileName(path)} → {category}");
            }
        }

        Assert.True(unlisted.Count == 0, "service events whose category does not list them: " + string.Join("; ", unlisted));
    }

    private static List<string> Constants(Type type) =>
        [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];

    private sealed record ReadmeRow(string Meaning, IReadOnlyList<string> Fixes);

    private static Dictionary<string, ReadmeRow> ReadmeCategoryRows()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var section = readme[readme.IndexOf("\n## Categories", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n#", 2, StringComparison.Ordinal)];
        var rows = new Dictionary<string, ReadmeRow>(StringComparer.Ordinal);
        foreach (Match m in CategoryRow().Matches(section))
        {
            rows[m.Groups["id"].Value] = new ReadmeRow(
                m.Groups["meaning"].Value.Trim(),
                [.. FixCode().Matches(m.Groups["fixes"].Value).Select(f => f.Groups[1].Value)]);
        }

        return rows;
    }

    [GeneratedRegex(@"^\| `(?<id>[a-z/-]+)` \| (?<meaning>[^\n]*) \| (?<fixes>[^|\n]*) \|$", RegexOptions.Multiline)]
    private static partial Regex CategoryRow();

    [GeneratedRegex("`([a-z-]+)`")]
    private static partial Regex FixCode();
}
