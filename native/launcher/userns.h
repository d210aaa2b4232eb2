/* Joining and creating berth's user + mount namespaces. */
#ifndef BERTH_NS_USERNS_H
#define BERTH_NS_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

/* setns(2) into the user then the mount namespace of the process whose /proc dir is `proc_dfd`.
 * Sets *full from its uid_map (more than one extent = subuid ranges mapped). Returns -1 when the
 * process is gone (the caller then creates new namespaces); fails (exit 125) on other errors. */
int userns_join(int proc_dfd, bool *full);

/* Creates the namespaces and their pause process (the caller holds pause.lock), mapping the
 * caller's subuid/subgid ranges, or only its own ids (with a warning) when it has none.
 * Returns the pause process's pid; sets *full. Fails (exit 125) on error. */
pid_t userns_create(uid_t uid, gid_t gid, bool *full);

#endif
