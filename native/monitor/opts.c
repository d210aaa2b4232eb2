#define _GNU_SOURCE
#include "opts.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_CID = 256,
	OPT_BUNDLE,
	OPT_RUNTIME,
	OPT_RUNTIME_ARG,
	OPT_RUNTIME_ROOT,
	OPT_LOG_PATH,
	OPT_LOG_SIZE_MAX,
	OPT_EXIT_DIR,
	OPT_PERSIST_DIR,
	OPT_TERMINAL,
	OPT_STDIN,
	OPT_LEAVE_STDIN_OPEN,
	OPT_START,
	OPT_SYNC_FD,
	OPT_EXIT_COMMAND,
	OPT_EXIT_COMMAND_ARG,
	OPT_EXIT_DELAY,
	OPT_LOG_LEVEL,
};

static const struct option longopts[] = {
	{"cid", required_argument, NULL, OPT_CID},
	{"bundle", required_argument, NULL, OPT_BUNDLE},
	{"runtime", required_argument, NULL, OPT_RUNTIME},
	{"runtime-arg", required_argument, NULL, OPT_RUNTIME_ARG},
	{"runtime-root", required_argument, NULL, OPT_RUNTIME_ROOT},
	{"log-path", required_argument, NULL, OPT_LOG_PATH},
	{"log-size-max", required_argument, NULL, OPT_LOG_SIZE_MAX},
	{"exit-dir", required_argument, NULL, OPT_EXIT_DIR},
	{"persist-dir", required_argument, NULL, OPT_PERSIST_DIR},
	{"terminal", no_argument, NULL, OPT_TERMINAL},
	{"stdin", no_argument, NULL, OPT_STDIN},
	{"leave-stdin-open", no_argument, NULL, OPT_LEAVE_STDIN_OPEN},
	{"start", no_argument, NULL, OPT_START},
	{"sync-fd", required_argument, NULL, OPT_SYNC_FD},
	{"exit-command", required_argument, NULL, OPT_EXIT_COMMAND},
	{"exit-command-arg", required_argument, NULL, OPT_EXIT_COMMAND_ARG},
	{"exit-delay", required_argument, NULL, OPT_EXIT_DELAY},
	{"log-level", required_argument, NULL, OPT_LOG_LEVEL},
	{NULL, 0, NULL, 0},
};

static void push(char ***list, size_t *n, const char *value)
{
	char **grown = realloc(*list, (*n + 2) * sizeof **list);
	if (grown == NULL)
		abort();
	grown[(*n)++] = xstrdup(value);
	grown[*n] = NULL;
	*list = grown;
}

static int parse_number(const char *s, long long min, long long *out)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min)
		return -1;
	*out = v;
	return 0;
}

int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	o->sync_fd = -1;
	o->log_size_max = -1;
	long long num;
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CID:
			o->cid = xstrdup(optarg);
			break;
		case OPT_BUNDLE:
			o->bundle = path_absolute(optarg);
			break;
		case OPT_RUNTIME:
			o->runtime = xstrdup(optarg);
			break;
		case OPT_RUNTIME_ARG:
			push(&o->runtime_args, &o->n_runtime_args, optarg);
			break;
		case OPT_RUNTIME_ROOT:
			o->runtime_root = path_absolute(optarg);
			break;
		case OPT_LOG_PATH:
			o->log_path = path_absolute(optarg);
			break;
		case OPT_LOG_SIZE_MAX:
			if (parse_number(optarg, -1, &num) < 0) {
				snprintf(err, errlen, "invalid --log-size-max: %s", optarg);
				return -1;
			}
			o->log_size_max = num;
			break;
		case OPT_EXIT_DIR:
			o->exit_dir = path_absolute(optarg);
			break;
		case OPT_PERSIST_DIR:
			o->persist_dir = path_absolute(optarg);
			break;
		case OPT_TERMINAL:
			o->terminal = true;
			break;
		case OPT_STDIN:
			o->stdin_open = true;
			break;
		case OPT_LEAVE_STDIN_OPEN:
			o->leave_stdin_open = true;
			break;
		case OPT_START:
			o->start = true;
			break;
		case OPT_SYNC_FD:
			if (parse_number(optarg, 0, &num) < 0 || num > 65535) {
				snprintf(err, errlen, "invalid --sync-fd: %s", optarg);
				return -1;
			}
			o->sync_fd = (int)num;
			break;
		case OPT_EXIT_COMMAND:
			o->exit_command = xstrdup(optarg);
			break;
		case OPT_EXIT_COMMAND_ARG:
			push(&o->exit_args, &o->n_exit_args, optarg);
			break;
		case OPT_EXIT_DELAY:
			if (parse_number(optarg, 0, &num) < 0 || num > 86400) {
				snprintf(err, errlen, "invalid --exit-delay: %s", optarg);
				return -1;
			}
			o->exit_delay = (unsigned)num;
			break;
		case OPT_LOG_LEVEL:
			o->debug = strcmp(optarg, "debug") == 0;
			break;
		default:
			snprintf(err, errlen, "unknown or incomplete option: %s", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument: %s", argv[optind]);
		return -1;
	}
	const struct {
		const char *name;
		const void *value;
	} required[] = {
		{"--cid", o->cid},
		{"--bundle", o->bundle},
		{"--runtime", o->runtime},
		{"--runtime-root", o->runtime_root},
		{"--log-path", o->log_path},
		{"--exit-dir", o->exit_dir},
		{"--persist-dir", o->persist_dir},
	};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		if (required[i].value == NULL) {
			snprintf(err, errlen, "missing required option %s", required[i].name);
			return -1;
		}
	}
	if (o->sync_fd < 0) {
		snprintf(err, errlen, "missing required option --sync-fd");
		return -1;
	}
	if (o->n_exit_args > 0 && o->exit_command == NULL) {
		snprintf(err, errlen, "--exit-command-arg needs --exit-command");
		return -1;
	}
	return 0;
}
