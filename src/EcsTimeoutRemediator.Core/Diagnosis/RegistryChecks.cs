using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Context;

namespace EcsTimeoutRemediator.Diagnosis;

/// <summary>The image references and, for ECR, the repository, the tag or digest and the platforms.</summary>
public static class RegistryChecks
{
    public static IEnumerable<Finding> Check(DiagnosisTarget target, string? category, TaskDefinitionFacts td, RegistryFacts? registry)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(td);
        var images = td.Containers.Select(c => (c.Name, c.Image))
            .Where(x => target.ContainerName is null || category is null || x.Name == target.ContainerName || x.Image == target.Image)
            .ToList();
        if (images.Count == 0)
        {
            images = [.. td.Containers.Select(c => (c.Name, c.Image))];
        }

        foreach (var (name, image) in images)
        {
            var reference = ImageReference.Parse(image);
            if (reference is null)
            {
                yield return Finding.Of("image-reference", FindingStatus.Wrong,
                    Sentence.Of($"Container {name} has no valid image reference (\"{image}\")."), [td.TaskDefinitionArn], FixId.FixImageReference)
                with { Headline = $"invalid image reference in {name}" };
                continue;
            }

            var r = reference.Value;
            var what = r.Digest is { } d ? Sentence.Of($"digest {d}") : Sentence.Of($"tag {r.Tag}");
            if (!r.IsEcr)
            {
                if (category is null or Category.ImagePullNotFound)
                {
                    yield return Finding.Of("image", FindingStatus.Unknown,
                        Sentence.Of($"Container {name} pulls {r.Repository} ({what}) from {r.Registry}: only ECR images are looked up."), [image!]);
                }

                continue;
            }

            var facts = registry?.Images.FirstOrDefault(f => f.RegistryId == r.RegistryId && f.Repository == r.Repository && f.Tag == r.Tag && f.Digest == r.Digest);
            if (facts is null)
            {
                continue;
            }

            if (!facts.RepositoryExists)
            {
                yield return Finding.Of("ecr-repository", FindingStatus.Missing,
                    Sentence.Of($"The ECR repository {Sentence.Id(r.Repository)} does not exist in registry {Sentence.Id(r.RegistryId)} (container {name} pulls {Sentence.Id(image)})."),
                    [image!], FixId.FixImageReference)
                with { Headline = $"repository {r.Repository} does not exist" };
            }
            else if (!facts.ImageExists)
            {
                yield return Finding.Of("ecr-image", FindingStatus.Missing,
                    Sentence.Of($"The ECR repository {Sentence.Id(r.Repository)} has no image with {what} (container {name} pulls {Sentence.Id(image)})."),
                    [image!], FixId.FixImageReference)
                with { Headline = $"{r.Repository}:{r.Tag ?? r.Digest} not in ECR" };
            }
            else
            {
                yield return Finding.Of("ecr-image", FindingStatus.Ok, Sentence.Of($"{Sentence.Id(image)} exists in ECR."), [image!]);
                // doctor (no category) compares the platforms only when it could read them.
                if (category == Category.ImagePullPlatform || (category is null && facts.Platforms is { Count: > 0 }))
                {
                    var platform = TaskPlatform(td);
                    if (facts.Platforms is { Count: > 0 } built)
                    {
                        yield return built.Any(p => p == platform || p.StartsWith(platform + "/", StringComparison.Ordinal))
                            ? Finding.Of("image-platform", FindingStatus.Ok, Sentence.Of($"{Sentence.Id(image)} was built for {string.Join(", ", built)}, which includes the task's {platform}."), [image!])
                            : Finding.Of("image-platform", FindingStatus.Wrong,
                                Sentence.Of($"{Sentence.Id(image)} was built for {string.Join(", ", built)} only; the task runs on {platform} (runtimePlatform of {Sentence.Id(td.TaskDefinitionArn)})."),
                                [image!, td.TaskDefinitionArn], FixId.MatchRuntimePlatform)
                            with { Headline = $"image has no {platform} variant" };
                    }
                    else
                    {
                        yield return Finding.Of("image-platform", FindingStatus.Unknown,
                            Sentence.Of($"{Sentence.Id(image)} is a {Sentence.Words(facts.IsMultiPlatform ? "multi-platform image whose platform list could not be read" : "single-platform image, whose architecture is only in its image configuration")}; the task runs on {platform}: compare with docker manifest inspect."),
                            [image!]);
                    }
                }
            }
        }
    }

    private static string Arch(string? cpu) => string.Equals(cpu, "ARM64", StringComparison.OrdinalIgnoreCase) ? "arm64" : "amd64";

    /// <summary>The task's platform as image manifests name it: <c>linux/amd64</c>, <c>windows/amd64</c>, …</summary>
    private static string TaskPlatform(TaskDefinitionFacts td) =>
        $"{(td.OperatingSystemFamily?.StartsWith("WINDOWS", StringComparison.OrdinalIgnoreCase) == true ? "windows" : "linux")}/{Arch(td.CpuArchitecture)}";
}

/// <summary>The registry and image area: the references, and for ECR the repository, the tag or digest and the platforms.</summary>
public sealed class RegistryCheck : IAreaCheck
{
    private static readonly IReadOnlyDictionary<string, string> Unread =
        UnreadNames.All("ecr-image", "ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer");

    public DiagnosisScope Checks => DiagnosisScope.Registry | DiagnosisScope.ImagePlatform;

    public IEnumerable<Finding> Check(CheckInput input) =>
        input.Scope.HasFlag(DiagnosisScope.Registry) && input.TaskDefinition is { } td
            ? RegistryChecks.Check(input.Target, input.Category, td, input.Context.Registry)
            : [];

    public string? NameOfUnread(ReadGap gap, TaskDefinitionFacts? taskDefinition) => UnreadNames.Of(gap, Unread);
}
