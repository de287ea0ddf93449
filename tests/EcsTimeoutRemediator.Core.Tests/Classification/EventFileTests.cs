using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Tests.Support;

namespace EcsTimeoutRemediator.Tests.Classification;

public class EventFileTests
{
    public static TheoryData<string> Categories()
    {
        var data = new TheoryData<string>();
        foreach (var c in Category.All)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Classify_WhenGivenTheEventFileOfACategory_ShouldReturnThatCategory(string category)
    {
        var e = EventFiles.Load(EventFiles.NameOf(category));

        var result = Classifier.Classify(e.Facts);

        Assert.Equal(category, result.Category);
        Assert.Equal(Category.FamilyOf(category), result.Family);
        Assert.Equal(!category.StartsWith("benign/", StringComparison.Ordinal), result.Actionable);
        Assert.False(string.IsNullOrWhiteSpace(result.Summary));
    }

    [Fact]
    public void EventsFolder_WhenListed_ShouldHoldExactlyOneFilePerCategory()
    {
        var files = Directory.GetFiles(EventFiles.Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order().ToArray();

        Assert.Equal(Category.All.Select(EventFiles.NameOf).Order().ToArray(), files);
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Classify_WhenActionable_ShouldProposeAtLeastOneFix(string category)
    {
        var result = Classifier.Classify(EventFiles.Load(EventFiles.NameOf(category)).Facts);

        if (result.Actionable && result.Category != Category.Unknown)
        {
            Assert.NotEmpty(result.Fixes);
        }
        else
        {
            Assert.Empty(result.Fixes);
        }
    }
}
