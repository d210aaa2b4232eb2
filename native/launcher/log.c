#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

bool log_debug_enabled = false;
static struct timespec start_time;

/* One vfprintf per line into a local buffer, then one write(2): lines from the launcher and its
 * forked helper never interleave mid-line. */
static void emit(const char *prefix, const char *fmt, va_list ap) {
  int saved_errno = errno; /* for %m */
  char buf[1024];
  int n = snprintf(buf, sizeof buf, "%s", prefix);
  errno = saved_errno;
  int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
  if (m < 0) m = 0;
  size_t len = (size_t)n + (size_t)m;
  if (len > sizeof buf - 2) len = sizeof buf - 2;
  buf[len++] = '\n';
  ssize_t w = write(STDERR_FILENO, buf, len);
  (void)w;
}

void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emit("Error: ", fmt, ap);
  va_end(ap);
  _exit(BERTH_EXIT_ENGINE);
}

void warnf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emit("Warning: ", fmt, ap);
  va_end(ap);
}

void debugf(const char *fmt, ...) {
  if (!log_debug_enabled) return;
  va_list ap;
  va_start(ap, fmt);
  emit("berth-ns: ", fmt, ap);
  va_end(ap);
}

void log_start_clock(void) { clock_gettime(CLOCK_MONOTONIC, &start_time); }

double log_elapsed_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start_time.tv_sec) * 1e3 + (double)(now.tv_nsec - start_time.tv_nsec) / 1e6;
}
