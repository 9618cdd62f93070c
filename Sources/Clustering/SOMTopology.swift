/// The grid a self-organizing map is laid out on.
///
/// Unit `u` of a `width × height` map sits at column `x = u / height`, row
/// `y = u % height` (MiniSom's order); see `SelfOrganizingMap.position(x:y:height:topology:)`
/// for where that puts it on the plane.
public enum SOMTopology: String, Sendable, Codable, CaseIterable {
    /// Square cells: a unit's neighbours are the eight around it.
    case rectangular
    /// Hexagonal cells, every other row shifted half a unit (MiniSom's
    /// `topology="hexagonal"`): a unit has six neighbours.
    case hexagonal
}
