#define _GNU_SOURCE
#include "ctr_exit.h"
#include "msg.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

int exit_code_from_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

void exit_record(const struct opts *o, int code)
{
	char text[16];
	int n = snprintf(text, sizeof text, "%d", code);
	if (mkdir(o->exit_dir, 0700) < 0 && errno != EEXIST)
		pwarn("create exit dir %s: %s", o->exit_dir, strerror(errno));
	_cleanup_free_ char *exit_file = path_join(o->exit_dir, o->cid);
	if (write_file_atomic(exit_file, text, (size_t)n) < 0)
		pwarn("write exit file %s: %s", exit_file, strerror(errno));
	_cleanup_free_ char *persist_file = path_join(o->persist_dir, "exit");
	if (write_file_atomic(persist_file, text, (size_t)n) < 0)
		pwarn("write exit file %s: %s", persist_file, strerror(errno));
}

void exit_run_command(const struct opts *o)
{
	if (o->exit_command == NULL)
		return;
	if (o->exit_delay > 0)
		sleep(o->exit_delay);
	char **argv = calloc(o->n_exit_args + 2, sizeof *argv);
	if (argv == NULL)
		return;
	argv[0] = o->exit_command;
	for (size_t i = 0; i < o->n_exit_args; i++)
		argv[i + 1] = o->exit_args[i];
	pdebug("running exit command %s", o->exit_command);
	reset_child_signals();
	execv(o->exit_command, argv);
	pwarn("run exit command %s: %s", o->exit_command, strerror(errno));
	free(argv);
}
