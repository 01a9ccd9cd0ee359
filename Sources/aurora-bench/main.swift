// aurora-bench: the project's benchmark command. Run it with a release build:
//
//     swift run -c release aurora-bench [SECTION…] [--quick] [--scale-only] [--full-window] [--long-running]
//
// Each section measures one capability against the figures its issue names and prints them.
// With no section it runs all of them. `--quick` shrinks sizes for a smoke run; `--scale-only`
// makes `live` measure only its passes over many series; `--full-window` runs those passes over series
// whose detector windows are full (1,100 points of history each, prefilled); `--long-running` measures
// them in one running `aurora watch` (its own per-pass CPU metric) instead of one `--once` process each.
import Foundation

/// One named group of measurements.
struct BenchSection {
    let name: String
    let summary: String
    let run: (BenchOptions) async throws -> Void
}

/// Options common to every section.
struct BenchOptions {
    var quick = false
    /// `live` measures only the pass over many series (skips the fault runs and the quiet period).
    var scaleOnly = false
    /// `live`: the scale passes run over series whose detector windows are full (history prefilled).
    var fullWindow = false
    /// `live`: the scale passes are those of one long-running watcher, read from its metrics textfile.
    var longRunning = false
    /// Where sections may write generated data (a fresh temporary folder per run).
    var workDirectory: URL
    /// `../shared` when it exists (for NAB and other reference data), else nil.
    var sharedDirectory: URL?
}

// Sections register here, one line each.
let sections: [BenchSection] = [
    BenchSection(name: "cli", summary: "CLI start-up and single-row write transactions", run: CLIBench.run),
    BenchSection(name: "detect", summary: "detector throughput and NAB scores", run: DetectBench.run),
    BenchSection(name: "remediation", summary: "remediation decision: render, hash, approval and policy checks", run: RemediationBench.run),
    BenchSection(name: "rca", summary: "root-cause analysis on the synthetic fault benchmark, baselines, speed", run: RCABench.run),
    BenchSection(name: "rca-export", summary: "write synthetic fault cases as aurora-rca-case/1 folders (AURORA_RCA_EXPORT_DIR)", run: RCAExportBench.run),
    BenchSection(name: "ingest", summary: "metric parsing speed and memory per format", run: IngestBench.run),
    BenchSection(name: "e2e", summary: "whole commands: detect --emit scores, ingest into SQLite, diagnose over 1,000 series", run: EndToEndBench.run),
    BenchSection(name: "live", summary: "aurora watch on the live lab: detection latency, MTTR, quiet period, 10,000 series", run: LiveBench.run),
    BenchSection(name: "baseline", summary: "the absent-data baseline in the database: 10,000 series stored, compared, read by a new process", run: BaselineBench.run),
    BenchSection(name: "ml", summary: "isolation forest and LSTM forecaster: training, throughput, NAB windows", run: MLBench.run),
]

var options = BenchOptions(workDirectory: FileManager.default.temporaryDirectory
    .appendingPathComponent("aurora-bench-\(getpid())"))
var chosen: [String] = []
for argument in CommandLine.arguments.dropFirst() {
    switch argument {
    case "--quick": options.quick = true
    case "--scale-only": options.scaleOnly = true
    case "--full-window": options.fullWindow = true
    case "--long-running": options.longRunning = true
    case "--help", "-h":
        print("usage: aurora-bench [--quick] [--scale-only] [--full-window] [--long-running] [SECTION…]\n\nsections:")
        let width = sections.map(\.name.count).max() ?? 0
        for section in sections { print("  \(section.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(section.summary)") }
        print("\noptions:\n  --quick       smaller sizes, for a smoke run\n  --scale-only  live: only the passes over 10,000 series (1,000 with --quick)"
              + "\n  --full-window live: those passes over series with full detector windows (history prefilled)"
              + "\n  --long-running live: those passes in one running aurora watch (its per-pass CPU metric), not one process each")
        exit(0)
    default: chosen.append(argument)
    }
}
for shared in ["../shared", "../../shared"] where FileManager.default.fileExists(atPath: shared + "/nab") {
    options.sharedDirectory = URL(fileURLWithPath: shared).standardizedFileURL
    break
}
try FileManager.default.createDirectory(at: options.workDirectory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: options.workDirectory) }

for section in sections where chosen.isEmpty || chosen.contains(section.name) {
    print("== \(section.name): \(section.summary)")
    try await section.run(options)
}
