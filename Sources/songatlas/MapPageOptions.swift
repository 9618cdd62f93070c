import ArgumentParser

/// What the map page carries beyond the map itself: each song's nearest songs.
struct MapPageOptions: ParsableArguments {
    /// The most neighbours a page may list per song: the page and map.json grow by about 40 bytes per neighbour and song.
    static let maximumNeighbours = 100

    @Option(name: .customLong("neighbours"),
            help: ArgumentHelp("Nearest songs listed per song on the page and in the .json, found as 'similar' finds "
                + "them (0 to \(maximumNeighbours); 0 for none).", valueName: "N"))
    var neighbours = 10

    func validate() throws {
        guard (0...Self.maximumNeighbours).contains(neighbours) else {
            throw ValidationError("--neighbours must be between 0 and \(Self.maximumNeighbours), got \(neighbours)")
        }
    }
}
