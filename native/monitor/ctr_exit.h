/* What happens when the container's init process is gone: its exit code is written to
   EXIT_DIR/ID and PERSIST/exit (atomically, decimal, 128+signo for a signal death), then the exit
   command replaces the monitor. */
#ifndef MONITOR_CTR_EXIT_H
#define MONITOR_CTR_EXIT_H

#include "opts.h"

int exit_code_from_status(int status);
void exit_record(const struct opts *o, int code);
/* Sleeps --exit-delay seconds and execs the exit command; returns only if there is none or exec fails. */
void exit_run_command(const struct opts *o);

#endif
