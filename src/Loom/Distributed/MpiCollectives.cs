using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// <see cref="ICollectives"/> over MPI_COMM_WORLD of Open MPI (see <see cref="Mpi"/>). Tensors travel
/// in place, from their own memory (contiguous CPU tensors of float32, float64, int32, int64 or uint8).
/// Disposing it calls MPI_Finalize, which every rank must reach: a rank that exits without it makes
/// mpirun report a failure.
/// </summary>
public sealed class MpiCollectives : ICollectives
{
    MpiCollectives(int rank, int worldSize)
    {
        Rank = rank;
        WorldSize = worldSize;
    }

    /// <summary>Initializes MPI in this process (once) and joins the world communicator.</summary>
    public static MpiCollectives Start()
    {
        // MPI_Init without a launcher would make a lonely singleton (or hang looking for one): say what to do.
        if (DistributedEnvironment.Read().Launcher == "none")
            throw new MpiUnavailableException(
                "this process was not started by mpirun or srun --mpi=pmix: launch it with `mpirun -np N ...` (or `loom train -d N`)");
        Mpi.Init();
        return new MpiCollectives(Mpi.Rank, Mpi.Size);
    }

    public int Rank { get; }
    public int WorldSize { get; }

    public void Broadcast(Tensor tensor, int root = 0)
    {
        var (type, size) = Datatype(tensor);
        Mpi.Broadcast(ref TensorMemory.First(tensor, "broadcast"), tensor.numel(), size, type, root);
    }

    public void AllReduceSum(Tensor tensor)
    {
        var (type, size) = Datatype(tensor);
        Mpi.AllReduceInPlace(ref TensorMemory.First(tensor, "all-reduce"), tensor.numel(), size, type, Mpi.Sum);
    }

    public void AllReduceSum(Span<double> values)
    {
        if (values.IsEmpty) return;
        Mpi.AllReduceInPlace(ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(values)), values.Length, sizeof(double), Mpi.Double, Mpi.Sum);
    }

    public void Barrier() => Mpi.Barrier();

    /// <summary>MPI_Abort: kills every rank at once (their last output may be lost; <see cref="ProcessContext.End"/> is the usual way out).</summary>
    public void Abort(int errorCode) => Mpi.Abort(errorCode);

    public void Dispose() => Mpi.Shutdown();

    static (IntPtr Type, int Size) Datatype(Tensor tensor) => tensor.dtype switch
    {
        ScalarType.Float32 => (Mpi.Float, 4),
        ScalarType.Float64 => (Mpi.Double, 8),
        ScalarType.Int64 => (Mpi.Int64, 8),
        ScalarType.Int32 => (Mpi.Int32, 4),
        ScalarType.Byte => (Mpi.UInt8, 1),
        var other => throw new NotSupportedException($"MPI collectives: no MPI type for {other} tensors"),
    };
}
