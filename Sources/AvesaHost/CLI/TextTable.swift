/// Renders rows as left-aligned columns separated by two spaces, for terminal output.
struct TextTable {
    /// Column titles.
    let header: [String]
    /// Rows, each with as many cells as `header`.
    var rows: [[String]] = []

    /// The table as text, one line per row, header first.
    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
