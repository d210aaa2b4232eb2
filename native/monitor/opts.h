/* Command-line options. The argv shape is a contract with src/runtime/monitor-protocol.ts. */
#ifndef MONITOR_OPTS_H
#define MONITOR_OPTS_H

#include <stdbool.h>
#include <stddef.h>

struct opts {
	char *cid;
	char *bundle;
	char *runtime;
	char **runtime_args;
	size_t n_runtime_args;
	char *runtime_root;
	char *log_path;
	long long log_size_max; /* <= 0: unlimited */
	char *exit_dir;
	char *persist_dir;
	bool terminal;
	bool stdin_open;
	bool leave_stdin_open;
	bool start;
	int sync_fd;
	char *exit_command;
	char **exit_args;
	size_t n_exit_args;
	unsigned exit_delay;
	bool debug;
};

/* Fills o from argv. Returns 0 on success, or -1 with a message in err. Paths are made absolute, since
   the monitor changes its directory to / once detached. */
int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t errlen);

#endif
