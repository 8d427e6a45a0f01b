using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>What another ClientAccount owns: "email" or "account", its value, the owner, and the message to show.</summary>
internal sealed record OwnershipConflict(string What, string Value, ClientAccount Owner, string Message);
