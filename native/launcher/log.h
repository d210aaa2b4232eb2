/* Error and debug output for berth-ns: one `Error: <what>: <why>` line, exit 125. */
#ifndef BERTH_NS_LOG_H
#define BERTH_NS_LOG_H

#include <stdbool.h>

#define BERTH_EXIT_ENGINE 125

/* Set once in main from BERTH_LAUNCHER_DEBUG; read by debugf. */
extern bool log_debug_enabled;

/* Prints `Error: ...` to stderr and exits 125. Safe in forked children: uses _exit. */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Prints `Warning: ...` to stderr. */
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints `berth-ns: ...` to stderr when BERTH_LAUNCHER_DEBUG=1. */
void debugf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds since the launcher started (CLOCK_MONOTONIC), for debug timings. */
double log_elapsed_ms(void);
void log_start_clock(void);

#endif
