#include <vips/vips.h>

/*
 * libvips operations are C varargs functions: required arguments, then NULL-terminated
 * (name, value) option pairs. Swift cannot call C varargs, so each operation TagPhoto uses has a
 * fixed-signature wrapper here that spells out its options. Everything else (vips_init, image
 * fields, g_object_unref, the error buffer) is called directly. Only PhotoPipeline.swift uses these.
 */

/* Varargs: the JPEG loader with a shrink-on-load factor (1, 2, 4 or 8), failing on truncation or
 * corrupt data instead of padding with grey, reading strictly top to bottom. */
static inline int civic_vips_jpegload(const void *buf, size_t len, int shrink, VipsImage **out) {
    return vips_jpegload_buffer((void *) buf, len, out, "shrink", shrink,
        "fail_on", VIPS_FAIL_ON_ERROR, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

/* Varargs: the PNG loader, first frame, failing on truncation or corrupt data. */
static inline int civic_vips_pngload(const void *buf, size_t len, VipsImage **out) {
    return vips_pngload_buffer((void *) buf, len, out,
        "fail_on", VIPS_FAIL_ON_ERROR, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

/* Varargs: the WebP loader, first frame, failing on truncation or corrupt data. */
static inline int civic_vips_webpload(const void *buf, size_t len, VipsImage **out) {
    return vips_webpload_buffer((void *) buf, len, out,
        "fail_on", VIPS_FAIL_ON_ERROR, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

/* Varargs: the HEIF loader (libheif), primary image at full size (not its embedded thumbnail),
 * failing on corrupt data. libheif applies the container's rotation and mirroring itself. */
static inline int civic_vips_heifload(const void *buf, size_t len, VipsImage **out) {
    return vips_heifload_buffer((void *) buf, len, out,
        "fail_on", VIPS_FAIL_ON_ERROR, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

/* Varargs: rotate/flip upright from the image's EXIF orientation (no-op when there is none). */
static inline int civic_vips_autorot(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}

/* Varargs: scale both axes by `scale` with the default (Lanczos 3) kernel. */
static inline int civic_vips_resize(VipsImage *in, VipsImage **out, double scale) {
    return vips_resize(in, out, scale, NULL);
}

/* Varargs: convert from the image's embedded ICC profile (Display P3, Adobe RGB, CMYK…) to sRGB. */
static inline int civic_vips_icc_to_srgb(VipsImage *in, VipsImage **out) {
    return vips_icc_transform(in, out, "srgb", "embedded", TRUE, NULL);
}

/* Varargs: convert from the image's interpretation (grey, 16-bit RGB, CMYK…) to 8-bit sRGB. */
static inline int civic_vips_colourspace_srgb(VipsImage *in, VipsImage **out) {
    return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, NULL);
}

/* Varargs, and a VipsArrayDouble to build and release: composite the alpha channel onto white,
 * so transparent areas come out white rather than whatever colour they hid. */
static inline int civic_vips_flatten_white(VipsImage *in, VipsImage **out) {
    const double white[3] = { 255.0, 255.0, 255.0 };
    VipsArrayDouble *background = vips_array_double_new(white, 3);
    int status = vips_flatten(in, out, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return status;
}

/* Varargs: encode as baseline JPEG at `quality` (1–100) with no metadata at all: no EXIF, XMP,
 * IPTC, ICC profile or comment. libvips 8.15 renamed `strip` to `keep`; both spellings are here so
 * the wrapper means the same on either side of that change. The caller g_free()s *buf. */
static inline int civic_vips_jpegsave(VipsImage *in, void **buf, size_t *len, int quality) {
#if VIPS_MAJOR_VERSION > 8 || (VIPS_MAJOR_VERSION == 8 && VIPS_MINOR_VERSION >= 15)
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "keep", VIPS_FOREIGN_KEEP_NONE, NULL);
#else
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "strip", TRUE, NULL);
#endif
}
