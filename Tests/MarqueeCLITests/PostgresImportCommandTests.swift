import Foundation
import MarqueeTestKit
import Testing

/// `marquee import movielens DIR --store postgres://…` imports as on SQLite — the same counts,
/// nothing new the second time, the store's URL shown without its password — and the ratings
/// dataset built inside PostgreSQL has the bytes of the one built from a SQLite import.
@Test(.enabled(if: TestPostgres.runs, "\(TestPostgres.skipMessage)"))
func importMovieLensIntoPostgreSQLFromTheCommandLine() async throws {
    let folder = try makeScratchFolder("pg-import-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try await makeTestDatabaseURL("import_cli")
    let password = try #require(URLComponents(string: url)?.password)
    let imported = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", url])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("11 ratings, 2 tags, 5 films"), "\(imported.stdout)")
    #expect(!imported.stdout.contains(password) && !imported.stderr.contains(password))
    let again = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", url])
    #expect(again.status == 0 && again.stdout.hasPrefix("nothing new"), "\(again.stdout) \(again.stderr)")
    #expect(!again.stdout.contains(password))

    let local = folder.appendingPathComponent("s.sqlite").path
    #expect(try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", local]).status == 0)
    let built = (
        sqlite: folder.appendingPathComponent("sqlite.csv"), postgres: folder.appendingPathComponent("postgres.csv")
    )
    let fromSQLite = try runMarquee(["dataset", "build", "ratings", "--store", local, "--out", built.sqlite.path])
    let fromPostgres = try runMarquee(["dataset", "build", "ratings", "--store", url, "--out", built.postgres.path])
    #expect(fromSQLite.status == 0 && fromPostgres.status == 0, "\(fromSQLite.stderr) \(fromPostgres.stderr)")
    #expect(try Data(contentsOf: built.postgres) == Data(contentsOf: built.sqlite))

    // A malformed folder: exit 65 with the file and line, and the store unchanged.
    let bad = folder.appendingPathComponent("bad")
    try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
    try "movieId,title,genres\n1,Heat (1995),Action\n".write(
        to: bad.appendingPathComponent("movies.csv"), atomically: true, encoding: .utf8)
    try "userId,movieId,rating,timestamp\n1,2,4.0,964982703\n".write(
        to: bad.appendingPathComponent("ratings.csv"), atomically: true, encoding: .utf8)
    let refused = try runMarquee(["import", "movielens", bad.path, "--store", url])
    #expect(refused.status == 65 && refused.stderr.contains("ratings.csv:2"), "\(refused.stderr)")
    let after = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", url])
    #expect(after.stdout.hasPrefix("nothing new"), "\(after.stdout)")
}
