namespace Loom.Distributed;

/// <summary>An MPI call returned an error (Open MPI's own text of the error code is in the message).</summary>
public sealed class MpiException(string function, int code, string text)
    : Exception($"{function} failed (MPI error {code}): {text}")
{
    public string Function { get; } = function;
    public int Code { get; } = code;
}
