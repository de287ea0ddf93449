using EcsTimeoutRemediator.Classification;
using EcsTimeoutRemediator.Diagnosis;
using static EcsTimeoutRemediator.Advisories.Steps.StepArgs;

namespace EcsTimeoutRemediator.Advisories.Steps;

/// <summary>The registry and image area: the reference, the pull-through cache, the platform, the storage and the manifest.</summary>
internal sealed class RegistrySteps : IFixSteps
{
    public IReadOnlyList<string> Fixes { get; } = [FixId.FixImageReference, FixId.UsePullThroughCache, FixId.MatchRuntimePlatform, FixId.FreeImageStorage, FixId.RebuildImage];

    public IEnumerable<NextStep> Steps(string fix, CommandTargets t, ClassificationResult c)
    {
        var r = t.Region;
        var cl = t.Cluster;
        switch (fix)
        {
            case FixId.FixImageReference:
                yield return ImageCheck(r, Image(t));
                break;
            case FixId.UsePullThroughCache:
                yield return NextStep.Change("Pull Docker Hub images through an ECR pull-through cache (authenticated, not rate limited per task IP)",
                    "aws", "ecr", "create-pull-through-cache-rule", "--region", r, "--ecr-repository-prefix", "docker-hub", "--upstream-registry-url", "registry-1.docker.io", "--credential-arn", "<docker-hub-secret-arn>");
                break;
            case FixId.MatchRuntimePlatform:
                yield return NextStep.Check("Compare the task's runtime platform with the image's platforms", Fact.RuntimePlatform,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.runtimePlatform");
                yield return NextStep.Check("List the platforms the image was built for", Fact.ImagePlatforms,
                    "docker", "manifest", "inspect", Image(t));
                break;
            case FixId.FreeImageStorage:
                yield return NextStep.Check("Compare the image's size with the task's ephemeral storage (Fargate: 20 GiB unless ephemeralStorage raises it, up to 200)", null,
                    "aws", "ecs", "describe-task-definition", "--region", r, "--task-definition", TaskDef(t), "--query", "taskDefinition.{ephemeralStorage:ephemeralStorage,images:containerDefinitions[].image}");
                yield return NextStep.Check("On EC2, find the container instance that ran the task, then free its Docker or containerd volume (unused images, stopped containers) or give it a larger data volume", null,
                    "aws", "ecs", "describe-tasks", "--region", r, "--cluster", cl, "--tasks", t.TaskArn, "--query", "tasks[0].{launchType:launchType,containerInstanceArn:containerInstanceArn}");
                break;
            case FixId.RebuildImage:
                yield return NextStep.Check("Inspect the image's manifest: attestation or zstd layers an old runtime cannot apply show up here", null,
                    "docker", "buildx", "imagetools", "inspect", Image(t));
                yield return NextStep.Change("Rebuild and push the image as one plain manifest per platform, without provenance or SBOM attestations",
                    "docker", "buildx", "build", "--provenance=false", "--sbom=false", "--platform", "linux/amd64", "--tag", Image(t), "--push", ".");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fix), fix, "not a fix of this area");
        }
    }

    private static NextStep ImageCheck(string region, string image)
    {
        var reference = ImageReference.Parse(image);
        return reference is { IsEcr: true, RegistryId: { } registryId }
            ? NextStep.Check("Check that the repository and tag exist in ECR", Fact.ImageExists,
                "aws", "ecr", "describe-images", "--region", region, "--registry-id", registryId, "--repository-name", reference.Value.Repository,
                "--image-ids", reference.Value.Digest is { } d ? $"imageDigest={d}" : $"imageTag={reference.Value.Tag}")
            : NextStep.Check("Check that the image exists and can be pulled", Fact.ImageExists, "docker", "manifest", "inspect", image);
    }
}
