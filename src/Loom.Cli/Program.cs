using TorchSharp;
var t = torch.randn(3, 3);
Console.WriteLine(t.sum().item<float>());
Console.WriteLine(torch.get_num_threads());
