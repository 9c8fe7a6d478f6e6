using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Loom.Distributed;

/// <summary>
/// The few MPI calls data parallel needs, bound with P/Invoke to Open MPI's <c>libmpi.so.40</c>.
/// <para>
/// OPEN MPI ABI ONLY. MPI fixes the C API, not the ABI: in Open MPI the predefined handles
/// (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, ...) are the addresses of exported globals
/// (<c>ompi_mpi_comm_world</c>, ...) and <c>MPI_IN_PLACE</c> is <c>(void*)1</c>; MPICH and Microsoft MPI use
/// integer handles instead, so this class would crash with them (it is also why NuGet's MPI.NET, built for
/// MS-MPI, fails on Linux). Handles are read once with <see cref="NativeLibrary.GetExport"/>.
/// </para>
/// Every call checks its return code: communicator errors return (MPI_ERRORS_RETURN) instead of aborting, so
/// they surface as <see cref="MpiException"/> with Open MPI's message; the process then exits non-zero and
/// the launcher ends the other ranks.
/// </summary>
public static class Mpi
{
    const string Library = "libmpi.so.40";
    static readonly IntPtr InPlace = 1;  // MPI_IN_PLACE in Open MPI's mpi.h
    const int ThreadSerialized = 2;      // MPI_THREAD_SERIALIZED in Open MPI's mpi.h
    static IntPtr library;

    /// <summary>MPI_COMM_WORLD.</summary>
    public static IntPtr CommWorld { get; private set; }
    public static IntPtr Float { get; private set; }
    public static IntPtr Double { get; private set; }
    public static IntPtr Int64 { get; private set; }
    public static IntPtr Int32 { get; private set; }
    public static IntPtr UInt8 { get; private set; }
    /// <summary>MPI_SUM.</summary>
    public static IntPtr Sum { get; private set; }

    /// <summary>Loads libmpi.so.40 and reads the predefined handles; throws <see cref="MpiUnavailableException"/> when it is missing.</summary>
    public static void Load()
    {
        if (library != IntPtr.Zero) return;
        if (!NativeLibrary.TryLoad(Library, out var handle))
            throw new MpiUnavailableException(
                "data parallel needs Open MPI: libmpi.so.40 not found (install it: apt-get install openmpi-bin)");
        CommWorld = Export(handle, "ompi_mpi_comm_world");
        Float = Export(handle, "ompi_mpi_float");
        Double = Export(handle, "ompi_mpi_double");
        Int64 = Export(handle, "ompi_mpi_int64_t");
        Int32 = Export(handle, "ompi_mpi_int32_t");
        UInt8 = Export(handle, "ompi_mpi_uint8_t");
        Sum = Export(handle, "ompi_mpi_op_sum");
        errorsReturn = Export(handle, "ompi_mpi_errors_return");
        library = handle;
    }

    static IntPtr errorsReturn;

    static IntPtr Export(IntPtr handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var address) ? address
            : throw new MpiUnavailableException($"{Library} has no symbol {name}: Loom needs Open MPI (apt-get install openmpi-bin), not another MPI");

    public static bool IsInitialized
    {
        get
        {
            if (library == IntPtr.Zero) return false;
            Check(nameof(MPI_Initialized), MPI_Initialized(out int flag));
            return flag != 0;
        }
    }

    public static bool IsFinalized
    {
        get
        {
            if (library == IntPtr.Zero) return false;
            Check(nameof(MPI_Finalized), MPI_Finalized(out int flag));
            return flag != 0;
        }
    }

    /// <summary>
    /// MPI_Init_thread (once per process) at MPI_THREAD_SERIALIZED, then MPI_ERRORS_RETURN on the world
    /// communicator. SERIALIZED, not SINGLE: .NET code may make its MPI calls from another thread than the one
    /// that initialized (a thread-pool continuation), never from two at once.
    /// </summary>
    public static void Init()
    {
        Load();
        if (IsInitialized) return;
        Check(nameof(MPI_Init_thread), MPI_Init_thread(IntPtr.Zero, IntPtr.Zero, ThreadSerialized, out int provided));
        if (provided < ThreadSerialized)
            throw new MpiUnavailableException($"this Open MPI gives thread level {provided}, Loom needs MPI_THREAD_SERIALIZED ({ThreadSerialized})");
        Check(nameof(MPI_Comm_set_errhandler), MPI_Comm_set_errhandler(CommWorld, errorsReturn));
    }

