import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Process-wide logging set-up for Marquee's command line.
public enum LogSetup {
    /// The log level for a count of `-v` flags: 0 → `notice`, 1 → `info`, 2 → `debug`, 3+ → `trace`.
    public static func level(verbosity: Int) -> Logger.Level {
        switch verbosity {
        case ..<1: .notice
        case 1: .info
        case 2: .debug
        default: .trace
        }
    }

    /// Installs ``LineLogHandler`` writing to standard error as swift-log's backend.
    ///
    /// Call once, at process start; swift-log ignores later calls with a precondition failure,
    /// so library code never calls this.
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label, format: format, sink: .standardError)
            handler.logLevel = level
            return handler
        }
    }
}
