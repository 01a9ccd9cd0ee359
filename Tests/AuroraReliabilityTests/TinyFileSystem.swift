import Foundation

/// A real, tiny tmpfs for disk-full cases: mountable when the tests run as root on a machine that
/// allows mounts (as CI does); elsewhere the tests that need one are skipped with a reason and the
/// file-size-limit variants stand in.
enum TinyFileSystem {
    /// Whether this process may mount a tmpfs (checked once, on a scratch folder).
    static let isAvailable: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-tmpfs-probe-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard mount(at: probe, size: "64k") else { return false }
        unmount(probe)
        return true
    }()

    /// Mounts a tmpfs of `size` (e.g. "512k") at `path`.
    static func mount(at path: String, size: String) -> Bool {
        run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]) == 0
    }

    static func unmount(_ path: String) {
        _ = run("/bin/umount", [path])
    }

    /// Fills the file system holding `folder` until a write fails (ENOSPC); returns the filler's path.
    static func fill(_ folder: String) -> String {
        let filler = folder + "/filler"
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0x55, count: 4096)
        // Whole blocks first, then single bytes, so not even a page is left.
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        var byte: UInt8 = 0x55
        while write(descriptor, &byte, 1) > 0 {}
        return filler
    }

    /// Runs a system tool quietly; its exit status (-1 when it cannot start).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
