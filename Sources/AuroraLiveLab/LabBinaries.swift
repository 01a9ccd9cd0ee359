import Foundation

/// Where the lab's programs are: the Debian packages' servers, and the executables this package builds.
package enum LabBinaries {
    /// `prometheus`, from PATH or the Debian package's place.
    package static var prometheus: String? { find(["prometheus"]) }
    /// `prometheus-alertmanager` (Debian's name) or `alertmanager`.
    package static var alertmanager: String? { find(["prometheus-alertmanager", "alertmanager"]) }

    /// Why the live tests cannot run here, or nil when they can.
    package static var missingReason: String? {
        var missing: [String] = []
        if prometheus == nil { missing.append("prometheus") }
        if alertmanager == nil { missing.append("prometheus-alertmanager") }
        if (try? built("aurora-lab-target")) == nil { missing.append("aurora-lab-target (swift build)") }
        return missing.isEmpty ? nil : "needs \(missing.joined(separator: ", ")) (apt-get install prometheus prometheus-alertmanager; .ci/run does)"
    }

    /// Whether the live tests can run.
    package static var available: Bool { missingReason == nil }

    static func find(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// An executable of this package, beside the test bundle (as `AuroraBinary` finds `aurora`).
    package static func built(_ name: String) throws -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw LabError("\(name) was not found beside the test bundle")
    }
}
