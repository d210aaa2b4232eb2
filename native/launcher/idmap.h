/* Writing the id maps of a freshly unshared user namespace. */
#ifndef BERTH_NS_IDMAP_H
#define BERTH_NS_IDMAP_H

#include <sys/types.h>

#include "subid.h"

/* Inside 0 -> `own_id` (count 1), inside 1.. -> `ranges` one after another, written by the setuid
 * helper `tool` ("newuidmap" or "newgidmap", found in PATH, else /usr/bin or /usr/sbin).
 * Fails (exit 125) with the full command line when the helper cannot run or exits non-zero. */
void idmap_apply_full(const char *tool, pid_t pid, unsigned long own_id, const struct id_range *ranges,
                      int nranges);

/* The unprivileged fallback: `0 UID 1` and `0 GID 1`, with setgroups denied as the kernel requires. */
void idmap_apply_single(pid_t pid, uid_t uid, gid_t gid);

#endif
