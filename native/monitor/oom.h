/* OOM kills, best effort. The container's memory cgroup is found from /proc/PID/cgroup; its kill
   counter is read when the container starts and again when it exits: `oom_kill` in memory.events
   (cgroup v2) or in memory.oom_control (cgroup v1, kernel 4.13+). If it grew, PERSIST/oom is created.
   A counter that cannot be read (rootless without a delegated cgroup, say) means no report. */
#ifndef MONITOR_OOM_H
#define MONITOR_OOM_H

#include <stdbool.h>
#include <sys/types.h>

void oom_watch(pid_t pid);
/* True if an OOM kill happened in the container's cgroup since oom_watch. */
bool oom_seen(void);

#endif
