using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects;

/// <summary>The owner reference of an object a Project makes in its namespace (API-key Secret, AuditRuns): it goes with the Project.</summary>
internal static class ProjectOwnerReference
{
    /// <summary>Controller reference to <paramref name="project"/>; <c>blockOwnerDeletion</c> false (needs no rights on the Project's finalizers).</summary>
    public static V1OwnerReference For(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new V1OwnerReference
        {
            ApiVersion = ApiGroup.ApiVersion,
            Kind = Project.KubeKind,
            Name = project.Metadata.Name,
            Uid = project.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = false,
        };
    }
}
