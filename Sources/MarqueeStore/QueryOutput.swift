import GRDB
import MarqueeCore

/// Renders query results as an aligned table, CSV or a JSON array of objects.
public enum QueryOutput {
    /// `format` is `table`, `csv` or `json`.
    public static func render(_ result: QueryResult, format: String) -> String {
        switch format {
        case "csv":
            return ([result.columns.map(CSVField.escape)] + result.rows.map { $0.map(CSVField.format) })
                .map { $0.joined(separator: ",") + "\n" }.joined()
        case "json":
            let objects = result.rows.map { row in
                JSONValue.object(JSONObject(zip(result.columns, row).map { ($0, CSVField.json($1)) }))
            }
            return JSONValue.array(objects).serialized() + "\n"
        default:
            let cells = result.rows.map { $0.map { $0.isNull ? "NULL" : String(CSVField.format($0).prefix(60)) } }
            let widths = result.columns.indices.map { column in
                ([result.columns[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0
            }
            func line(_ values: [String]) -> String {
                zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(
                    separator: "  ") + "\n"
            }
            return line(result.columns) + line(widths.map { String(repeating: "-", count: $0) })
                + cells.map(line).joined()
                + "(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))\n"
        }
    }
}
