#ifndef CIVICTAGS_PSEUDO_TERMINAL_H
#define CIVICTAGS_PSEUDO_TERMINAL_H
#include <stddef.h>

/// Opens a new pseudo-terminal master (posix_openpt, grantpt, unlockpt) and writes the slave's path
/// (ptsname_r) into `path`. Returns the master fd, or -1 with errno set.
///
/// Why C: glibc declares posix_openpt/grantpt/unlockpt/ptsname_r only under _XOPEN_SOURCE/_GNU_SOURCE,
/// which Swift's Glibc module is not built with, so Swift cannot see them.
int civictags_open_pty_master(char *path, size_t path_length);

#endif
