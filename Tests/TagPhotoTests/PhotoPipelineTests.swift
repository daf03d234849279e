import Foundation
import TagPhoto
import TagTestSupport
import Testing

/// End to end through the real libvips, on photos made at test time (``PhotoFixtures``), with the output
/// checked by other readers: exiftool for metadata, `vips getpoint` for which way up the pixels are.
@Suite("Photo pipeline")
struct PhotoPipelineTests {
    static let red: [Double] = [220, 20, 20], blue: [Double] = [20, 20, 220], white: [Double] = [255, 255, 255]

    /// Tags (by exiftool name) and raw strings a kept photo must not contain.
    static let privateTags = ["GPSLatitude", "GPSLongitude", "SerialNumber", "Make", "Model", "UserComment", "Creator"]
    static let privateStrings = ["SN-4471-0923", "Jane Citizen", "home address", "Acme", "Exif\0\0",
                                 "http://ns.adobe.com/xap/", "ICC_PROFILE", "Photoshop 3.0"]

    @Test("No metadata survives: GPS, make/model/serial, user comment, XMP, ICC", arguments: ["jpg", "png", "webp"])
    func metadataIsStripped(ext: String) throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        try fixtures.halves("scene.ppm", width: 2000, height: 1500)
        let name = "photo.\(ext)"
        if ext == "jpg" {
            // Through an ICC transform, so the JPEG also carries an ICC profile (and takes the ICC import path).
            try fixtures.vips("icc_transform", fixtures.path("scene.ppm"), fixtures.path(name), "srgb", "--input-profile", "srgb")
        } else {
            try fixtures.vips("copy", fixtures.path("scene.ppm"), fixtures.path(name))
        }
        try fixtures.addPrivateMetadata(name)
        let upload = try fixtures.read(name)
        let before = try fixtures.exifTags(upload)
        for tag in Self.privateTags {
            #expect(before.keys.contains { $0.hasSuffix(":" + tag) }, "the fixture should carry \(tag)")
        }
        #expect(!(ext == "jpg") || before.keys.contains { $0.hasPrefix("ICC") }, "the JPEG fixture should carry ICC")
        #expect(upload.contains("SN-4471-0923"))

        let photo = try PhotoPipeline.process(upload)
        let after = try fixtures.exifTags(photo.jpeg)
        let groups = Set(after.keys.map { String($0.split(separator: ":")[0]) })
        #expect(groups.isSubset(of: ["SourceFile", "ExifTool", "System", "File", "JFIF", "Composite"]), "\(after.keys.sorted())")
        for tag in Self.privateTags { #expect(!after.keys.contains { $0.hasSuffix(":" + tag) }, "\(tag) survived") }
        for text in Self.privateStrings { #expect(!photo.jpeg.contains(text), "\(text.debugDescription) in the output bytes") }
        #expect(after["File:FileType"] == "JPEG")
        #expect(after["File:ColorComponents"] == "3")
        #expect(photo.sourceFormat == PhotoFormat(rawValue: ext == "jpg" ? "jpeg" : ext))
        #expect(photo.width == 1600 && photo.height == 1200)
        #expect(close(try fixtures.pixel(photo.jpeg, x: 800, y: 300), Self.red))
        #expect(close(try fixtures.pixel(photo.jpeg, x: 800, y: 900), Self.blue))
    }

    /// An EXIF orientation of a 2,400 × 1,800 photo whose top half is red, and where its red and blue halves
    /// must appear once it is scaled to fit 1,600 px and turned upright.
    struct Orientation: Sendable, CustomTestStringConvertible {
        var value: Int, red: (x: Int, y: Int), blue: (x: Int, y: Int), width: Int, height: Int
        var testDescription: String { "Orientation=\(value)" }
    }

    static let orientations = [
        Orientation(value: 6, red: (1100, 800), blue: (100, 800), width: 1200, height: 1600),  // 90° clockwise
        Orientation(value: 8, red: (100, 800), blue: (1100, 800), width: 1200, height: 1600),  // 90° anticlockwise
        Orientation(value: 3, red: (800, 1100), blue: (800, 100), width: 1600, height: 1200),  // 180°
    ]

    @Test("EXIF orientation is applied before stripping (scaled and turned)", arguments: orientations)
    func orientationIsApplied(_ orientation: Orientation) throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        let exiftool = try ToolGate.require("exiftool", fix: "apt-get install libimage-exiftool-perl")[0]
        try fixtures.halves("scene.ppm", width: 2400, height: 1800)
        try fixtures.vips("copy", fixtures.path("scene.ppm"), fixtures.path("photo.jpg"))
        try fixtures.run(exiftool, ["-Orientation=\(orientation.value)", "-n", "-overwrite_original", fixtures.path("photo.jpg")])
        #expect(try fixtures.exifTags(fixtures.read("photo.jpg"))["IFD0:Orientation"] != nil)

        let photo = try PhotoPipeline.process(try fixtures.read("photo.jpg"))
        #expect(photo.width == orientation.width && photo.height == orientation.height)
        #expect(close(try fixtures.pixel(photo.jpeg, x: orientation.red.x, y: orientation.red.y), Self.red))
        #expect(close(try fixtures.pixel(photo.jpeg, x: orientation.blue.x, y: orientation.blue.y), Self.blue))
        #expect(try fixtures.exifTags(photo.jpeg)["IFD0:Orientation"] == nil)
    }

