/* Diagnostics. Before the monitor detaches they go to stderr; afterwards to PERSIST/monitor.log,
   since stderr is /dev/null then. Debug lines only with --log-level debug. */
#ifndef MONITOR_MSG_H
#define MONITOR_MSG_H

#include <stdbool.h>

enum msg_level { MSG_DEBUG, MSG_WARN, MSG_ERROR };

void msg_set_debug(bool on);
/* From now on, append diagnostics to this file instead of stderr. */
void msg_set_file(const char *path);
void msg_log(enum msg_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Logs the message, reports it on the sync pipe if nothing was reported yet, and exits 1. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define pdebug(...) msg_log(MSG_DEBUG, __VA_ARGS__)
#define pwarn(...) msg_log(MSG_WARN, __VA_ARGS__)

#endif
