using Microsoft.Data.Sqlite;

namespace Loom.Scheduling;

/// <summary>
/// What both schedulers' SQLite stores (jobs.db, slurm.db) do with a damaged file: one
/// <see cref="IO.DamagedFileException"/> naming it and what to do. A damaged header fails at Open; damage beyond it
/// (a table's pages) only when a statement reads there, so every statement of a store goes through <see cref="Guard"/>.
/// </summary>
public sealed class SqliteDamage(string path, string advice)
{
    const int Corrupt = 11, NotADatabase = 26; // SQLITE_CORRUPT, SQLITE_NOTADB

    public static bool Is(SqliteException e) => e.SqliteErrorCode is NotADatabase or Corrupt;

    public IO.DamagedFileException Named(SqliteException e) => new(path, e.Message.TrimEnd('.'), advice);

    public T Guard<T>(Func<T> statement)
    {
        try { return statement(); }
        catch (SqliteException e) when (Is(e)) { throw Named(e); }
    }

    public void Guard(Action statement) => Guard(() => { statement(); return 0; });
}
