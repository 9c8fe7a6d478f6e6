using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Loom.Config;
using Loom.Experiments;

namespace Loom.Tests.Integration;

/// <summary>
/// The corpus of bad input in BadInputCorpus.yaml, each case run through the real `loom` executable:
/// exactly one line on stderr (`loom: error: …`) that names the culprit, the expected exit code (2 for
/// configuration and usage, 1 for data and runtime), no stack trace or libtorch `frame #`, and the outputs
/// folder — which holds existing XPs — byte for byte as it was. Cases marked `both` run `train` and `info`,
/// which must refuse with the same message.
/// </summary>
public sealed class BadInputCorpusTests(BadInputCorpusTests.Workspace workspace) : IClassFixture<BadInputCorpusTests.Workspace>
{
    static readonly string CorpusFile = Path.Combine(LoomCli.RepoRoot, "tests", "Loom.Tests", "Integration", "BadInputCorpus.yaml");
    static readonly Lazy<List<ConfigNode>> Cases = new(() =>
        ((List<object?>)YamlLoader.LoadFile(CorpusFile)["cases"]!).Cast<ConfigNode>().ToList());

    /// <summary>Overrides every train/info case starts with: a tiny run (if a case is wrongly accepted) in the scratch outputs.</summary>
    static readonly string[] Small = ["data.limit=100", "epochs=1", "threads=1", "progress=plain"];

    public static IEnumerable<object[]> CaseIds() =>
        Cases.Value.Select((c, i) => new object[] { i, $"{c.Get<string>("cmd")} {string.Join(" ", c.Get<List<string>>("args"))}" });

    [Fact]
    public void TheCorpusHasAtLeastSixtyCasesAcrossEveryKindOfInput()
    {
        Assert.True(Cases.Value.Count >= 60, $"{Cases.Value.Count} cases");
        var kinds = Cases.Value.Select(c => c.Get<string>("kind")).ToHashSet();
        string[] required = ["config-file", "grammar", "unknown-key", "value", "data", "grid", "cli"];
        Assert.Empty(required.Except(kinds)); // every kind of input has cases (the set difference names the missing ones)
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case(int index, string description)
    {
        var c = Cases.Value[index];
        string cmd = c.Get<string>("cmd");
        int exit = c.Get<int>("exit");
        string expect = c.Get<string>("expect");
        string conf = workspace.Conf(c.TryGet<ConfigNode>("conf_edit", out var edits) ? edits : null);
        var args = c.Get<List<string>>("args").Select(workspace.Expand).ToList();
        bool small = !c.TryGet<bool>("plain", out var plain) || !plain;
        string[] prefix = [.. small ? Small : [], $"loom.outputs={workspace.Outputs}"];

        string[] Command(string verb) => [verb, .. prefix, .. args];
        List<string[]> commands = cmd switch
        {
            "both" => [Command("train"), Command("info")],
            "train" or "info" => [Command(cmd)],
            "raw" => [args.ToArray()],
            _ => throw new InvalidDataException($"{CorpusFile}: case {index}: unknown cmd '{cmd}'"),
        };
        var lines = new List<string>();
        foreach (var command in commands)
        {
            var before = workspace.Snapshot();
            var run = workspace.Run(conf, command);
            string shown = $"case {index} ({description}): loom {string.Join(' ', command)} (exit {run.ExitCode})\nstdout: {Tail(run.Stdout)}\nstderr: {run.Stderr}";
            var errorLines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(errorLines.Length == 1, $"expected one line on stderr: {shown}");
            Assert.StartsWith("loom: error: ", errorLines[0]);
            Assert.True(errorLines[0].Contains(expect, StringComparison.Ordinal), $"expected '{expect}' in the message: {shown}");
            Assert.True(exit == run.ExitCode, $"expected exit {exit}: {shown}");
            Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
            Assert.DoesNotContain("frame #", run.Stderr + run.Stdout);
            var after = workspace.Snapshot();
            Assert.True(before.SequenceEqual(after), $"the outputs folder changed: {Diff(before, after)}; {shown}");
            lines.Add(errorLines[0]);
        }
        if (cmd == "both") Assert.True(lines[0] == lines[1], $"train and info must refuse alike:\ntrain: {lines[0]}\ninfo:  {lines[1]}");
    }

    static string Tail(string text) => text.Length > 400 ? "…" + text[^400..] : text;

    static string Diff(SortedDictionary<string, string> before, SortedDictionary<string, string> after)
    {
        var changes = before.Keys.Union(after.Keys).Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b)
            .Select(k => !before.ContainsKey(k) ? $"+{k}" : !after.ContainsKey(k) ? $"-{k}" : $"~{k}");
        return string.Join(", ", changes.Take(10));
    }

    /// <summary>
    /// One scratch folder for the whole corpus: an outputs folder with two existing XPs (made with the same
    /// small overrides the cases start with, so that excluded keys such as `device` or `data.root` address
    /// them), conf copies for the config-file cases, and damaged copies of Fashion-MNIST for the data cases.
    /// </summary>
    public sealed class Workspace : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("loom-corpus-").FullName;
        public string Outputs => Path.Combine(Root, "outputs");
        readonly Dictionary<string, string> data = [];
        int confCount;

