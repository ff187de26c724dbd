import CLibXML2
import Synchronization

/// Compiled XPath expressions, reused across documents and threads.
///
/// libxml2 writes into a compiled expression while evaluating it (it caches function lookups),
/// so one compiled copy is never shared by two evaluations at once: the cache keeps a small pool
/// per expression and lends each copy to one evaluation at a time.
final class XPathCache: Sendable {
    static let shared = XPathCache(capacity: 2048)

    /// A compiled expression lent to one evaluation; give it back with ``release()``.
    struct Lease {
        let pointer: xmlXPathCompExprPtr
        let expression: String
        let cache: XPathCache

        func release() { cache.giveBack(self) }
    }

    private struct Pointer: @unchecked Sendable { let raw: xmlXPathCompExprPtr }
    private struct State {
        var idle: [String: [Pointer]] = [:]
        var count = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// An exclusive compiled copy of `expression`, compiled with `context` when none is idle.
    func compiled(_ expression: String, context: xmlXPathContextPtr) throws(QueryError) -> Lease {
        let reused = state.withLock { state -> xmlXPathCompExprPtr? in
            guard let pointer = state.idle[expression]?.popLast() else { return nil }
            state.count -= 1
            return pointer.raw
        }
        if let reused { return Lease(pointer: reused, expression: expression, cache: self) }
        xmlResetError(&context.pointee.lastError)
        guard let compiled = xmlXPathCtxtCompile(context, expression) else {
            throw QueryError(kind: .xpath, query: expression, libxmlError: context.pointee.lastError)
        }
        return Lease(pointer: compiled, expression: expression, cache: self)
    }

    fileprivate func giveBack(_ lease: Lease) {
        let kept = state.withLock { state -> Bool in
            guard state.count < capacity else { return false }
            state.idle[lease.expression, default: []].append(Pointer(raw: lease.pointer))
            state.count += 1
            return true
        }
        if !kept { xmlXPathFreeCompExpr(lease.pointer) }
    }
}
