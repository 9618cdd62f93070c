import Foundation
import GRDB

extension FeatureCache {
    /// How many remembered one-copy searches a cache keeps (the newest): one per library and seed set a
    /// user alternates between (`playlists` on a folder, `similar` on the whole cache) is enough.
    static let copySearchesKept = 8

    /// The table of remembered one-copy searches: a result by the digest of what decided it. Not part of
    /// the `track` schema: a cache without it (or with it, read by a SongAtlas that does not know it) is the
    /// same cache, and the table can be dropped at any time.
    private static let copySearchTableSQL = """
        CREATE TABLE IF NOT EXISTS copySearch (
            digest TEXT PRIMARY KEY NOT NULL,
            result BLOB NOT NULL,
            storedAt REAL NOT NULL
        )
        """

    /// The one-copy search result stored under `digest` (``storeCopySearch(_:digest:)``), or nil when there
    /// is none or it cannot be read (a remembered search is only ever a shortcut).
    ///
    /// - Parameter digest: the digest of everything that decides the search, made by its caller.
    public func copySearch(digest: String) -> Data? {
        try? database.read { db -> Data? in
            guard try db.tableExists("copySearch"),
                  let row = try Row.fetchOne(db, sql: "SELECT result FROM copySearch WHERE digest = ?", arguments: [digest])
            else { return nil }
            return Data.fromDatabaseValue(row[0] as DatabaseValue)
        }
    }

    /// Remembers a one-copy search `result` under `digest`, keeping the ``copySearchesKept`` newest; does
    /// nothing in ``Mode/readOnly``, and a write that fails is let go (the next run searches again).
    ///
    /// - Parameters:
    ///   - result: the search as its caller encodes it.
    ///   - digest: the digest of everything that decides the search.
    ///   - storedAt: when; default now.
    public func storeCopySearch(_ result: Data, digest: String, storedAt: Date = Date()) {
        guard mode == .readWrite else { return }
        try? database.write { db in
            try db.execute(sql: Self.copySearchTableSQL)
            try db.execute(sql: "INSERT OR REPLACE INTO copySearch (digest, result, storedAt) VALUES (?, ?, ?)",
                           arguments: [digest, result, storedAt.timeIntervalSince1970])
            try db.execute(sql: """
                DELETE FROM copySearch WHERE digest NOT IN
                    (SELECT digest FROM copySearch ORDER BY storedAt DESC, rowid DESC LIMIT ?)
                """, arguments: [Self.copySearchesKept])
        }
    }
}
