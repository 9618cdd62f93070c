import Clustering
import DSP
import Foundation

/// A picture of a segmentation: the self-similarity matrix, the novelty curve
/// and the coloured section bar on one time axis, as SVG (or an HTML page
/// holding the SVG), with the highlight, when there is one, as a band on the
/// time axis and its section outlined. Self-contained: no script, no fonts or
/// files from elsewhere.
public struct SegmentPlot: Sendable {
    public var title: String
    public var durationSeconds: Double
    public var sections: [Section]
    /// Novelty points: (seconds, value in 0…1).
    public var novelty: [(Double, Double)]
    /// `cells × cells` similarities in [-1, 1], row-major.
    public var similarityCells: Int
    public var similarity: [Float]
    /// The track's highlight, drawn as a band on the time axis; nil draws none.
    public var highlight: Highlight?

    public init(title: String, durationSeconds: Double, sections: [Section], novelty: [(Double, Double)],
                similarityCells: Int, similarity: [Float], highlight: Highlight? = nil) {
        self.title = title
        self.durationSeconds = durationSeconds
        self.sections = sections
        self.novelty = novelty
        self.similarityCells = similarityCells
        self.similarity = similarity
        self.highlight = highlight
    }

    /// The index of the section the highlight came from: the one with the highlight's label that its start
    /// falls in, else (a highlight moved back to fit the track's end) the last section with that label
    /// starting at or before it, else the one its start falls in.
    public func highlightSection() -> Int? {
        guard let highlight, !sections.isEmpty else { return nil }
        let containing = sections.lastIndex { $0.start <= highlight.start + 1e-9 } ?? 0
        if sections[containing].label == highlight.label { return containing }
        if let sameLabel = sections.indices.last(where: {
            sections[$0].label == highlight.label && sections[$0].start <= highlight.end + 1e-9
        }) { return sameLabel }
        return containing
    }

    /// One line about the highlight: where it is and where it came from.
    func highlightCaption(_ highlight: Highlight) -> String {
        let source = highlight.occurrences > 1
            ? "section \(highlight.label), \(highlight.occurrences) times" : "section \(highlight.label)"
        return "highlight \(DurationText.clock(highlight.start))–\(DurationText.clock(highlight.end)) (\(source))"
            + (highlight.note.map { ": \($0)" } ?? "")
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
                          "#9c755f", "#bab0ac"]

    /// The legend of the self-similarity shading, ending at `right`, its top at `y`: a ramp of the levels
    /// from different (light) to alike (dark), the shading every SongAtlas picture uses (the map's too).
    func similarityLegend(right: Double, y: Double) -> String {
        let step = 8.0, levels = 16
        let rampLeft = right - step * Double(levels)
        var out = "<g id=\"similarity-legend\" font-size=\"10\">"
        for level in 0..<levels {
            let grey = 255 - level * 255 / 15
            out += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"9\" fill=\"rgb(%d,%d,%d)\" stroke=\"#ccc\" stroke-width=\"0.3\"/>",
                          rampLeft + Double(level) * step, y, step, grey, grey, grey)
        }
        out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">different</text>", rampLeft - 3, y + 8)
        out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">darker: more alike</text></g>", right, y + 21)
        return out
    }

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
            \(similarityLegend(right: left + size, y: 12))
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
        if let highlight {
            // The highlight: a band over the novelty curve and the section bar, its section outlined.
            let x = left + max(0, highlight.start) * scale
            let w = max(0.5, (min(highlight.end, durationSeconds) - max(0, highlight.start)) * scale)
            out += "<g id=\"highlight\">\n"
            out += String(format: "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#ffd700\" "
                + "fill-opacity=\"0.35\" stroke=\"#b8860b\" stroke-width=\"1\"><title>%@</title></rect>\n",
                          x, noveltyTop, w, barTop + barHeight - noveltyTop, xmlEscaped(highlightCaption(highlight)))
            if let index = highlightSection() {
                let section = sections[index]
                out += String(format: "<rect class=\"highlight-section\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                    + "fill=\"none\" stroke=\"#111\" stroke-width=\"2.5\"/>\n",
                              left + section.start * scale, barTop, max(0.5, (section.end - section.start) * scale),
                              barHeight)
            }
            // The caption runs away from the nearer edge, so it stays inside the picture.
            let rightHalf = x + w / 2 > left + size / 2
            out += String(format: "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"%@\" fill=\"#8b6508\">★ %@</text>\n",
                          rightHalf ? x + w : x, noveltyTop - 4, rightHalf ? "end" : "start",
                          xmlEscaped(highlightCaption(highlight)))
            out += "</g>\n"
        }
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
        let marked = highlightSection()
        for (index, section) in sections.enumerated() {
            rows += (index == marked ? "<tr class=\"highlight\">" : "<tr>")
                + "<td>\(xmlEscaped(section.label))\(index == marked ? " ★" : "")</td><td>\(DurationText.clock(section.start))</td>"
                + "<td>\(DurationText.clock(section.end))</td></tr>\n"
        }
        let caption = highlight.map { "<p id=\"highlight-caption\">★ \(xmlEscaped(highlightCaption($0)))</p>\n" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(xmlEscaped(title))</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}\(highlight == nil ? "" : "tr.highlight{background:#fff3b0;font-weight:bold}")</style>
            </head><body>
            \(svg())
            \(caption)<table><tr><th>section</th><th>start</th><th>end</th></tr>
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
