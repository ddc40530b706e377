// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Exit handlers run exactly once on a normal exit, after a failure, on the
 * signals igt_runner and users send (SIGINT, SIGTERM, SIGQUIT, SIGHUP), on
 * abort() and on crashes, and never in forked children. They are how tests
 * restore system settings, so every path is checked. As upstream's, they do
 * not run on a bare SIGALRM, which ends the test; igt_set_timeout()'s
 * SIGALRM fails the subtest and the handlers run at the normal exit.
 */

#include <signal.h>

#include "igt_core.h"
#include "igt_tests_common.h"

static void handler(int sig)
{
	/* write(): this may run in a signal handler. */
	char buf[64];
	int len = snprintf(buf, sizeof(buf), "handler ran sig=%d pid=%d\n", sig, getpid());

	if (write(STDERR_FILENO, buf, len) != len)
		_exit(3);
}

static int with_handler(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_fixture()
		igt_install_exit_handler(handler);
	igt_subtest("pass")
		;
	igt_subtest("fail")
		igt_assert(false);
	igt_subtest("skip")
		igt_skip("skip\n");
	igt_subtest("signal")
		raise(atoi(getenv("SIG")));
	igt_subtest("crash")
		raise(SIGSEGV);
	igt_subtest("abort")
		abort();
	igt_subtest("timeout") {
		igt_set_timeout(1, "the handler test");
		pause();
	}
	igt_subtest("child") {
		igt_fork(child, 1)
			;
		igt_waitchildren();
	}
	igt_exit();
}

static int count_handler_runs(const char *err)
{
	int n = 0;

	for (const char *p = err; (p = strstr(p, "handler ran")); p++)
		n++;
	return n;
}

static void check_one_run(const char *subtest, int sig)
{
	struct child_result r;
	char expected[32];

	r = run_child(with_handler, ARGV("--run-subtest", subtest));
	snprintf(expected, sizeof(expected), "handler ran sig=%d ", sig);
	check(count_handler_runs(r.err) == 1, &r);
	check(strstr(r.err, expected) != NULL, &r);
	free_child_result(&r);
}

int main(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };
	struct child_result r;
	char env[16];

	check_one_run("pass", 0);
	check_one_run("fail", 0);
	check_one_run("skip", 0);
	check_one_run("child", 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(signals); i++) {
		snprintf(env, sizeof(env), "%d", signals[i]);
		setenv("SIG", env, 1);
		check_one_run("signal", signals[i]);
		r = run_child(with_handler, ARGV("--run-subtest", "signal"));
		/* The signal still ends the process, as igt_runner expects. */
		check(signal_of(&r) == signals[i], &r);
		free_child_result(&r);
	}

	r = run_child(with_handler, ARGV("--run-subtest", "crash"));
	check(signal_of(&r) == SIGSEGV, &r);
	check(count_handler_runs(r.err) == 1, &r);
	check(strstr(r.err, "Received signal SIGSEGV.") != NULL, &r);
	check(strstr(r.out, "Subtest crash: CRASH") != NULL, &r);
	free_child_result(&r);

	/* abort(): handlers run, the signal is named, but it is no CRASH */
	r = run_child(with_handler, ARGV("--run-subtest", "abort"));
	check(signal_of(&r) == SIGABRT, &r);
	check(count_handler_runs(r.err) == 1, &r);
	check(strstr(r.err, "Received signal SIGABRT.") != NULL, &r);
	check(strstr(r.out, "Subtest abort:") == NULL, &r);
	free_child_result(&r);

	/* a bare SIGALRM ends the test without running the handlers */
	snprintf(env, sizeof(env), "%d", SIGALRM);
	setenv("SIG", env, 1);
	r = run_child(with_handler, ARGV("--run-subtest", "signal"));
	check(signal_of(&r) == SIGALRM, &r);
	check(count_handler_runs(r.err) == 0, &r);
	free_child_result(&r);

	/* igt_set_timeout(): a failure, then the normal exit runs them */
	r = run_child(with_handler, ARGV("--run-subtest", "timeout"));
	check(exit_code_of(&r) == IGT_EXIT_FAILURE, &r);
	check(strstr(r.out, "Timed out: the handler test") != NULL, &r);
	check(count_results(r.out, "Subtest timeout: FAIL") == 1, &r);
	check(count_handler_runs(r.err) == 1, &r);
	check(strstr(r.err, "handler ran sig=0 ") != NULL, &r);
	free_child_result(&r);

	return checks_done("igt_exit_handler");
}
