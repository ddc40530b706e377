// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt_tests_common.h"

int check_failures;

/* Output goes to memfds: no pipe can fill up and block the child. */
static char *read_all(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *buf = calloc(1, len + 1);

	if (!buf)
		abort();
	if (len > 0 && pread(fd, buf, len, 0) != len)
		abort();
	close(fd);
	return buf;
}

struct child_result run_child(int (*body)(int argc, char **argv), const char *const argv[])
{
	struct child_result r = { 0 };
	int out = memfd_create("out", 0), err = memfd_create("err", 0);
	int argc = 0;
	pid_t pid;

	while (argv[argc])
		argc++;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		exit(body(argc, (char **)argv));
	}
	while (waitpid(pid, &r.status, 0) < 0)
		if (errno != EINTR)
			abort();
	r.out = read_all(out);
	r.err = read_all(err);
	return r;
}

void free_child_result(struct child_result *r)
{
	free(r->out);
	free(r->err);
}

int exit_code_of(const struct child_result *r)
{
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
}

int signal_of(const struct child_result *r)
{
	return WIFSIGNALED(r->status) ? WTERMSIG(r->status) : 0;
}

int count_lines(const char *text, const char *line)
{
	size_t len = strlen(line);
	int n = 0;

	for (const char *p = text; p && *p; ) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l == len && !strncmp(p, line, len))
			n++;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

static bool is_result_time(const char *p, size_t len)
{
	unsigned int whole, frac;
	int used = 0;

	/* " (" digits "." three digits "s)", nothing after */
	if (sscanf(p, " (%u.%3us)%n", &whole, &frac, &used) != 2 || used == 0)
		return false;
	return (size_t)used == len && p[used - 6] == '.';
}

int count_results(const char *text, const char *result)
{
	size_t len = strlen(result);
	int n = 0;

	for (const char *p = text; p && *p; ) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l > len && !strncmp(p, result, len) && is_result_time(p + len, l - len))
			n++;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

void check_failed(const char *file, int line, const char *cond,
		  const struct child_result *r)
{
	check_failures++;
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, cond);
	if (r)
		fprintf(stderr, "  exit %d, signal %d\n  --- stdout ---\n%s\n  --- stderr ---\n%s\n",
			exit_code_of(r), signal_of(r), r->out, r->err);
}

int checks_done(const char *name)
{
	if (check_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
		return 1;
	}
	printf("%s: all checks passed\n", name);
	return 0;
}
