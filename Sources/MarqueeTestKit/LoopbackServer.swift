import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for fetch tests: each connection's request path goes to
/// a handler, which answers with raw bytes, stalls, or resets. Tests start and stop it
/// themselves; it never listens beyond loopback.
public final class LoopbackServer: @unchecked Sendable {
    /// How to answer one request.
    public enum Reply: Sendable {
        /// Write these bytes (a whole HTTP response, headers included), then close.
        case raw(Data)
        /// Write these bytes, then wait this many seconds before closing (a slow or stuck server).
        case stall(Data, seconds: Double)
        /// Close at once with a TCP reset.
        case reset

        /// A complete response with a status, headers and a body (`Content-Length` added).
        public static func response(
            _ status: Int, _ reason: String = "OK", headers: [(String, String)] = [], body: Data = Data()
        ) -> Reply {
            var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            return .raw(Data((head + "\r\n").utf8) + body)
        }
    }

    /// The port it listens on (127.0.0.1).
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var base: String { "http://127.0.0.1:\(port)" }

    private let socket: Int32
    private let handler: @Sendable (String, [String: String]) -> Reply
    private let lock = NSLock()
    private var running = true

    /// Starts listening on an ephemeral loopback port; `handler` sees each request's path.
    public convenience init(handler: @escaping @Sendable (_ path: String) -> Reply) throws {
        try self.init(requestHandler: { path, _ in handler(path) })
    }

    /// Starts listening on an ephemeral loopback port; `requestHandler` sees each request's path
    /// and headers (names lower-cased), for conditional requests and the like.
    public init(requestHandler: @escaping @Sendable (_ path: String, _ headers: [String: String]) -> Reply) throws {
        self.handler = requestHandler
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting connections.
    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        guard wasRunning else { return }
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    deinit { stop() }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func acceptLoop() {
        while isRunning {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else { return }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.contains("\r\n\r\n".data(using: .utf8)!) {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { break }
            request.append(buffer, count: count)
        }
        let lines = String(decoding: request, as: UTF8.self).components(separatedBy: "\r\n")
        let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        switch handler(path, headers) {
        case .raw(let data):
            send(connection, data)
            close(connection)
        case .stall(let data, let seconds):
            send(connection, data)
            Thread.sleep(forTimeInterval: seconds)
            close(connection)
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(connection)
        }
    }

    private func send(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.send(
                    connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
