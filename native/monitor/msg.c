#define _GNU_SOURCE
#include "msg.h"
#include "sync.h"
#include "util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool debug_on;
static char *log_file;

void msg_set_debug(bool on)
{
	debug_on = on;
}

void msg_set_file(const char *path)
{
	free(log_file);
	log_file = xstrdup(path);
}

static void emit(enum msg_level level, const char *text)
{
	static const char *const names[] = {"debug", "warning", "error"};
	char line[1200];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int n = snprintf(line, sizeof line, "%lld.%03ld berth-monitor[%d] %s: %s\n", (long long)ts.tv_sec,
			 ts.tv_nsec / 1000000, (int)getpid(), names[level], text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	if (log_file == NULL) {
		(void)write_all(2, line, (size_t)n);
		return;
	}
	_cleanup_close_ int fd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		(void)write_all(fd, line, (size_t)n);
}

void msg_log(enum msg_level level, const char *fmt, ...)
{
	if (level == MSG_DEBUG && !debug_on)
		return;
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	emit(level, text);
}

void die(const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	emit(MSG_ERROR, text);
	sync_send_error(text);
	exit(1);
}
