namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// One overload the rule checker accepts: member (receiver.f(args)) or global (f(args)), the receiver kinds it
/// applies to (empty: any), its argument count and how its result type follows from the receiver.
/// </summary>
internal sealed record CelOverload(string Name, bool Member, int Arity, CelTypeKind[] Receivers, Func<CelType, CelType> Result);
