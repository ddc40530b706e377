/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * A small harness for the library's unit tests. Each case runs a piece of
 * test code in a child process, the way a test binary would run with the
 * given command line, captures its exit status and output, and checks them
 * from the outside. The harness itself must not use the IGT core: the core
 * is what is under test.
 */

#ifndef IGT_TESTS_COMMON_H
#define IGT_TESTS_COMMON_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct child_result {
	int status;		/* raw wait status */
	char *out;		/* everything written to stdout */
	char *err;		/* everything written to stderr */
};

/* Runs body(argc, argv) in a child with the given argv (NULL-terminated). */
struct child_result run_child(int (*body)(int argc, char **argv), const char *const argv[]);
void free_child_result(struct child_result *r);

int exit_code_of(const struct child_result *r);	/* -1 when killed by a signal */
int signal_of(const struct child_result *r);	/* 0 when it exited */

/* Counts lines of @text equal to @line (without its newline). */
int count_lines(const char *text, const char *line);

/*
 * Counts result lines "@result (N.NNNs)" in @text, whatever the time: a
 * loaded machine may take a millisecond over an empty subtest.
 */
int count_results(const char *text, const char *result);

extern int check_failures;

/* A check that fails the unit test (exit 1 at the end) and says where and why. */
#define check(cond, r) \
	do { \
		if (!(cond)) \
			check_failed(__FILE__, __LINE__, #cond, (r)); \
	} while (0)

void check_failed(const char *file, int line, const char *cond,
		  const struct child_result *r);

/* Exit status for main(): 0 when every check passed. */
int checks_done(const char *name);

/* 64-bit byte sizes for expected values (igt_sizes.h's SZ_* are int) */
#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

#define ARGV(...) ((const char *const[]){ "unit-test", __VA_ARGS__, NULL })
#define NO_ARGS ((const char *const[]){ "unit-test", NULL })

#endif /* IGT_TESTS_COMMON_H */
