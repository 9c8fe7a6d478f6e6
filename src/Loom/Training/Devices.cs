using Loom.Config;

namespace Loom.Training;

/// <summary>
/// Checks `device` before libtorch is loaded: a CUDA device on a CPU-only build of TorchSharp would abort
/// in native code, so the build is told from the native libraries next to the app (TorchSharp-cuda ships
/// libtorch_cuda.so; TorchSharp-cpu does not).
/// </summary>
public static class Devices
{
    public static bool CudaBuild { get; } = HasCudaLibrary();

    public static void Check(string device)
    {
        var m = System.Text.RegularExpressions.Regex.Match(device, @"^(cpu|cuda)(:(\d+))?$");
        if (!m.Success || (m.Groups[1].Value == "cpu" && m.Groups[2].Success))
            throw new ConfigException($"device={device}: expected cpu or cuda[:N]");
        if (m.Groups[1].Value == "cuda" && !CudaBuild)
            throw new ConfigException($"device={device}: this build of Loom has TorchSharp for CPU only (available: cpu); reference TorchSharp-cuda for GPUs");
    }

    static bool HasCudaLibrary()
    {
        string baseDir = AppContext.BaseDirectory;
        return new[] { baseDir, Path.Combine(baseDir, "runtimes", "linux-x64", "native"), Path.Combine(baseDir, "runtimes", "win-x64", "native") }
            .Any(dir => File.Exists(Path.Combine(dir, "libtorch_cuda.so")) || File.Exists(Path.Combine(dir, "torch_cuda.dll")));
    }
}
