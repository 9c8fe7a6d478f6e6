namespace Loom.TensorBoard;

/// <summary>Event wall times: seconds since the Unix epoch as a double, to the tick (TensorFlow uses time.time()).</summary>
public static class WallClock
{
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
