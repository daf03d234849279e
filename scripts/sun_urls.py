"""NTAG 424 DNA SUN links, made independently of the Swift code (PyPI `cryptography`: AES and AES-CMAC).

    sun_urls.py links MASTER_HEX CHIPS_FILE COUNTERS        one path per line: /t/TAGID?picc_data=…&cmac=…
    sun_urls.py check MASTER_HEX UID_HEX URL                 prints "uid counter" if the link verifies, else exits 1

CHIPS_FILE has one "TAGID UID_HEX" per line (a 7-byte UID). `links` writes, for counters 1…COUNTERS, every chip's
link for that counter (chip after chip, counter after counter), so a run that walks the file in order presents
each chip's counters in increasing order. The formulas, from NXP's data sheet (NT4H2421Gx) and application notes:
per-chip key n = AES-CMAC(master, 01 ‖ n ‖ UID ‖ "CivicTags") (AN10922); picc_data = AES-CBC(zero IV, key 1,
C7 ‖ UID ‖ counter (3 bytes, LSB first) ‖ 5 random bytes); session MAC key = AES-CMAC(key 2, 3CC3 0001 0080 ‖ UID ‖
counter); cmac = bytes 1, 3, …, 15 of AES-CMAC(session key, the link's text from the picc_data value to the cmac
value, "<32 hex>&cmac=") (AN12196).
"""
import os
import sys
import urllib.parse

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def aes_cmac(key, data):
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def chip_key(master, uid, number):
    return aes_cmac(master, bytes([0x01, number]) + uid + b"CivicTags")


def picc_data(meta_key, uid, counter, random):
    plain = bytes([0xC7]) + uid + counter.to_bytes(3, "little") + random
    encryptor = Cipher(algorithms.AES(meta_key), modes.CBC(bytes(16))).encryptor()
    return encryptor.update(plain) + encryptor.finalize()


def sdm_mac(file_key, uid, counter, mac_input):
    session = aes_cmac(file_key, bytes([0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80]) + uid + counter.to_bytes(3, "little"))
    return aes_cmac(session, mac_input)[1::2]


def link(master, tag_id, uid, counter):
    picc = picc_data(chip_key(master, uid, 1), uid, counter, os.urandom(5)).hex().upper()
    mac = sdm_mac(chip_key(master, uid, 2), uid, counter, (picc + "&cmac=").encode()).hex().upper()
    return f"/t/{tag_id}?picc_data={picc}&cmac={mac}"


def check(master, uid, url):
    query = urllib.parse.urlsplit(url).query
    fields = dict(urllib.parse.parse_qsl(query))
    picc, mac = bytes.fromhex(fields["picc_data"]), bytes.fromhex(fields["cmac"])
    decryptor = Cipher(algorithms.AES(chip_key(master, uid, 1)), modes.CBC(bytes(16))).decryptor()
    plain = decryptor.update(picc) + decryptor.finalize()
    if plain[0] != 0xC7 or plain[1:8] != uid:
        return None
    counter = int.from_bytes(plain[8:11], "little")
    mac_input = query[query.index("picc_data=") + len("picc_data="):query.index("cmac=") + len("cmac=")].encode()
    if sdm_mac(chip_key(master, uid, 2), uid, counter, mac_input) != mac:
        return None
    return counter


def main(argv):
    if len(argv) == 5 and argv[1] == "links":
        master = bytes.fromhex(argv[2])
        chips = [line.split() for line in open(argv[3]) if line.strip()]
        out = sys.stdout
        for counter in range(1, int(argv[4]) + 1):
            for tag_id, uid in chips:
                out.write(link(master, tag_id, bytes.fromhex(uid), counter) + "\n")
        return 0
    if len(argv) == 5 and argv[1] == "check":
        counter = check(bytes.fromhex(argv[2]), bytes.fromhex(argv[3]), argv[4])
        if counter is None:
            print("does not verify", file=sys.stderr)
            return 1
        print(argv[3].upper(), counter)
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
