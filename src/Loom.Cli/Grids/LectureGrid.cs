using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The lecture's grid-search slide (Training DNN): batch size {32, 64} × learning rate {0.1, 0.01}
/// × model {ResNet-18, MobileNetV2}, 8 XPs. Shortened (2 epochs on 1,000 samples) so that it finishes on a
/// 2-core machine; drop `data.limit` and raise `epochs` for the real thing.
/// </summary>
public sealed class LectureGrid : Grid
{
    public override string Description => "batch_size {32,64} x optim.lr {0.1,0.01} x model {resnet18,mobilenet_v2}";

    public override void Explore(Launcher launcher)
    {
        launcher.Bind_("epochs=2", "data.limit=1000");
        foreach (var model in new[] { "resnet18", "mobilenet_v2" })
        {
            var sub = launcher.Bind($"model={model}");
            foreach (var batchSize in new[] { 32, 64 })
                foreach (var lr in new[] { 0.1, 0.01 })
                    sub.Launch($"batch_size={batchSize}", $"optim.lr={lr}");
        }
    }
}
