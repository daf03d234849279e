import Foundation
import TagPhoto

/// The report form's photo pipeline (TagPhoto, libvips): what the original bytes become before anything is stored.
enum ReportPhotos {
    static func process(_ data: Data) throws -> StoredPhoto {
        let photo = try PhotoPipeline.process(data)
        return StoredPhoto(sha256: photo.sha256Hex, jpeg: photo.jpeg, width: photo.width, height: photo.height)
    }
}