        public Workspace()
        {
            foreach (var extra in new[] { Array.Empty<string>(), ["model=mlp"] })
            {
                var xp = Xp.Create(LoomCli.ConfDir, [.. Small, .. extra], Outputs);
                xp.WriteDefinition();
                File.WriteAllText(Path.Combine(xp.Folder, History.FileName), "[{\"epoch\": 1, \"train\": {\"loss\": 0.5, \"accuracy\": 0.8}}]");
                File.WriteAllText(Path.Combine(xp.Folder, "train.log"), "[existing][loom][INFO] - an earlier run\n");
            }
            BuildData();
        }

        /// <summary>`{outputs}`, `{root}` and `{data:NAME}` in a case's arguments.</summary>
        public string Expand(string arg)
        {
            arg = arg.Replace("{outputs}", Outputs).Replace("{root}", Root);
            foreach (var (name, folder) in data) arg = arg.Replace("{data:" + name + "}", folder);
            return arg;
        }

        /// <summary>The real conf, or a copy of it with files replaced (`path: text`, null text deletes the file).</summary>
        public string Conf(ConfigNode? edits)
        {
            if (edits is null) return LoomCli.ConfDir;
            string copy = Path.Combine(Root, $"conf{++confCount}");
            foreach (var file in Directory.EnumerateFiles(LoomCli.ConfDir, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(copy, Path.GetRelativePath(LoomCli.ConfDir, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            foreach (var (path, text) in edits)
            {
                string target = Path.Combine(copy, path);
                if (text is null) File.Delete(target);
                else { Directory.CreateDirectory(Path.GetDirectoryName(target)!); File.WriteAllText(target, (string)text); }
            }
            return copy;
        }

        public LoomCli.Result Run(string conf, string[] args)
        {
            using var cli = new LoomCli();
            var info = cli.StartInfo(args);
            // StartInfo ends with `--conf <the real conf>`: the config-file cases use their own copy, and a
            // case that passes --conf itself keeps only its own.
            info.ArgumentList.RemoveAt(info.ArgumentList.Count - 1);
            if (args.Contains("--conf")) info.ArgumentList.RemoveAt(info.ArgumentList.Count - 1);
            else info.ArgumentList.Add(conf);
            info.WorkingDirectory = Root;
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"loom {string.Join(' ', args)} ran over 3 minutes");
            }
            return new LoomCli.Result(process.ExitCode, stdout.Result, stderr.Result);
        }

        /// <summary>Every file and folder under the outputs folder, with the SHA-256 of each file.</summary>
        public SortedDictionary<string, string> Snapshot()
        {
            var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (!Directory.Exists(Outputs)) return entries;
            foreach (var entry in new DirectoryInfo(Outputs).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
                entries[Path.GetRelativePath(Outputs, entry.FullName)] = entry is FileInfo file
                    ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName))) : "dir";
            return entries;
        }

        /// <summary>Damaged copies of the Debian Fashion-MNIST folder (untouched files are symbolic links).</summary>
        void BuildData()
        {
            const string trainImages = "train-images-idx3-ubyte.gz", trainLabels = "train-labels-idx1-ubyte.gz";
            const string testImages = "t10k-images-idx3-ubyte.gz", testLabels = "t10k-labels-idx1-ubyte.gz";
            Variant("missing_file", dir => File.Delete(Path.Combine(dir, testLabels)));
            Variant("truncated", dir => Rewrite(dir, trainLabels, raw => raw[..^100]));
            Variant("swapped", dir => Replace(dir, testImages, Decompress(Path.Combine(LoomCli.FashionMnistRoot, testLabels))));
            Variant("not_gzip", dir => Write(dir, trainImages, "hello"u8.ToArray()));
            Variant("empty_gzip", dir => Replace(dir, trainLabels, []));
            Variant("empty_file", dir => Write(dir, testImages, []));
            Variant("bad_magic", dir => Rewrite(dir, testLabels, raw => { raw[2] = 0x0F; return raw; }));
            Variant("count_mismatch", dir => Replace(dir, trainLabels, Decompress(Path.Combine(LoomCli.FashionMnistRoot, testLabels))));
            Variant("huge_dims", dir => Rewrite(dir, testImages, raw => { raw[4] = 0x7F; raw[5] = 0xFF; return raw; }));
            data["missing_folder"] = Path.Combine(Root, "no-such-data");
        }

        void Variant(string name, Action<string> damage)
        {
            string dir = Path.Combine(Root, "data-" + name);
            Directory.CreateDirectory(dir);
            foreach (var file in Directory.GetFiles(LoomCli.FashionMnistRoot, "*.gz"))
                File.CreateSymbolicLink(Path.Combine(dir, Path.GetFileName(file)), file);
            damage(dir);
            data[name] = dir;
        }

        static void Write(string dir, string name, byte[] bytes)
        {
            File.Delete(Path.Combine(dir, name)); // the symbolic link, not the Debian file
            File.WriteAllBytes(Path.Combine(dir, name), bytes);
        }

        static void Rewrite(string dir, string name, Func<byte[], byte[]> change) =>
            Replace(dir, name, change(Decompress(Path.Combine(LoomCli.FashionMnistRoot, name))));

        static void Replace(string dir, string name, byte[] raw)
        {
            File.Delete(Path.Combine(dir, name));
            using var gz = new GZipStream(File.Create(Path.Combine(dir, name)), CompressionLevel.Fastest);
            gz.Write(raw);
        }

        static byte[] Decompress(string path)
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gz.CopyTo(memory);
            return memory.ToArray();
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
        }
    }
}
