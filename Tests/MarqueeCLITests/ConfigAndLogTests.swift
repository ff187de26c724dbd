import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

/// Runs `marquee` in `directory` with only the given `MARQUEE_*` variables.
private func marquee(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:], executable: String? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
    try runMarquee(arguments, in: directory, environment: environment, executable: executable)
}

private func temporaryFolder() throws -> URL { try makeScratchFolder("config") }

@Test func configSaysWhereEveryValueComesFromAndHidesSecrets() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "store = \"data/store.sqlite\"\nuser_salt = \"pepper\"\ncontact = \"ops@example.org\"\n".write(
        to: folder.appendingPathComponent("marquee.toml"), atomically: true, encoding: .utf8)
    let result = try marquee(["config"], in: folder, environment: ["MARQUEE_FEATURES": "/srv/features"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(whereSeparator: \.isNewline).map(String.init)
    #expect(
        lines.contains { $0.hasPrefix("store") && $0.contains("data/store.sqlite") && $0.contains("marquee.toml:1") })
    #expect(
        lines.contains {
            $0.hasPrefix("features") && $0.contains("/srv/features") && $0.contains("environment MARQUEE_FEATURES")
        })
    #expect(lines.contains { $0.hasPrefix("scrapers") && $0.contains("# default") })
    #expect(lines.contains { $0.hasPrefix("user_salt") && $0.contains("(set)") })
    #expect(!result.stdout.contains("pepper"), "secrets are never printed")
    let flag = try marquee(["config", "--store", "flag.sqlite"], in: folder)
    #expect(flag.stdout.contains("flag.sqlite") && flag.stdout.contains("flag --store"))
}

@Test func aBrokenConfigFileIsAClearError() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "store = \"x\"\nstroe = \"y\"\n".write(
        to: folder.appendingPathComponent("marquee.toml"), atomically: true, encoding: .utf8)
    let result = try marquee(["config"], in: folder)
    #expect(result.status == 78)
    #expect(result.stderr.contains("marquee.toml:2: unknown key \"stroe\""), "\(result.stderr)")
    let rate = try marquee(
        ["config"], in: folder, environment: ["MARQUEE_CONFIG": "/nonexistent", "MARQUEE_RATE": "fast"])
    #expect(rate.status == 78)
    #expect(rate.stderr.contains("rate must be a positive number"), "\(rate.stderr)")
    // A number where a number belongs is fine; a list is not, and says where.
    try "rate = 0.2\n".write(to: folder.appendingPathComponent("marquee.toml"), atomically: true, encoding: .utf8)
    let number = try marquee(["config"], in: folder)
    #expect(number.status == 0 && number.stdout.contains("rate         = 0.2"), "\(number.stdout) \(number.stderr)")
    try "rate = [1]\n".write(to: folder.appendingPathComponent("marquee.toml"), atomically: true, encoding: .utf8)
    let list = try marquee(["config"], in: folder)
    #expect(list.status == 78 && list.stderr.contains("marquee.toml:1"), "\(list.stderr)")
}

@Test func jsonLogLinesParseAndNeverHoldTheSalt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = SharedData.repositoryRoot
    let result = try marquee(
        [
            "pipeline", "run", root.appendingPathComponent("pipelines/demo.toml").path, "--log-format", "json",
            "--store", folder.appendingPathComponent("store.sqlite").path, "--work",
            folder.appendingPathComponent("work").path,
            "--features", root.appendingPathComponent("features").path, "--scrapers",
            root.appendingPathComponent("scrapers").path,
            "-v",
        ], in: root, environment: ["MARQUEE_USER_SALT": "s3cret-pepper-42"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(whereSeparator: \.isNewline)
    #expect(lines.count > 5)
    for line in lines {
        let value = try JSONParser().parse(String(line)).value
        #expect(value["level"] != nil && value["message"] != nil && value["label"] != nil, "\(line)")
    }
    #expect(lines.contains { $0.contains("step done") })
    #expect(!result.stderr.contains("s3cret-pepper-42") && !result.stdout.contains("s3cret-pepper-42"))
}

@Test func theCrontabInDocsCronRunsAsWritten() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = SharedData.repositoryRoot
    let doc = try String(contentsOf: root.appendingPathComponent("docs/cron.md"), encoding: .utf8)
    let block = try #require(
        doc.components(separatedBy: "```crontab\n").dropFirst().first?.components(separatedBy: "```").first)
    var environment: [String: String] = [:]
    var commands: [String] = []
    for line in block.split(whereSeparator: \.isNewline).map(String.init) where !line.hasPrefix("#") {
        if let equals = line.firstIndex(of: "="), !line.contains(" ") {
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        } else {
            // minute hour day month weekday command…
            commands.append(line.split(separator: " ", maxSplits: 5).last.map(String.init) ?? "")
        }
    }
    #expect(commands.count == 2)
    // The documented paths, pointed at this checkout and a temporary folder.
    environment["MARQUEE_STORE"] = folder.appendingPathComponent("marquee.sqlite").path
    environment["MARQUEE_WORK"] = folder.path
    for command in commands {
        let script =
            command.replacingOccurrences(of: "/srv/marquee", with: root.path)
            .replacingOccurrences(of: ".build/release/marquee", with: try marqueeBinary().path)
            .replacingOccurrences(of: "/var/log/marquee", with: folder.path)
        let result = try marquee(["-c", script], in: folder, environment: environment, executable: "/bin/sh")
        #expect(result.status == 0, "\(script): \(result.stderr)")
    }
    let log = try String(contentsOf: folder.appendingPathComponent("retrain.log"), encoding: .utf8)
    #expect(log.contains("export               ok"), "--force reran every step")
}
