#define _GNU_SOURCE
#include "sync.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static int sync_fd = -1;

void sync_init(int fd)
{
	sync_fd = fd;
}

size_t json_escape(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		size_t elen;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			elen = 2;
		} else if (c == '\n') {
			memcpy(esc, "\\n", 2);
			elen = 2;
		} else if (c == '\t') {
			memcpy(esc, "\\t", 2);
			elen = 2;
		} else if (c < 0x20 || c == 0x7f) {
			elen = (size_t)snprintf(esc, sizeof esc, "\\u%04x", c);
		} else {
			esc[0] = (char)c;
			elen = 1;
		}
		if (n + elen + 1 > cap)
			break;
		memcpy(out + n, esc, elen);
		n += elen;
	}
	if (cap > 0)
		out[n] = '\0';
	return n;
}

static void send_line(const char *line, size_t len)
{
	if (sync_fd < 0)
		return;
	(void)write_all(sync_fd, line, len);
	close(sync_fd);
	sync_fd = -1;
}

void sync_send_pid(pid_t pid)
{
	char line[64];
	int n = snprintf(line, sizeof line, "{\"pid\":%d}\n", (int)pid);
	send_line(line, (size_t)n);
}

void sync_send_error(const char *message)
{
	char line[4200];
	size_t n = 0;
	memcpy(line, "{\"error\":\"", 10);
	n = 10;
	n += json_escape(message, line + n, sizeof line - n - 3);
	memcpy(line + n, "\"}\n", 3);
	n += 3;
	send_line(line, n);
}
