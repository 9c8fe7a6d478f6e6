using System.Collections;
using System.Numerics;
using System.Reflection;

namespace Loom.Config;

/// <summary>
/// Converts config values to C# types: scalars, enums, lists, dictionaries and records/classes, whose
/// PascalCase members take the snake_case keys (`weight_decay` → `WeightDecay`). Records with a primary
/// constructor bind through it; other classes through settable (or init) properties. A type mismatch
/// names key, value and the expected type.
/// Sections are closed, like OmegaConf's struct mode: a key that the record does not declare is refused
/// with the closest member as a suggestion — in nested records too — unless the record is marked
/// <see cref="OpenSectionAttribute"/>. Only the root of the config, bound with <see cref="BindRoot"/>, is
/// open at its top level (as in Hydra, `+key=v` may add root keys, which the delta records and a task may
/// read); the records below it are closed again.
/// </summary>
public static class ConfigBinder
{
    /// <summary>Converts <paramref name="value"/>, found at dotted <paramref name="key"/>, to <paramref name="target"/>; records bind closed.</summary>
    public static object? Convert(object? value, Type target, string key) => Convert(value, target, key, openHere: false);

    /// <summary>Binds the whole config: keys the root record does not declare are left for other consumers.</summary>
    public static object? BindRoot(ConfigNode root, Type target) => Convert(root, target, "", openHere: true);

    static object? Convert(object? value, Type target, string key, bool openHere)
    {
        var underlying = Nullable.GetUnderlyingType(target);
        if (value is null)
        {
            if (underlying is not null || !target.IsValueType) return null;
            throw Mismatch(key, value, target);
        }
        target = underlying ?? target;
        if (target == typeof(object) || target.IsInstanceOfType(value) && value is not List<object?>) return value;

        if (target == typeof(double) || target == typeof(float) || target == typeof(decimal))
            return value switch
            {
                double d => System.Convert.ChangeType(d, target),
                long l => System.Convert.ChangeType(l, target),
                BigInteger b => System.Convert.ChangeType((double)b, target),
                _ => throw Mismatch(key, value, target),
            };
        if (target == typeof(int) || target == typeof(long) || target == typeof(short) || target == typeof(byte))
            return value is long l && FitsIn(l, target) ? System.Convert.ChangeType(l, target) : throw Mismatch(key, value, target);
        if (target == typeof(BigInteger))
            return value is long l2 ? new BigInteger(l2) : throw Mismatch(key, value, target);
        if (target == typeof(string))
            return value is string ? value : throw Mismatch(key, value, target);
        if (target == typeof(bool)) throw Mismatch(key, value, target);
        if (target.IsEnum) return ToEnum(value, target, key);
        if (value is List<object?> list) return ToCollection(list, target, key);
        if (value is ConfigNode node) return ToObject(node, target, key, openHere);
        throw Mismatch(key, value, target);
    }

    static bool FitsIn(long l, Type t) =>
        t == typeof(long) || (t == typeof(int) && l is >= int.MinValue and <= int.MaxValue)
        || (t == typeof(short) && l is >= short.MinValue and <= short.MaxValue) || (t == typeof(byte) && l is >= 0 and <= 255);

    static object ToEnum(object value, Type target, string key)
    {
        if (value is string s)
        {
            string normalized = s.Replace("_", "");
            foreach (var name in Enum.GetNames(target))
                if (string.Equals(name, normalized, StringComparison.OrdinalIgnoreCase)) return Enum.Parse(target, name);
        }
        throw new ConfigException($"key '{key}': value {ConfigPath.Describe(value)} is not one of {string.Join(", ", Enum.GetNames(target))}");
    }

    static object ToCollection(List<object?> list, Type target, string key)
    {
        Type? element = target.IsArray ? target.GetElementType()
            : target.IsGenericType && target.GetGenericArguments().Length == 1 ? target.GetGenericArguments()[0] : null;
        if (element is null) throw Mismatch(key, list, target);
        var items = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        for (int i = 0; i < list.Count; i++) items.Add(Convert(list[i], element, $"{key}[{i}]"));
        if (target.IsArray)
        {
            var array = Array.CreateInstance(element, items.Count);
            items.CopyTo(array, 0);
            return array;
        }
        if (target.IsAssignableFrom(items.GetType())) return items;
        throw Mismatch(key, list, target);
    }

    static object ToObject(ConfigNode node, Type target, string key, bool openHere)
    {
        if (target.IsGenericType && target.GetGenericArguments() is [var k, var v] && k == typeof(string)
            && target.IsAssignableFrom(typeof(Dictionary<,>).MakeGenericType(k, v)))
        {
            var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(k, v))!;
            foreach (var (childKey, child) in node) dict[childKey] = Convert(child, v, Join(key, childKey));
            return dict;
        }
        if (target.IsPrimitive || target.IsInterface || target.IsAbstract) throw Mismatch(key, node, target);

