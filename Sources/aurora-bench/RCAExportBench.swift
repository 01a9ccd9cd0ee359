import AuroraSimulation
import Foundation

/// Writes synthetic fault cases as `aurora-rca-case/1` folders, so `aurora eval-rca` grades them exactly
/// like real past incidents. `AURORA_RCA_EXPORT_DIR` (required) is the target folder;
/// `AURORA_RCA_SPLIT=dev|test` (default test: cases 10 000 on), `AURORA_RCA_CASES=N` (default 200) and
/// `AURORA_SYNTH_VERSION=1|2` (default 2, aurora-synth/2).
/// Silent and no-fault cases are left out: they have no root to rank.
enum RCAExportBench {
    static func run(_ options: BenchOptions) async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let target = environment["AURORA_RCA_EXPORT_DIR"] else {
            print("  rca-export: set AURORA_RCA_EXPORT_DIR to the folder to write the cases into")
            return
        }
        let first = environment["AURORA_RCA_SPLIT"] == "dev" ? 0 : 10_000
        let count = options.quick ? 20 : Int(environment["AURORA_RCA_CASES"] ?? "") ?? 200
        let generator = IncidentGenerator(masterSeed: 0, version: syntheticVersion(environment))
        let folder = URL(fileURLWithPath: target)
        var written = 0
        for index in first..<(first + count) {
            let item = generator.generate(index: index)
            guard item.label.hasFault, !item.label.silent, !item.label.roots.isEmpty else { continue }
            try item.writeRCACase(into: folder)
            written += 1
        }
        print("  rca-export: \(written) \(generator.version.rawValue) fault cases of \(count) (split from \(first)) written to \(folder.path)")
    }
}

/// The generator version `AURORA_SYNTH_VERSION` asks for (`1` or `2`; default the latest).
func syntheticVersion(_ environment: [String: String]) -> SyntheticGeneratorVersion {
    switch environment["AURORA_SYNTH_VERSION"] {
    case "1": .v1
    case "2": .v2
    default: .latest
    }
}
