import ArgumentParser
import TagKit

/// A tag ID given on the command line; a malformed one is a usage error (exit 64) saying why.
func parseTagID(_ text: String) throws -> TagID {
    do { return try TagID(parsing: text) } catch { throw ValidationError(error.description) }
}
