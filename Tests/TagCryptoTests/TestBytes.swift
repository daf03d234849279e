import TagCrypto

/// Bytes of a hex vector as the notes print it (spaces allowed). A typo yields no bytes, which fails the test
/// that uses it rather than passing silently.
func bytes(_ text: String) -> [UInt8] {
    (try? Hex.decode(text.filter { $0 != " " })) ?? []
}

/// A key from a hex vector; a typo yields a key no vector matches.
func key(_ text: String) -> AES128Key {
    (try? AES128Key(hex: text)) ?? AES128Key.factory
}