    /// <summary>MPI_Finalize, once (named so because a static Finalize method reads as a destructor to C#).</summary>
    public static void Shutdown()
    {
        if (IsInitialized && !IsFinalized) Check(nameof(MPI_Finalize), MPI_Finalize());
    }

    /// <summary>Ends every rank of the job (mpirun kills the others and exits with <paramref name="errorCode"/>); does not return.</summary>
    public static void Abort(int errorCode)
    {
        MPI_Abort(CommWorld, errorCode);
        Environment.Exit(errorCode);  // MPI_Abort does not return in Open MPI; this is in case it ever does
    }

    public static int Rank
    {
        get { Check(nameof(MPI_Comm_rank), MPI_Comm_rank(CommWorld, out int rank)); return rank; }
    }

    public static int Size
    {
        get { Check(nameof(MPI_Comm_size), MPI_Comm_size(CommWorld, out int size)); return size; }
    }

    /// <summary>MPI_Bcast of <paramref name="count"/> elements starting at <paramref name="buffer"/>.</summary>
    public static void Broadcast(ref byte buffer, long count, int elementSize, IntPtr datatype, int root)
    {
        foreach (var (offset, n) in Chunks(count))
            Check(nameof(MPI_Bcast), MPI_Bcast(ref Unsafe.Add(ref buffer, (nint)(offset * elementSize)), n, datatype, root, CommWorld));
    }

    /// <summary>In-place MPI_Allreduce (MPI_IN_PLACE) of <paramref name="count"/> elements starting at <paramref name="buffer"/>.</summary>
    public static void AllReduceInPlace(ref byte buffer, long count, int elementSize, IntPtr datatype, IntPtr op)
    {
        foreach (var (offset, n) in Chunks(count))
            Check(nameof(MPI_Allreduce), MPI_Allreduce(InPlace, ref Unsafe.Add(ref buffer, (nint)(offset * elementSize)), n, datatype, op, CommWorld));
    }

    public static void Barrier() => Check(nameof(MPI_Barrier), MPI_Barrier(CommWorld));

    // MPI counts are C ints: a buffer of more than 2^31-1 elements goes in several calls.
    static IEnumerable<(long Offset, int Count)> Chunks(long count)
    {
        for (long offset = 0; offset < count; offset += int.MaxValue)
            yield return (offset, (int)Math.Min(int.MaxValue, count - offset));
    }

    static void Check(string function, int code)
    {
        if (code == 0) return;
        var text = new byte[256];  // MPI_MAX_ERROR_STRING in Open MPI
        string message = MPI_Error_string(code, text, out int length) == 0
            ? System.Text.Encoding.ASCII.GetString(text, 0, Math.Clamp(length, 0, text.Length)) : "unknown error";
        throw new MpiException(function, code, message);
    }

    [DllImport(Library)] static extern int MPI_Init_thread(IntPtr argc, IntPtr argv, int required, out int provided);
    [DllImport(Library)] static extern int MPI_Initialized(out int flag);
    [DllImport(Library)] static extern int MPI_Finalized(out int flag);
    [DllImport(Library)] static extern int MPI_Finalize();
    [DllImport(Library)] static extern int MPI_Abort(IntPtr comm, int errorCode);
    [DllImport(Library)] static extern int MPI_Comm_rank(IntPtr comm, out int rank);
    [DllImport(Library)] static extern int MPI_Comm_size(IntPtr comm, out int size);
    [DllImport(Library)] static extern int MPI_Comm_set_errhandler(IntPtr comm, IntPtr handler);
    [DllImport(Library)] static extern int MPI_Bcast(ref byte buffer, int count, IntPtr datatype, int root, IntPtr comm);
    [DllImport(Library)] static extern int MPI_Allreduce(IntPtr sendBuffer, ref byte receiveBuffer, int count, IntPtr datatype, IntPtr op, IntPtr comm);
    [DllImport(Library)] static extern int MPI_Barrier(IntPtr comm);
    [DllImport(Library)] static extern int MPI_Error_string(int code, byte[] text, out int length);
}
