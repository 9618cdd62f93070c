import Clustering
import DSP
import Foundation

/// A picture of a segmentation: the self-similarity matrix, the novelty curve
/// and the coloured section bar on one time axis, as SVG (or an HTML page
/// holding the SVG). Self-contained: no script, no fonts or files from elsewhere.
public struct SegmentPlot: Sendable {
    public var title: String
    public var durationSeconds: Double
    public var sections: [Section]
    /// Novelty points: (seconds, value in 0…1).
    public var novelty: [(Double, Double)]
    /// `cells × cells` similarities in [-1, 1], row-major.
    public var similarityCells: Int
    public var similarity: [Float]

    public init(title: String, durationSeconds: Double, sections: [Section], novelty: [(Double, Double)],
                similarityCells: Int, similarity: [Float]) {
        self.title = title
        self.durationSeconds = durationSeconds
        self.sections = sections
        self.novelty = novelty
        self.similarityCells = similarityCells
        self.similarity = similarity
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
                          "#9c755f", "#bab0ac"]

    /// The SVG document.
    public func svg() -> String {
        let left = 50.0, size = 480.0, top = 40.0
        let noveltyTop = top + size + 20, noveltyHeight = 90.0
        let barTop = noveltyTop + noveltyHeight + 15, barHeight = 26.0
        let width = left + size + 30, height = barTop + barHeight + 45
        let scale = size / max(durationSeconds, 1e-9)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
            <title>\(xmlEscaped(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(left))" y="22" font-size="14" font-weight="bold">\(xmlEscaped(title))</text>
            <g id="self-similarity" shape-rendering="crispEdges">

            """
        // Self-similarity: grey levels, runs of equal level merged per row.
        let cells = similarityCells
        let cell = size / Double(max(cells, 1))
        for row in 0..<cells {
            var column = 0
            while column < cells {
                let level = Self.level(similarity[row * cells + column])
                var run = 1
                while column + run < cells && Self.level(similarity[row * cells + column + run]) == level { run += 1 }
                let grey = 255 - level * 255 / 15
                out += String(format: "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"rgb(%d,%d,%d)\"/>\n",
                              left + Double(column) * cell, top + Double(row) * cell, Double(run) * cell + 0.3, cell + 0.3,
                              grey, grey, grey)
                column += run
            }
        }
        out += "</g>\n"
        // Section boundaries over the matrix.
        for section in sections.dropFirst() {
            let x = left + section.start * scale
            out += String(format: "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#d62728\" stroke-width=\"1\" opacity=\"0.7\"/>\n",
                          x, top, x, barTop + barHeight)
        }
        // Novelty curve.
        out += String(format: "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"#ccc\"/>\n",
                      left, noveltyTop, size, noveltyHeight)
        let points = novelty.map { time, value in
            String(format: "%.2f,%.2f", left + time * scale, noveltyTop + noveltyHeight * (1 - min(max(value, 0), 1)))
        }.joined(separator: " ")
        out += "<polyline id=\"novelty\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.2\" points=\"\(points)\"/>\n"
        out += String(format: "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">novelty</text>\n", left - 4, noveltyTop + 12)
        // Section bar.
        var colours: [String: String] = [:]
        for section in sections where colours[section.label] == nil {
            colours[section.label] = Self.palette[colours.count % Self.palette.count]
        }
        out += "<g id=\"sections\">\n"
        for section in sections {
            let x = left + section.start * scale
            let w = max(0.5, (section.end - section.start) * scale)
            out += String(format: "<rect class=\"section\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%@\">",
                          x, barTop, w, barHeight, colours[section.label]!)
            out += String(format: "<title>%@: %.2f–%.2f s</title></rect>\n", xmlEscaped(section.label), section.start, section.end)
            if w > 14 {
                out += String(format: "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" fill=\"white\" font-weight=\"bold\">%@</text>\n",
                              x + w / 2, barTop + barHeight / 2 + 4, xmlEscaped(section.label))
            }
        }
        out += "</g>\n"
        // Time axis.
        let step = Self.tickStep(durationSeconds)
        var tick = 0.0
        while tick <= durationSeconds + 1e-9 {
            let x = left + tick * scale
            out += String(format: "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333\"/>", x, barTop + barHeight,
                          x, barTop + barHeight + 5)
            out += String(format: "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%@</text>\n", x, barTop + barHeight + 17,
                          DurationText.clock(tick))
            tick += step
        }
        out += String(format: "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">time</text>\n", left + size / 2,
                      barTop + barHeight + 32)
        out += "</svg>\n"
        return out
    }

    /// An HTML page with the picture and a table of the sections.
    public func html() -> String {
        var rows = ""
        for section in sections {
            rows += "<tr><td>\(xmlEscaped(section.label))</td><td>\(DurationText.clock(section.start))</td>"
                + "<td>\(DurationText.clock(section.end))</td></tr>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(xmlEscaped(title))</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}</style>
            </head><body>
            \(svg())
            <table><tr><th>section</th><th>start</th><th>end</th></tr>
            \(rows)</table>
            </body></html>

            """
    }

    static func level(_ similarity: Float) -> Int { Int(((max(-1, min(1, similarity)) + 1) / 2 * 15).rounded()) }

    static func tickStep(_ duration: Double) -> Double {
        for step in [1.0, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800] where duration / step <= 10 { return step }
        return 3600
    }
}

/// Escapes text for XML and HTML.
public func xmlEscaped(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}
