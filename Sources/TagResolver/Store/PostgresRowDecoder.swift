import PostgresNIO

/// Decodes a `Decodable` row record from a PostgreSQL row by column name, through postgres-nio's own cell
/// decoding (`PostgresCell.decode`) — so one record type serves both databases (GRDB decodes the same
/// records on SQLite). Records are flat: every property is one column of a type postgres-nio decodes.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: [], debugDescription: "a PostgreSQL row decodes as a keyed record"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: [], debugDescription: "a PostgreSQL row decodes as a keyed record"))
    }

    struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRandomAccessRow
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.compactMap { Key(stringValue: $0.columnName) } }

        func contains(_ key: Key) -> Bool { row.contains(key.stringValue) }

        func decodeNil(forKey key: Key) throws -> Bool {
            try cell(key).bytes == nil
        }

        private func cell(_ key: Key) throws -> PostgresCell {
            guard row.contains(key.stringValue) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no column \(key.stringValue)"))
            }
            return row[key.stringValue]
        }

        private func value<T: PostgresDecodable>(_ type: T.Type, _ key: Key) throws -> T {
            try cell(key).decode(T.self)
        }

        private func integer<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
            let wide = try value(Int64.self, key)
            guard let narrow = T(exactly: wide) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: self, debugDescription: "\(wide) does not fit \(T.self)")
            }
            return narrow
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(Bool.self, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(String.self, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(Double.self, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(Float.self, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(Int.self, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(Int64.self, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(Int8.self, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(Int16.self, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(Int32.self, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(UInt.self, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(UInt8.self, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(UInt16.self, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(UInt32.self, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(UInt64.self, key) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let decodable = type as? any PostgresDecodable.Type else {
                throw DecodingError.typeMismatch(
                    type, .init(codingPath: [key], debugDescription: "column \(key.stringValue): rows hold plain values"))
            }
            return try cell(key).decode(decodable) as! T
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: [key], debugDescription: "column \(key.stringValue): rows hold plain values"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: [key], debugDescription: "column \(key.stringValue): rows hold plain values"))
        }

        func superDecoder() throws -> any Decoder { throw unsupported() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw unsupported() }

        private func unsupported() -> DecodingError {
            .typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a PostgreSQL row has no super decoder"))
        }
    }
}
