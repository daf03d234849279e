// NFCWriter: libnfc wrapper. Filled by the NFC writer issue.
