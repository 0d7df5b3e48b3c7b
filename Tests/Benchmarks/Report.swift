import Foundation

/// One line of the result table.
struct ResultRow: Sendable {
    var scenario: String
    var records: Int
    var seconds: Double
    /// Payload bytes moved (record values only), for MB/s.
    var bytes: Int
    /// kcat's rate on the same scenario, when there is a kcat equivalent.
    var kcatRecordsPerSecond: Double?
    /// Swift/kcat ratio target, or an absolute records/s target when there is no kcat row.
    var ratioTarget: Double? = 0.8
    var absoluteTarget: Double? = nil

    var recordsPerSecond: Double { Double(records) / seconds }
    var megabytesPerSecond: Double { Double(bytes) / seconds / 1e6 }
    var ratio: Double? { kcatRecordsPerSecond.map { recordsPerSecond / $0 } }

    var verdict: String {
        if let ratio, let ratioTarget {
            return ratio >= ratioTarget ? "ok (≥ \(format(ratioTarget, 1)))" : "below target (\(format(ratioTarget, 1)))"
        }
        if let absoluteTarget {
            return recordsPerSecond >= absoluteTarget
                ? "ok (≥ \(grouped(absoluteTarget))/s)" : "below target (\(grouped(absoluteTarget))/s)"
        }
        return "—"
    }
}

/// Prints the markdown table plus free-form notes.
func printReport(_ rows: [ResultRow], notes: [String]) {
    var lines = [
        "| scenario | records | seconds | records/s | MB/s | kcat records/s | ratio | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows {
        lines.append("| \(row.scenario) | \(grouped(Double(row.records))) | \(format(row.seconds, 2)) | "
            + "\(grouped(row.recordsPerSecond)) | \(format(row.megabytesPerSecond, 1)) | "
            + "\(row.kcatRecordsPerSecond.map(grouped) ?? "—") | \(row.ratio.map { format($0, 2) } ?? "—") | \(row.verdict) |")
    }
    print(lines.joined(separator: "\n"))
    if !notes.isEmpty {
        print("")
        for note in notes { print("- \(note)") }
    }
}

func format(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

/// `1234567.8` -> `1,234,568`.
func grouped(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var result = ""
    for (index, character) in digits.reversed().enumerated() {
        if index > 0 && index.isMultiple(of: 3) && character != "-" { result.append(",") }
        result.append(character)
    }
    return String(result.reversed())
}
