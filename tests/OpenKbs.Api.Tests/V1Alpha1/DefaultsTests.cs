using System.Reflection;
using k8s;
using OpenKbs.Api.Crds;
using OpenKbs.Api.Schema;

namespace OpenKbs.Api.Tests.V1Alpha1;

public sealed class DefaultsTests
{
    public static TheoryData<Type, string> DefaultedProperties()
    {
        var data = new TheoryData<Type, string>();
        foreach (var type in typeof(ApiGroup).Assembly.GetTypes().Where(t => t.Namespace == "OpenKbs.Api.V1Alpha1" && t.IsClass))
        {
            foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<DefaultAttribute>() is not null))
            {
                data.Add(type, property.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DefaultedProperties))]
    public void Csharp_initializer_equals_the_schema_default(Type type, string propertyName)
    {
        // What the API server fills in and what C# code gets for an absent field must be the same thing.
        var property = type.GetProperty(propertyName)!;
        var instance = Activator.CreateInstance(type)!;
        var schema = new SchemaBuilder(XmlDocumentation.For(type.Assembly)).ForType(type).Properties[SchemaBuilder.JsonName(property)];

        Assert.Equal(KubernetesJson.Serialize(schema.DefaultProperty), KubernetesJson.Serialize(property.GetValue(instance)));
    }

    [Fact]
    public void The_documented_defaults_are_all_found()
    {
        Assert.Equal(8, DefaultedProperties().Count);
    }
}
