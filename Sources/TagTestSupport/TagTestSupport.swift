// TagTestSupport: simulated chips and the PN532 emulator.
