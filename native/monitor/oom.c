#define _GNU_SOURCE
#include "oom.h"
#include "msg.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static char *counter_file;
static long long baseline = -1;

static long long read_oom_kill(const char *path)
{
	char buf[1024];
	if (read_small_file(path, buf, sizeof buf) < 0)
		return -1;
	for (char *p = buf; p != NULL && *p != '\0';) {
		long long v;
		if (sscanf(p, "oom_kill %lld", &v) == 1)
			return v;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

/* "0::/path" for v2, "N:...memory...:/path" for v1; candidates tried in order. */
static char *find_counter(pid_t pid)
{
	char proc[64], buf[4096];
	snprintf(proc, sizeof proc, "/proc/%d/cgroup", (int)pid);
	if (read_small_file(proc, buf, sizeof buf) < 0)
		return NULL;
	char *save = NULL;
	for (char *ln = strtok_r(buf, "\n", &save); ln != NULL; ln = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(ln, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c2 = '\0';
		const char *controllers = c1 + 1, *cg = c2 + 1;
		const char *candidates[2][2] = {{NULL, NULL}, {NULL, NULL}};
		if (*controllers == '\0') {
			candidates[0][0] = "/sys/fs/cgroup%s/memory.events";
			candidates[1][0] = "/sys/fs/cgroup/unified%s/memory.events";
		} else if (strstr(controllers, "memory") != NULL) {
			candidates[0][0] = "/sys/fs/cgroup/memory%s/memory.oom_control";
		}
		for (int i = 0; i < 2; i++) {
			if (candidates[i][0] == NULL)
				continue;
			char *path = NULL;
			if (asprintf(&path, candidates[i][0], strcmp(cg, "/") == 0 ? "" : cg) < 0)
				continue;
			if (read_oom_kill(path) >= 0)
				return path;
			free(path);
		}
	}
	return NULL;
}

void oom_watch(pid_t pid)
{
	counter_file = find_counter(pid);
	if (counter_file == NULL) {
		pdebug("no readable oom_kill counter for the container's cgroup");
		return;
	}
	baseline = read_oom_kill(counter_file);
	pdebug("watching %s for OOM kills (now %lld)", counter_file, baseline);
}

bool oom_seen(void)
{
	if (counter_file == NULL)
		return false;
	long long now = read_oom_kill(counter_file);
	return now > baseline;
}
