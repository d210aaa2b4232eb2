/* The pause process: it does nothing but keep berth's user and mount namespaces alive. */
#ifndef BERTH_NS_PAUSE_H
#define BERTH_NS_PAUSE_H

#include <stdbool.h>
#include <sys/types.h>

#define PAUSE_COMM "berth-pause"

/* Opens /proc/PID as a directory fd when PID is alive, runs as `uid` and is named berth-pause;
 * returns -1 otherwise (stale pid file, reused pid, someone else's process). */
int pause_open_if_ours(pid_t pid, uid_t uid);

/* Remembers the argv strings so the pause process can show as `berth-pause` in ps, not as the
 * command that happened to create it. */
void pause_set_title_area(int argc, char **argv);

/* Becomes the pause process: new session, named berth-pause, stdio on /dev/null, every other fd
 * closed except that it first writes its pid (a pid_t) to `report_fd` and closes it. Never returns. */
void pause_run(int report_fd) __attribute__((noreturn));

#endif
