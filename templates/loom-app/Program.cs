using Loom.App;
using LoomApp1;

// Every Loom command for this app's task and grids: `LoomApp1 train`, `LoomApp1 grid lr`, `LoomApp1 info -f SIG`, ...
return LoomApp.Run(args, app => app.Task<CharLmTask>().Grids(typeof(Program).Assembly));
