import AuroraCore
import AuroraDetection
import AuroraIngest
import Foundation

/// The labelled files `aurora eval` grades: every input file matched to one labels file (its
/// corpus) and one category (the first folder of its key in that labels file).
struct EvalCorpus {
    struct File {
        let key: String
        let group: EvaluationGroup
        let series: Series
        let windows: [NABWindow]
    }

    var files: [File] = []

    /// Corpus names in order of first appearance.
    var corpora: [String] {
        var seen: [String] = []
        for file in files where !seen.contains(file.group.corpus) { seen.append(file.group.corpus) }
        return seen
    }

    static func load(labelPaths: [String], inputs: [String], context: CommandContext) throws -> EvalCorpus {
        var labelSets: [(corpus: String, windows: [String: [NABWindow]])] = []
        for path in labelPaths {
            let labelsFile = context.path(path)
            guard let data = FileManager.default.contents(atPath: labelsFile) else {
                throw SimpleFailure(.noInput, "\(labelsFile): cannot read the labels file")
            }
            do { labelSets.append((corpusName(labelsFile), try NABLabels.parse(data))) } catch let error as DetectionError {
                throw SimpleFailure(.dataError, "\(labelsFile): \(error.description)")
            }
        }
        var corpus = EvalCorpus()
        for path in try EvalCommand.expand(inputs.map(context.path)) {
            // The longest key that ends the path, over every labels file.
            var match: (corpus: String, key: String, windows: [NABWindow])?
            for set in labelSets {
                for (key, windows) in set.windows where (path == key || path.hasSuffix("/" + key)) && key.count > (match?.key.count ?? -1) {
                    match = (set.corpus, key, windows)
                }
            }
            guard let match else {
                context.note("warning: \(path) has no entry in the labels file; skipped")
                continue
            }
            var options = IngestOptions()
            options.keepFileOrder = true
            let rows = try readRows(.path(path), options: options)
            let category = match.key.split(separator: "/").dropLast().first.map(String.init) ?? "."
            corpus.files.append(File(key: match.key, group: EvaluationGroup(corpus: match.corpus, category: category),
                                     series: GapFill.filled(rows.series), windows: match.windows))
        }
        guard !corpus.files.isEmpty else {
            throw SimpleFailure(.noInput, "no input file matches an entry of \(labelPaths.joined(separator: ", "))")
        }
        return corpus
    }

    /// `nab` for `…/nab/labels/combined_windows.json`; otherwise the labels file's own name.
    static func corpusName(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        if folder.lastPathComponent == "labels" { return folder.deletingLastPathComponent().lastPathComponent }
        return url.deletingPathExtension().lastPathComponent
    }

    /// Files of one corpus with their scores.
    func nabFiles(scores: [[Double]], corpus: String? = nil) -> [NABFile] {
        zip(files, scores).compactMap { file, scores in
            if let corpus, file.group.corpus != corpus { return nil }
            return NABFile(name: file.key, timestamps: file.series.timestamps, scores: scores, windows: file.windows)
        }
    }
}
