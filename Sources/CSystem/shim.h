// POSIX and Linux calls that Swift's Glibc module does not expose: extended attributes (which
// also carry POSIX ACLs), used to keep a rewritten file's attributes.
#include <sys/types.h>
#include <sys/xattr.h>