    @Test("HEIC from heif-enc is decoded (libheif with libde265)")
    func heic() throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        let heifEnc = try ToolGate.require("heif-enc", fix: "apt-get install libheif-examples")[0]
        try fixtures.halves("scene.ppm", width: 2000, height: 1500)
        try fixtures.vips("copy", fixtures.path("scene.ppm"), fixtures.path("scene.png"))
        try fixtures.run(heifEnc, ["-q", "90", "-o", fixtures.path("photo.heic"), fixtures.path("scene.png")])

        let photo = try PhotoPipeline.process(try fixtures.read("photo.heic"))
        #expect(photo.sourceFormat == .heic)
        #expect(photo.width == 1600 && photo.height == 1200)
        #expect(close(try fixtures.pixel(photo.jpeg, x: 800, y: 300), Self.red))
        #expect(close(try fixtures.pixel(photo.jpeg, x: 800, y: 900), Self.blue))
    }

    @Test("A PNG with alpha is flattened onto white, and a small photo is not enlarged")
    func transparentPNG() throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        try fixtures.halves("scene.ppm", width: 800, height: 600)
        try fixtures.columns("alpha.pgm", width: 800, height: 600, left: 255, right: 0)
        try fixtures.vips("bandjoin", "\(fixtures.path("scene.ppm")) \(fixtures.path("alpha.pgm"))", fixtures.path("photo.png"))

        let photo = try PhotoPipeline.process(try fixtures.read("photo.png"))
        #expect(photo.sourceFormat == .png)
        #expect(photo.width == 800 && photo.height == 600)
        #expect(try fixtures.exifTags(photo.jpeg)["File:ColorComponents"] == "3")
        #expect(close(try fixtures.pixel(photo.jpeg, x: 200, y: 150), Self.red))
        #expect(close(try fixtures.pixel(photo.jpeg, x: 200, y: 450), Self.blue))
        // The transparent half hid red and blue; it must come out white, not the hidden colours.
        #expect(close(try fixtures.pixel(photo.jpeg, x: 600, y: 150), Self.white, tolerance: 8))
        #expect(close(try fixtures.pixel(photo.jpeg, x: 600, y: 450), Self.white, tolerance: 8))
    }

    @Test("16-bit greyscale PNG and CMYK JPEG come out as 8-bit sRGB, matching the vips CLI's conversion", arguments: [
        ("grey16.png", "grey16", ["colourspace"]), ("cmyk.jpg", "cmyk", ["icc_transform", "--embedded"]),
    ])
    func colourSpaces(name: String, space: String, reference: [String]) throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        try fixtures.halves("scene.ppm", width: 800, height: 600)
        try fixtures.vips("colourspace", fixtures.path("scene.ppm"), fixtures.path(name), space)
        // What `vips` itself makes of the file in sRGB (CMYK through its embedded profile: blue is out of the
        // CMYK gamut, so it comes back duller than it went in).
        try fixtures.run(fixtures.vips, [reference[0], fixtures.path(name), fixtures.path("reference.png"), "srgb"]
            + reference.dropFirst())
        let expected = try fixtures.read("reference.png")

        let photo = try PhotoPipeline.process(try fixtures.read(name))
        let tags = try fixtures.exifTags(photo.jpeg)
        #expect(tags["File:ColorComponents"] == "3" && tags["File:BitsPerSample"] == "8")
        for y in [150, 450] {
            let pixel = try fixtures.pixel(photo.jpeg, x: 400, y: y), wanted = try fixtures.pixel(expected, x: 400, y: y)
            #expect(pixel.count == 3 && close(pixel, wanted, tolerance: 8), "\(pixel) ≠ \(wanted)")
        }
        if space == "grey16" {
            let top = try fixtures.pixel(photo.jpeg, x: 400, y: 150), bottom = try fixtures.pixel(photo.jpeg, x: 400, y: 450)
            #expect(top.max()! - top.min()! <= 3 && abs(top[0] - bottom[0]) > 20, "\(top) \(bottom)")
        }
    }

    @Test("A 40-megapixel phone photo (7,728 × 5,152) is scaled to 1,600 × 1,067")
    func fortyMegapixels() throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        for (band, frequencies) in [("r", ("3", "2")), ("g", ("5", "1")), ("b", ("1", "4"))] {
            try fixtures.vips("sines", fixtures.path("\(band).v"), "7728", "5152",
                              "--hfreq", frequencies.0, "--vfreq", frequencies.1, "--uchar")
        }
        try fixtures.vips("bandjoin", ["r", "g", "b"].map { fixtures.path("\($0).v") }.joined(separator: " "), fixtures.path("rgb.v"))
        try fixtures.vips("copy", fixtures.path("rgb.v"), fixtures.path("photo.jpg") + "[Q=90]", "--interpretation", "srgb")
        let upload = try fixtures.read("photo.jpg")
        #expect(upload.count < PhotoLimits().maxBytes)

        let photo = try PhotoPipeline.process(upload)
        #expect(photo.width == 1600 && photo.height == 1067)
        #expect(try fixtures.exifTags(photo.jpeg)["File:ImageWidth"] == "1600")
    }
}

extension Data {
    /// Whether `text`'s UTF-8 bytes occur anywhere in this data.
    func contains(_ text: String) -> Bool { range(of: Data(text.utf8)) != nil }
}