        var ctor = target.GetConstructor(Type.EmptyTypes)
                   ?? target.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                   ?? throw new ConfigException($"key '{key}': type {target.Name} has no public constructor to bind");
        var byMember = ByMember(node, key, Declared(target, ctor));
        if (!openHere && !target.IsDefined(typeof(OpenSectionAttribute), inherit: true)) RefuseUndeclared(node, target, ctor, key);
        var args = ctor.GetParameters().Select(p => BindParameter(p, byMember, key, target)).ToArray();
        var instance = ctor.Invoke(args);
        var bound = new HashSet<string>(ctor.GetParameters().Select(p => p.Name!), StringComparer.OrdinalIgnoreCase);
        foreach (var prop in target.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (bound.Contains(prop.Name) || prop.SetMethod is not { IsPublic: true } || prop.GetIndexParameters().Length > 0) continue;
            if (byMember.TryGetValue(prop.Name, out var entry))
                prop.SetValue(instance, Convert(entry.Value, prop.PropertyType, Join(key, entry.Key)));
        }
        return instance;
    }

    /// <summary>
    /// The section's entries by member name. Two keys that name one member (`weight_decay` and `weightDecay`)
    /// are refused: binding would have to pick one silently.
    /// </summary>
    static Dictionary<string, KeyValuePair<string, object?>> ByMember(ConfigNode node, string key, IReadOnlyList<string> declared)
    {
        var members = new HashSet<string>(declared.Select(MemberName), StringComparer.OrdinalIgnoreCase);
        var byMember = new Dictionary<string, KeyValuePair<string, object?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in node)
        {
            if (byMember.TryGetValue(MemberName(entry.Key), out var first) && members.Contains(MemberName(entry.Key)))
                throw new ConfigException($"keys '{Join(key, first.Key)}' and '{Join(key, entry.Key)}' name the same setting: keep one");
            byMember[MemberName(entry.Key)] = entry;
        }
        return byMember;
    }

    /// <summary>Struct mode: every key of the section must be a constructor parameter or a settable property.</summary>
    static void RefuseUndeclared(ConfigNode node, Type target, ConstructorInfo ctor, string key)
    {
        var declared = Declared(target, ctor);
        var members = new HashSet<string>(declared.Select(MemberName), StringComparer.OrdinalIgnoreCase);
        foreach (var childKey in node.Keys)
        {
            if (members.Contains(MemberName(childKey))) continue;
            var close = EditDistance.Closest(childKey, declared);
            string hint = close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close.Select(c => Join(key, c)))}?)";
            string section = key.Length == 0 ? $"the config ({target.Name})" : key;
            throw new ConfigException($"key '{Join(key, childKey)}' is not a setting of {section}{hint}");
        }
    }

    /// <summary>The settings a type declares, snake_case: its constructor's parameters and its settable properties.</summary>
    static IReadOnlyList<string> Declared(Type target, ConstructorInfo ctor) =>
        ctor.GetParameters().Select(p => p.Name!)
            .Concat(target.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0).Select(p => p.Name))
            .Select(SnakeCase).Distinct().ToList();

    static object? BindParameter(ParameterInfo p, Dictionary<string, KeyValuePair<string, object?>> byMember, string key, Type target)
    {
        if (byMember.TryGetValue(p.Name!, out var entry)) return Convert(entry.Value, p.ParameterType, Join(key, entry.Key));
        if (p.HasDefaultValue) return p.DefaultValue;
        if (!p.ParameterType.IsValueType || Nullable.GetUnderlyingType(p.ParameterType) is not null) return null;
        throw new ConfigException($"missing key '{Join(key, SnakeCase(p.Name!))}' (expected {TypeName(p.ParameterType)} for {target.Name})");
    }

    /// <summary>`weight_decay` → `weightdecay`, compared case-insensitively with member names.</summary>
    static string MemberName(string yamlKey) => yamlKey.Replace("_", "").Replace("-", "");

    static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    static ConfigException Mismatch(string key, object? value, Type target) =>
        new($"key '{key}': value {ConfigPath.Describe(value)} is not {Article(TypeName(target))}");

    static string Article(string typeName) => typeName.StartsWith("a ") || typeName.StartsWith("an ") ? typeName
        : ("aeiou".Contains(char.ToLowerInvariant(typeName[0])) ? "an " : "a ") + typeName;

    public static string TypeName(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(BigInteger)) return "int";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "float";
        if (t == typeof(bool)) return "bool";
        if (t == typeof(string)) return "string";
        if (t.IsArray || typeof(IEnumerable).IsAssignableFrom(t) && t.IsGenericType && t.GetGenericArguments().Length == 1) return "list";
        if (t == typeof(ConfigNode)) return "mapping";
        return t.Name;
    }
}
