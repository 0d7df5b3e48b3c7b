import Foundation

/// SplitMix64: deterministic, so the same seed gives the same ledger and statement on every
/// machine and every run.
struct BenchRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// Tables go to standard output, progress to standard error.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func progress(_ line: String) {
    FileHandle.standardError.write(Data(("matching-bench: " + line + "\n").utf8))
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`), nil where there is no /proc.
func peakMemoryMiB() -> Double? { statusMiB("VmHWM:") }

/// Resident memory now, in MiB (`VmRSS`).
func residentMemoryMiB() -> Double? { statusMiB("VmRSS:") }

private func statusMiB(_ field: String) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return kilobytes / 1024
}

/// Resets `VmHWM` to the current resident size, so the next phase is measured on its own.
func resetPeakMemory() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// `1234567` → `1,234,567`.
func grouped(_ value: Int) -> String {
    let digits = String(abs(value))
    var result = ""
    for (offset, character) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return (value < 0 ? "-" : "") + result
}

func percent(_ part: Int, of whole: Int) -> String {
    whole == 0 ? "n/a" : String(format: "%.2f %%", 100 * Double(part) / Double(whole))
}

/// CPU time this process has used, in seconds: on a machine shared with other builds the
/// wall-clock figures depend on the load, this does not.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
