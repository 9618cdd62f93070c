/// Options whose value may be left out (`--highlight` alone means `--highlight 30`).
///
/// argument-parser has no option with an optional value, so the command line is
/// completed once, before parsing: an option of ``defaults`` that is not
/// followed by a number gets its default inserted. Everything after `--` is left alone.
enum OptionalOptionValues {
    /// The options that may be given without a value, and the value they then take.
    static let defaults = ["--highlight": "30"]

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
            if let value = defaults[argument], index == arguments.count || (Double(arguments[index]) == nil && !arguments[index].isEmpty) {
                result.append(value)
            }
        }
        return result
    }
}
