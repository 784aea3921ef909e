import CSQLite
import Glibc

extension SQLiteStatement {
    /// Binds a canonical value in its storage form (see `CanonicalType.sqlType`).
    @inline(__always)
    func bind(_ value: CanonicalValue, at index: Int32) throws(SQLiteError) {
        switch value {
        case .null: try bindNull(at: index)
        case .string(let text), .decimal(let text): try bind(text, at: index)
        case .integer(let number), .timestamp(let number): try bind(number, at: index)
        case .boolean(let flag): try bind(Int64(flag ? 1 : 0), at: index)
        case .date(let days): try bind(Int64(days), at: index)
        }
    }

    /// Binds a row hash in its 16-byte storage form.
    @inline(__always)
    func bind(_ hash: RowHash, at index: Int32) throws(SQLiteError) {
        var words = (hash.high.bigEndian, hash.low.bigEndian)
        let rc = withUnsafeBytes(of: &words) { bytes in
            sqlite3_bind_blob(handle, index, bytes.baseAddress, 16, csqlite_transient())
        }
        if rc != SQLITE_OK { throw SQLiteError.make(rc, db: database.handle, operation: "bind", sql: sql) }
    }

    /// Binds UTF-8 bytes as text **without** SQLite copying them (`SQLITE_STATIC`): the
    /// bytes must stay valid until the statement is stepped and then re-bound or reset.
    @inline(__always)
    func bindStatic(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32) throws(SQLiteError) {
        let rc = UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            .withMemoryRebound(to: CChar.self, capacity: max(bytes.count, 1)) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), csqlite_static())
            }
        if rc != SQLITE_OK { throw SQLiteError.make(rc, db: database.handle, operation: "bind", sql: sql) }
    }

    /// Whether column `index` of the current row holds exactly `value` in its storage form
    /// (same storage class, same bytes or number).
    func holds(_ value: CanonicalValue, at index: Int32) -> Bool {
        let stored = sqlite3_column_type(handle, index)
        switch value {
        case .null:
            return stored == SQLITE_NULL
        case .string(var text), .decimal(var text):
            guard stored == SQLITE_TEXT else { return false }
            return withBytes(index) { column in
                text.withUTF8 { bytes in
                    bytes.count == column.count && (bytes.isEmpty || memcmp(bytes.baseAddress!, column.baseAddress!, bytes.count) == 0)
                }
            }
        case .integer(let number), .timestamp(let number):
            return stored == SQLITE_INTEGER && int64(index) == number
        case .boolean(let flag):
            return stored == SQLITE_INTEGER && int64(index) == (flag ? 1 : 0)
        case .date(let days):
            return stored == SQLITE_INTEGER && int64(index) == Int64(days)
        }
    }

    /// Reads column `index` of the current row as a canonical value of `type`.
    func canonicalValue(_ index: Int32, as type: CanonicalType) -> CanonicalValue {
        if isNull(index) { return .null }
        switch type {
        case .string: return .string(text(index) ?? "")
        case .decimal: return .decimal(text(index) ?? "")
        case .integer: return .integer(int64(index))
        case .timestamp: return .timestamp(int64(index))
        case .boolean: return .boolean(int64(index) != 0)
        case .date: return .date(Int32(truncatingIfNeeded: int64(index)))
        }
    }

    /// Feeds column `index` to `hasher` exactly as `RowHasher.combine(_:)` would feed the
    /// canonical value of `type` read from it, without building a Swift value.
    @inline(__always)
    func combine(_ index: Int32, as type: CanonicalType, into hasher: inout RowHasher) {
        if isNull(index) {
            hasher.combine(CanonicalValue.null)
            return
        }
        switch type {
        case .string: withBytes(index) { hasher.combine(utf8: $0, tag: 1) }
        case .decimal: withBytes(index) { hasher.combine(utf8: $0, tag: 3) }
        case .integer: hasher.combine(word: UInt64(bitPattern: int64(index)), tag: 2)
        case .boolean: hasher.combine(word: int64(index) != 0 ? 1 : 0, tag: 4)
        case .timestamp: hasher.combine(word: UInt64(bitPattern: int64(index)), tag: 5)
        case .date: hasher.combine(word: UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: int64(index)))), tag: 6)
        }
    }
}
