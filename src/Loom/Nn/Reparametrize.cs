using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Nn;

/// <summary>
/// Applies weight norm, spectral norm or the λ scaling of the lecture to every Linear/Conv layer of any model (as calling
/// torch.nn.utils.weight_norm on each). TorchSharp modules hold their children in fields (and Sequential in a
/// private list) with no API to swap a child, so the swap goes through reflection: the field or list slot
/// that holds the layer is pointed at the wrapper, and the child registration is renewed.
/// </summary>
public static class Reparametrize
{
    public static T WeightNorm<T>(T model) where T : nn.Module => Apply(model, layer => new WeightNorm(layer));

    public static T SpectralNorm<T>(T model, int powerIterations = 1) where T : nn.Module =>
        Apply(model, layer => new SpectralNorm(layer, powerIterations));

    /// <summary>Stores every Linear/Conv weight and bias as y = w / λ and computes with λ·y (<see cref="ScaledLayer"/>).</summary>
    public static T Scale<T>(T model, double lambda) where T : nn.Module => Apply(model, layer => new ScaledLayer(layer, lambda));

    /// <summary>Replaces every supported layer below <paramref name="model"/> by <paramref name="wrap"/>(layer); returns the model.</summary>
    public static T Apply<T>(T model, Func<nn.Module, nn.Module> wrap) where T : nn.Module
    {
        if (ReparametrizedLayer.Supports(model)) throw new ArgumentException("the model is itself a single layer: wrap it directly");
        Visit(model, wrap);
        return model;
    }

    static void Visit(nn.Module parent, Func<nn.Module, nn.Module> wrap)
    {
        foreach (var (name, child) in parent.named_children().ToList())
        {
            if (child is ReparametrizedLayer) continue;
            if (ReparametrizedLayer.Supports(child)) Replace(parent, name, child, wrap(child));
            else Visit(child, wrap);
        }
    }

    static void Replace(nn.Module parent, string name, nn.Module old, nn.Module replacement)
    {
        if (parent is Sequential)
        {
            var list = (System.Collections.IList)Field(typeof(Sequential), "_modules").GetValue(parent)!;
            list[list.IndexOf(old)] = replacement;
            return;
        }
        bool found = false;
        for (var type = parent.GetType(); type is not null && type != typeof(nn.Module); type = type.BaseType)
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (ReferenceEquals(field.GetValue(parent), old))
                {
                    if (!field.FieldType.IsInstanceOfType(replacement))
                        throw new NotSupportedException($"cannot reparametrize '{name}' of {parent.GetType().Name}: its field {field.Name} is typed {field.FieldType.Name}");
                    field.SetValue(parent, replacement);
                    found = true;
                }
        if (!found) throw new NotSupportedException($"cannot reparametrize '{name}' of {parent.GetType().Name}: the layer is not held in a field");
        parent.register_module(name, null!); // removes the old registration
        parent.register_module(name, replacement);
    }

    static FieldInfo Field(Type type, string name) =>
        type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new NotSupportedException($"TorchSharp's {type.Name} has no field {name} (TorchSharp version changed?)");
}
