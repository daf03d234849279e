// TagPrint: PDF (libharu) and PNG (cairo) renderers and label imposition. Filled by the QR issue.
