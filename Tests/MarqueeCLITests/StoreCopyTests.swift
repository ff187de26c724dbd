import Foundation
import Logging
import MarqueePostgres
import MarqueeTestKit
import Testing

/// A new empty database in the test cluster; its URL.
func makeTestDatabaseURL(_ purpose: String) async throws -> String {
    let (url, backend) = try await TestPostgres.makeDatabase(purpose)
    backend.close()
    return url
}

/// A MovieLens-shaped folder imported into SQLite, the ratings dataset built, the store copied
/// to PostgreSQL and back into a new SQLite file: every table verified on the way, and the
/// dataset version rebuilds from the round-tripped store byte for byte. (The same on all of
/// ml-latest-small takes a minute in a debug build: measured for the README instead.)
@Test(.enabled(if: TestPostgres.runs, "\(TestPostgres.skipMessage)"))
func aStoreRoundTripsThroughPostgreSQLAndItsDatasetsRebuild() async throws {
    let folder = try makeScratchFolder("store-copy")
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = folder.appendingPathComponent("a.sqlite").path
    let imported = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", original])
    #expect(imported.status == 0, "\(imported.stderr)")
    let built = try runMarquee([
        "dataset", "build", "ratings", "--store", original, "--out", folder.appendingPathComponent("r.csv").path,
    ])
    #expect(built.status == 0, "\(built.stderr)")
    let id = try #require(
        built.stdout.split(separator: " ").dropFirst(3).first.map { $0.trimmingCharacters(in: [":"]) })

    let url = try await makeTestDatabaseURL("copy")
    let up = try runMarquee(["store", "copy", "--from", original, "--to", url])
    #expect(up.status == 0, "\(up.stderr)")
    #expect(up.stdout.contains("every table verified") && !up.stdout.contains(url), "\(up.stdout)")
    #expect(up.stdout.contains("observations") && up.stdout.contains("dataset_versions"))
    // Into a database that holds a store already: refused, nothing written.
    let again = try runMarquee(["store", "copy", "--from", original, "--to", url])
    #expect(again.status == 73 && again.stderr.contains("already holds data"), "\(again.stderr)")

    // The same dataset built inside PostgreSQL: the same bytes, the same version (already recorded).
    let inside = folder.appendingPathComponent("pg.csv")
    let remote = try runMarquee(["dataset", "build", "ratings", "--store", url, "--out", inside.path])
    #expect(remote.status == 0, "\(remote.stderr)")
    #expect(remote.stdout.contains("version \(id) (already recorded)"), "\(remote.stdout)")
    #expect(try Data(contentsOf: inside) == Data(contentsOf: folder.appendingPathComponent("r.csv")))
    // The copied version is listed, shown and rebuilt from PostgreSQL, byte for byte.
    let listed = try runMarquee(["dataset", "list", "--store", url])
    #expect(listed.status == 0 && listed.stdout.hasPrefix(id), "\(listed.stdout) \(listed.stderr)")
    let shown = try runMarquee(["dataset", "show", String(id.prefix(6)), "--store", url, "--format", "json"])
    #expect(shown.status == 0 && shown.stdout.contains("\"id\" : \"\(id)\""), "\(shown.stdout) \(shown.stderr)")
    let rebuiltInside = folder.appendingPathComponent("pg-again.csv")
    let rebuild = try runMarquee(["dataset", "rebuild", id, "--store", url, "--out", rebuiltInside.path])
    #expect(rebuild.status == 0 && rebuild.stdout.contains("(identical)"), "\(rebuild.stderr)")
    #expect(try Data(contentsOf: rebuiltInside) == Data(contentsOf: folder.appendingPathComponent("r.csv")))
    // Commands that run on SQLite only say so for a PostgreSQL store (nothing created).
    let query = try runMarquee(["query", "--store", url, "SELECT 1"])
    #expect(query.status == 64 && query.stderr.contains("store copy"), "\(query.stderr)")
    // `marquee config` shows where the store is, never the password in its URL.
    let password = try #require(URLComponents(string: url)?.password)
    let config = try runMarquee(["config"], environment: ["MARQUEE_STORE": url, "MARQUEE_FRONTIER": url])
    #expect(config.status == 0 && config.stdout.contains("marquee:***@") && !config.stdout.contains(password))

    let back = folder.appendingPathComponent("b.sqlite").path
    let down = try runMarquee(["store", "copy", "--from", url, "--to", back, "--format", "json"])
    #expect(down.status == 0, "\(down.stderr)")
    let tables = try #require(
        try JSONSerialization.jsonObject(with: Data(down.stdout.utf8)) as? [[String: Any]], "\(down.stdout)")
    #expect(tables.count == 14 && tables.allSatisfy { $0["rows"] is Int && $0["sha256"] is String })
    let upJSON = try runMarquee(["store", "copy", "--from", back, "--to", try await makeTestDatabaseURL("copy2"), "--format", "json"])
    #expect(upJSON.status == 0 && upJSON.stdout == down.stdout, "the same tables, rows and digests each way")

    let rebuilt = folder.appendingPathComponent("again.csv")
    let rebuiltBack = try runMarquee(["dataset", "rebuild", id, "--store", back, "--out", rebuilt.path])
    #expect(rebuiltBack.status == 0, "\(rebuiltBack.stderr)")
    #expect(try Data(contentsOf: rebuilt) == Data(contentsOf: folder.appendingPathComponent("r.csv")))
    let count = try runMarquee(["query", "--store", back, "--format", "csv", "SELECT COUNT(*) FROM observations"])
    let originalCount = try runMarquee(["query", "--store", original, "--format", "csv", "SELECT COUNT(*) FROM observations"])
    #expect(count.stdout == originalCount.stdout)
}
