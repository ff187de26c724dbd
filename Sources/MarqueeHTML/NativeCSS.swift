import CLibXML2
import CMarqueeXML
import Foundation

/// A CSS selector list compiled for `marquee_css_select` (see `marquee_css.h`): type, `#id`,
/// `.class` and attribute tests joined by descendant and child combinators, optionally ending in
/// `::text` or `::attr(name)`. ``CSSTranslator`` builds one next to the XPath translation when
/// the selector fits; it finds the same nodes, in the same order, in one walk of the tree.
///
/// The program is laid out once in C memory and read, never written, by every match, so one
/// instance serves all threads.
final class NativeCSS: @unchecked Sendable {
    struct Test {
        var name: String
        var operation: marquee_css_operator
        var value: String
        var ignoreCase = false
    }

    struct Compound {
        var element: String?
        var tests: [Test]
        var combinator: Int32
    }

    enum Yield: Equatable {
        case elements
        case text
        case attribute(String)
    }

    struct Complex {
        var compounds: [Compound]
        var yields: Yield
    }

    private var program = marquee_css_program()
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var buffers: [UnsafeMutableRawPointer] = []

    init(alternatives: [Complex]) {
        let complexes = UnsafeMutablePointer<marquee_css_complex>.allocate(capacity: alternatives.count)
        buffers.append(UnsafeMutableRawPointer(complexes))
        for (index, alternative) in alternatives.enumerated() {
            let compounds = UnsafeMutablePointer<marquee_css_compound>.allocate(capacity: alternative.compounds.count)
            buffers.append(UnsafeMutableRawPointer(compounds))
            for (position, compound) in alternative.compounds.enumerated() {
                let tests = UnsafeMutablePointer<marquee_css_test>.allocate(capacity: max(compound.tests.count, 1))
                buffers.append(UnsafeMutableRawPointer(tests))
                for (slot, test) in compound.tests.enumerated() {
                    tests[slot] = marquee_css_test(
                        name: keep(test.name), value: keep(test.value), operation: Int32(test.operation.rawValue),
                        ignore_case: test.ignoreCase ? 1 : 0)
                }
                compounds[position] = marquee_css_compound(
                    element: compound.element.map { keep($0) }, tests: tests, test_count: Int32(compound.tests.count),
                    combinator: compound.combinator)
            }
            var yields = Int32(MARQUEE_CSS_ELEMENTS)
            var attribute: UnsafePointer<CChar>? = nil
            switch alternative.yields {
            case .elements: break
            case .text: yields = Int32(MARQUEE_CSS_TEXT)
            case .attribute(let name):
                yields = Int32(MARQUEE_CSS_ATTRIBUTE)
                attribute = keep(name)
            }
            complexes[index] = marquee_css_complex(
                compounds: compounds, compound_count: Int32(alternative.compounds.count), yields: yields,
                attribute: attribute)
        }
        program = marquee_css_program(alternatives: complexes, alternative_count: Int32(alternatives.count))
    }

    deinit {
        strings.forEach { free($0) }
        buffers.forEach { $0.deallocate() }
    }

    /// A C copy of `text` that lives as long as the program.
    private func keep(_ text: String) -> UnsafePointer<CChar> {
        let copy = strdup(text)!
        strings.append(copy)
        return UnsafePointer(copy)
    }

    /// Whether the program can start from `node`: an element or the document.
    static func canStart(at node: xmlNodePtr) -> Bool {
        let type = node.pointee.type
        return type == XML_ELEMENT_NODE || type == XML_HTML_DOCUMENT_NODE || type == XML_DOCUMENT_NODE
    }

    /// The matching nodes below (and including) `context`, in document order; `nil` when memory ran out.
    /// `index` (the document's) lets it look only at candidate elements.
    func select(from context: xmlNodePtr, index: OpaquePointer?) -> [xmlNodePtr]? {
        var result = marquee_css_result()
        defer { free(result.nodes) }
        let status = withUnsafePointer(to: &program) {
            marquee_css_select($0, UnsafeMutableRawPointer(context), index, &result)
        }
        guard status == 0 else { return nil }
        return (0..<Int(result.count)).map { result.nodes[$0]!.assumingMemoryBound(to: xmlNode.self) }
    }
}
