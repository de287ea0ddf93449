using EcsTimeoutRemediator.Aws.Clients.Runtime;

namespace EcsTimeoutRemediator.IntegrationTests.Runtime;

public sealed class PagingTests
{
    [Fact]
    public async Task AllAsync_WhenTheServiceGivesThreePages_ShouldAskWithEachTokenAndReturnEveryItemInOrder()
    {
        var asked = new List<string?>();
        var pages = new Dictionary<string, Page<int>>
        {
            [""] = new([1, 2], "t1"),
            ["t1"] = new([3], "t2"),
            ["t2"] = new([4, 5], null),
        };

        var items = await Paging.AllAsync("Describe", token =>
        {
            asked.Add(token);
            return Task.FromResult(pages[token ?? ""]);
        });

        Assert.Equal([1, 2, 3, 4, 5], items);
        Assert.Equal([null, "t1", "t2"], asked);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task AllAsync_WhenTheFirstPageHasNoToken_ShouldAskOnce(string? next)
    {
        var calls = 0;

        var items = await Paging.AllAsync("Describe", _ =>
        {
            calls++;
            return Task.FromResult(new Page<string>(["a"], next));
        });

        Assert.Equal(["a"], items);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AllAsync_WhenTheServiceGivesBackTheTokenItWasAskedWith_ShouldStopInsteadOfLooping()
    {
        var calls = 0;

        var items = await Paging.AllAsync("Describe", token =>
        {
            calls++;
            return Task.FromResult(new Page<int>([calls], "same"));
        });

        Assert.Equal([1, 2], items);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AllAsync_WhenThePagesNeverEnd_ShouldFailNamingTheOperationRatherThanReturnPartOfTheAnswer()
    {
        var calls = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Paging.AllAsync("DescribeMountTargets", _ =>
        {
            calls++;
            return Task.FromResult(new Page<int>([calls], "t" + calls));
        }, maxPages: 5));

        Assert.Equal("DescribeMountTargets returned more than 5 pages.", error.Message);
        Assert.Equal(5, calls);
    }

    [Fact]
    public async Task FirstAsync_WhenTheSecondPageHoldsTheMatch_ShouldReadNoFurtherPage()
    {
        var asked = new List<string?>();

        var found = await Paging.FirstAsync("DescribeLogGroups", token =>
        {
            asked.Add(token);
            return Task.FromResult(token switch
            {
                null => new Page<string>(["/ecs/a-b", "/ecs/a-c"], "t1"),
                "t1" => new Page<string>(["/ecs/a"], "t2"),
                _ => throw new InvalidOperationException("read past the match"),
            });
        }, g => g == "/ecs/a");

        Assert.Equal("/ecs/a", found);
        Assert.Equal([null, "t1"], asked);
    }

    [Fact]
    public async Task FirstAsync_WhenNoPageMatches_ShouldReturnNullAfterTheLastPage()
    {
        var found = await Paging.FirstAsync("DescribeLogGroups", token =>
            Task.FromResult(token is null ? new Page<string>(["x"], "t1") : new Page<string>(["y"], null)), g => g == "z");

        Assert.Null(found);
    }

    [Fact]
    public async Task WithinAsync_WhenTheServiceStillGivesATokenAfterTheBound_ShouldStopThereWithoutFailing()
    {
        var calls = 0;

        var items = await Paging.WithinAsync("DescribeParameters", _ =>
        {
            calls++;
            return Task.FromResult(new Page<int>(calls == 1 ? [1] : [], "t" + calls));
        }, pages: 3);

        Assert.Equal([1], items);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task AllAsync_WhenTheKeyIsNotAString_ShouldAskWithEachKeyAndStopWhenTheSameKeyComesBack()
    {
        var asked = new List<int[]?>();

        var items = await Paging.AllAsync<string, int[]>("Query", key =>
        {
            asked.Add(key);
            return Task.FromResult(new KeyedPage<string, int[]>([key is null ? "first" : "again"], [7]));
        }, new ArrayValues());

        Assert.Equal(["first", "again"], items);
        Assert.Equal(2, asked.Count);
        Assert.Null(asked[0]);
    }

    private sealed class ArrayValues : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.SequenceEqual(y);

        public int GetHashCode(int[] obj) => obj.Length;
    }
}
