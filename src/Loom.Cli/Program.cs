using System.CommandLine;
using Loom.Cli;
using Loom.Cli.Commands;

// `loom`: the command line of Loom. Each sub-command lives in Commands/; this file only declares the syntax.
var conf = new Option<string?>("--conf") { Description = "Config folder holding config.yaml (default: ./conf, else the bundled reference task)" };
var overrides = new Argument<string[]>("overrides") { Arity = ArgumentArity.ZeroOrMore, Description = "Hydra overrides: key=value, +key=value, ++key=value, ~key, group=option" };

var multirun = new Option<bool>("--multirun", "-m") { Description = "Expand comma-separated values to their cartesian product, one XP each" };
var train = new Command("train", "Train one XP in the foreground (resumes from its checkpoint)") { overrides, multirun, conf };
train.SetAction(p => TrainCommand.Run(ConfFolder.Resolve(p.GetValue(conf)), p.GetValue(overrides) ?? [], p.GetValue(multirun)));

var json = new Option<bool>("--json") { Description = "One JSON object: sig, name, delta, folder, config" };
var fromSig = new Option<string?>("--from-sig", "-f") { Description = "Describe the existing XP with this signature" };
var info = new Command("info", "Describe an XP without running it") { overrides, json, fromSig, conf };
info.SetAction(p => InfoCommand.Run(ConfFolder.Resolve(p.GetValue(conf)), p.GetValue(overrides) ?? [], p.GetValue(fromSig), p.GetValue(json)));

var root = new RootCommand("Loom: train neural networks and manage experiments (Dora/Hydra for .NET)") { train, info };
try
{
    return root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (UserError.ExitCode(e) is int code)
{
    return UserError.Report(e, code);
}
