/// Options whose value may be left out (`--highlight` alone means `--highlight 30`).
///
/// argument-parser has no option with an optional value, so the command line is
/// completed once, before parsing: an option of ``defaults`` that is not
/// followed by a number (or by an empty argument, which is taken as its value
/// and refused) gets its default inserted. Everything after `--` is left alone.
enum OptionalOptionValues {
    /// The options that may be given without a value, and the value they then take.
    static let defaults = ["--highlight": "30"]
    /// Options whose value is a word, with the value they take when left out and the words they accept.
    static let wordDefaults = ["--previews": (value: "browser", accepted: ["browser", "all"])]

    /// `arguments` (without the program name) with every missing optional value filled in.
    static func completed(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            result.append(argument)
            index += 1
            if argument == "--" {
                result.append(contentsOf: arguments[index...])
                break
            }
            // An empty argument is the option's value (refused as a number by the parser, naming the
            // option), never a path: `--highlight ''` must not read '' as the track.
            if let value = defaults[argument],
               index == arguments.count || (!arguments[index].isEmpty && Double(arguments[index]) == nil) {
                result.append(value)
            } else if let word = wordDefaults[argument],
                      index == arguments.count || !word.accepted.contains(arguments[index]) {
                result.append(word.value)
            }
        }
        return result
    }
}
