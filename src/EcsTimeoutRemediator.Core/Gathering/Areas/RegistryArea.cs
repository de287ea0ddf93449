using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Gathering.Areas;

/// <summary>
/// The task's ECR images: whether each repository, tag or digest exists, and for the image the stop named first the
/// platforms it was built for (the registry port drives ECR's manifest and configuration-blob protocol).
/// </summary>
internal sealed class RegistryArea : IGatheringArea
{
    /// <summary>The images described for one event, the one the stop message named first.</summary>
    private const int MaxImagesPerRun = 4;

    public IReadOnlyList<ReadArea> Declares { get; } =
        [new("registry and image", DiagnosisScope.Registry | DiagnosisScope.ImagePlatform, "ReadImages", ["ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])];

    public async Task<InfrastructureContext> ReadAsync(AreaRun run, InfrastructureContext context)
    {
        if (context.TaskDefinition is not { } td || !run.Asks(DiagnosisScope.Registry) || run.Ports.Inspectors.Registry is not { } registry)
        {
            return context;
        }

        var target = context.Target!;
        var singlePlatform = run.Asks(DiagnosisScope.ImagePlatform);
        var images = td.Containers
            .OrderBy(c => c.Name == target.ContainerName || c.Image == target.Image ? 0 : 1)
            .Select(c => c.Image)
            .Prepend(target.Image)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(ImageReference.Parse)
            .OfType<ImageReference>()
            .Where(i => i.IsEcr)
            .Take(MaxImagesPerRun)
            .ToList();
        var facts = new List<EcrImageFacts>();
        foreach (var image in images)
        {
            var read = await run.Reads.Try("ecr:DescribeImages", $"{image.Registry}/{image.Repository}:{image.Tag ?? image.Digest}",
                () => registry.DescribeImageAsync(image.RegistryId!, image.Repository, image.Tag, image.Digest, run.Cancellation)).ConfigureAwait(false);

            // The decisive image only: which platforms was it built for? A multi-platform image always says;
            // a single-platform one only in its configuration blob, read when the category checks the platform.
            if (read is { ImageExists: true } && facts.Count == 0 && (read.IsMultiPlatform || singlePlatform))
            {
                read = read with { Platforms = await registry.PlatformsOfAsync(image, read, run.Reads, run.Cancellation).ConfigureAwait(false) };
            }

            if (read is not null)
            {
                facts.Add(read);
            }
        }

        return context with { Registry = new RegistryFacts(facts) };
    }
}
