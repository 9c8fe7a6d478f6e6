using Loom.App;
using Loom.Reporting.Commands;
using Loom.TorchVision;
using Loom.Vision;

// `loom`: Loom's own app — the reference image-classification task and the built-in grids (Grids/) and the
// reporting views (report, plot, serve: Loom.Reporting).
TorchVisionModels.Register(); // model=resnet18, model=mobilenet_v2 (Loom.TorchVision)
return LoomApp.Run(args, app => app.Name("loom").Task<ImageClassificationTask>().Grids(typeof(Loom.Cli.Grids.SmokeGrid).Assembly).AddReporting());
