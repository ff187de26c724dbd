import Synchronization

/// A process-wide request to stop at the next safe point, set when SIGINT or SIGTERM arrives.
///
/// Long loops (a crawl, a pipeline) poll it between units of work rather than being cancelled:
/// cancelling the task would also abort the database writes that make a stop safe.
public enum StopRequest {
    private static let flag = Atomic<Bool>(false)

    /// Whether a stop was requested.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Requests a stop (the signal handler calls this).
    public static func request() { flag.store(true, ordering: .relaxed) }
}
