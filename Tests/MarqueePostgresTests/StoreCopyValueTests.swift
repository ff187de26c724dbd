import Foundation
import GRDB
import MarqueeCore
import MarqueeStore
import MarqueeTestKit
import Testing

@testable import MarqueePostgres

/// Values of every type SQLite's untyped column holds — integers at the edges, doubles by their
/// bits (0.1 + 0.2, -0.0, the smallest subnormal), text with tabs, newlines and backslashes,
/// blobs, NULL — come back from PostgreSQL exactly; a value of the wrong type for its column is
/// refused with its place.
@Test func everyValueTypeSurvivesTheCopyExactly() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let folder = try makeScratchFolder("copy-values")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("s.sqlite").path
    _ = try FeatureStore(path: path)
    let values: [DatabaseValue] = [
        Int64.max.databaseValue, Int64.min.databaseValue, (0.1 + 0.2).databaseValue, (-0.0).databaseValue,
        Double.leastNonzeroMagnitude.databaseValue, "tab\tline\nback\\slash \r é 🎬".databaseValue,
        Data([0, 1, 0xFF, 0x5C]).databaseValue, .null, "".databaseValue,
    ]
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in
        try db.execute(sql: "INSERT INTO entities (id, kind, key, created_ts_us) VALUES (1, 'film', 'imdb:tt0113277', 0)")
        for (index, value) in values.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO observations (id, entity_id, feature, object_id, value, event_ts_us, created_ts_us, source)
                    VALUES (?, 1, 'f', 0, ?, ?, 0, 'test')
                    """, arguments: [index + 1, value, index])
        }
        try db.execute(
            sql: "INSERT INTO rejects (id, reason, raw_value, created_ts_us) VALUES (1, 'a\\tb', ?, 0)",
            arguments: ["multi\nline"])
    }
    let (_, backend) = try await makeTestDatabase("values")
    let up = try await StoreCopy.sqliteToPostgres(from: path, to: backend, logger: quietLogger)
    let back = folder.appendingPathComponent("back.sqlite").path
    let down = try await StoreCopy.postgresToSQLite(from: backend, to: back, logger: quietLogger)
    #expect(up == down)
    let copied = try await DatabaseQueue(path: back).read { db in
        try DatabaseValue.fetchAll(db, sql: "SELECT value FROM observations ORDER BY id")
    }
    #expect(copied.count == values.count)
    for (a, b) in zip(values, copied) { #expect(StoreValue(a) == StoreValue(b), "\(a) came back as \(b)") }
    if case .real(let zero) = StoreValue(copied[3]) { #expect(zero.sign == .minus) }

    // SQLite lets a typed column hold another type; PostgreSQL does not: refused, naming the place.
    try await queue.write { db in
        try db.execute(sql: "UPDATE entities SET created_ts_us = 'yesterday' WHERE id = 1")
    }
    let (_, other) = try await makeTestDatabase("mismatch")
    do {
        _ = try await StoreCopy.sqliteToPostgres(from: path, to: other, logger: quietLogger)
        Issue.record("text in an integer column was copied")
    } catch {
        #expect(error.code == .dataError && error.message.contains("entities.created_ts_us"), "\(error)")
    }
}
