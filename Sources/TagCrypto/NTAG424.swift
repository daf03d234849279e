/// NXP NTAG 424 DNA: the numbers its command set and SUN output are built from (NT4H2421Gx data sheet).
public enum NTAG424 {
    /// AES-128 keys are 16 bytes; the chip holds five of them, numbered 0 (application master key) to 4.
    public static let keyLength = 16
    public static let keyCount = 5
    /// ISO/IEC 7816-4 DF name of the NDEF application (`D2760000850101`).
    public static let ndefApplicationName: [UInt8] = [0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01]
    /// File numbers of the NDEF application: capability container, NDEF file, proprietary file.
    public static let capabilityContainerFile: UInt8 = 0x01
    public static let ndefFile: UInt8 = 0x02
    public static let proprietaryFile: UInt8 = 0x03
}
