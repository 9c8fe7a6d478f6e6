using System.Runtime.Versioning;

// Slurm, munge and the frozen code's Unix file modes exist on Linux only: so do these tests.
[assembly: SupportedOSPlatform("linux")]
