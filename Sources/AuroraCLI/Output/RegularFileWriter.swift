import AuroraCore
import Foundation

/// Writes a whole file so that readers see the old content or the new, never half, and so that only
/// regular files are ever replaced.
///
/// `FileManager.createFile` writes a temporary file and renames it over the path, whatever the path
/// is: `aurora init --force -o /dev/null` as root replaced the machine's `/dev/null` with a regular
/// file (issue 18, item 5). Here the path must be absent or a regular file, or a symbolic link to one
/// (written through: the link stays and its target gets the new content). Device nodes, FIFOs,
/// sockets, directories and links to any of them are refused and left as they are.
enum RegularFileWriter {
    /// What was at the path before the write.
    enum Previous: Equatable {
        case absent
        case regularFile
    }

    /// Checks the path without writing: what is there, or a refusal naming what it is.
    static func inspect(_ path: String) throws -> Previous {
        var status = stat()
        if lstat(path, &status) != 0 {
            guard errno == ENOENT else { throw unusable(path, String(cString: strerror(errno))) }
            return .absent
        }
        if status.st_mode & S_IFMT == S_IFLNK {
            guard stat(path, &status) == 0 else {
                throw unusable(path, "a symbolic link to \(errno == ENOENT ? "nothing" : String(cString: strerror(errno)))")
            }
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else { throw unusable(path, describe(kind)) }
        return .regularFile
    }

    /// Writes `data` at `path` (through a symbolic link to a regular file) by way of a temporary file
    /// in the same folder, renamed over the target when complete.
    @discardableResult
    static func write(_ data: Data, to path: String) throws -> Previous {
        let previous = try inspect(path)
        // Through a link: replace the file it names, never the link.
        var target = path
        if previous == .regularFile, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        let folder = (target as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + "." + (target as NSString).lastPathComponent + ".partial-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw unusable(path, "cannot create a file beside it: \(String(cString: strerror(errno)))") }
        var failure: String?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        // Checked again just before the rename: the path may have become something else meanwhile.
        if failure == nil, (try? inspect(target)) == nil { failure = "it changed while the file was written" }
        if failure == nil && rename(temporary, target) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw SimpleFailure(.cannotCreate, "\(path): cannot write the file: \(failure)")
        }
        return previous
    }

    private static func unusable(_ path: String, _ what: String) -> SimpleFailure {
        SimpleFailure(.cannotCreate, "\(path): is \(what), not a regular file (aurora writes only regular files here; choose another path)")
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        default: return "a special file"
        }
    }
}
