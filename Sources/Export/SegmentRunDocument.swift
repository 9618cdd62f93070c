import Foundation

/// `sections.json`: what one `segment PATH... --out DIR` run wrote, track by track.
///
/// Each track names the files written for it and holds its whole segmentation
/// (the ``SegmentationDocument`` that `segment FILE` would print); each file that
/// could not be segmented is listed with its error. Pinned by a golden file
/// (`Tests/ExportTests/Golden/segment-run.json`).
public struct SegmentRunDocument: Codable, Sendable, Equatable {
    /// One segmented track and its files.
    public struct Track: Codable, Sendable, Equatable {
        /// The label file written for the track, a name inside the output folder (`Song.txt`).
        public var labelFile: String
        /// The plot written for the track (`Song.html`), when plots were asked for.
        public var plotFile: String?
        /// The track's segmentation (its path, sections, highlight and notes).
        public var segmentation: SegmentationDocument

        /// A track from its parts.
        public init(labelFile: String, plotFile: String?, segmentation: SegmentationDocument) {
            self.labelFile = labelFile
            self.plotFile = plotFile
            self.segmentation = segmentation
        }
    }

    /// A file that could not be segmented.
    public struct Failure: Codable, Sendable, Equatable {
        /// The file as named.
        public var path: String
        /// What went wrong, without the path.
        public var error: String

        public init(path: String, error: String) {
            self.path = path
            self.error = error
        }

        private enum CodingKeys: String, CodingKey { case path, uri, error }

        /// Reads a failure, taking the path from `uri` when there is one (``PathURI``).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = PathURI.path(path: try container.decode(String.self, forKey: .path),
                                uri: try container.decodeIfPresent(String.self, forKey: .uri))
            error = try container.decode(String.self, forKey: .error)
        }

        /// Writes the path in its display form, and a `uri` with its exact bytes when it is not UTF-8.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(PathURI.text(path), forKey: .path)
            try container.encodeIfPresent(PathURI.uri(path), forKey: .uri)
            try container.encode(error, forKey: .error)
        }
    }

    /// The segmentation method (`structure`, `kmeans`).
    public var method: String
    /// The format of the label files.
    public var format: SegmentFormat
    /// The segmented tracks, in the order of the run (files and folders as given, folders sorted).
    public var tracks: [Track]
    /// The files that could not be segmented, in the same order.
    public var errors: [Failure]

    /// A run's document from its parts.
    public init(method: String, format: SegmentFormat, tracks: [Track], errors: [Failure]) {
        self.method = method
        self.format = format
        self.tracks = tracks
        self.errors = errors
    }

    /// The document as `sections.json` holds it: pretty-printed JSON, keys sorted, one final newline.
    public func renderedJSON() throws -> String {
        String(decoding: try JSONOutput.encoder().encode(self), as: UTF8.self) + "\n"
    }
}
