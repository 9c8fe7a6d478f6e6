using TorchSharp;
var asm = typeof(torch).Assembly;
foreach (var tn in new[]{"TorchSharp.Modules.SGD","TorchSharp.torch+optim+Optimizer","TorchSharp.Modules.OptimizerHelper","TorchSharp.torch+Generator","TorchSharp.torch+nn+Module"}) {
  var t = asm.GetType(tn); if (t==null){Console.WriteLine("no "+tn); continue;}
  foreach (var m in t.GetMethods().Where(m=>m.Name.Contains("State")||m.Name.Contains("save")||m.Name.Contains("load")||m.Name.Contains("state")).Select(m=>m.ToString()).Distinct()) Console.WriteLine(tn+": "+m);
}
foreach (var m in typeof(torch).GetMethods().Where(m=>m.Name.Contains("rng")||m.Name.Contains("thread")||m.Name.Contains("determin")).Select(m=>m.ToString()).Distinct()) Console.WriteLine("torch: "+m);
