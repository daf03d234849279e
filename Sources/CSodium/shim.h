#include <sodium.h>

/*
 * libsodium for staff passwords: Argon2id through crypto_pwhash_str (the salt and the cost parameters are
 * kept inside the encoded string) and crypto_pwhash_str_verify (constant time). Only PasswordHash.swift
 * uses it; sodium_init() is called there once before the first hash.
 */
