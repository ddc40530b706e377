// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Our implementation of IGT's core test API (see igt_core.h). It keeps
 * upstream's observable behaviour: options, exit codes, the lines igt_runner
 * parses on stdout and stderr, and the kmsg markers it splits dmesg with.
 * It does not speak igt_runner's socket protocol: the runner then reads the
 * same events from the test's output, which is what it did before sockets.
 */

#include <ctype.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "config.h"
#include "igt_core.h"
#include "igt_device_scan.h"
#include "uwildmat.h"

sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;
bool __igt_plain_output;
bool __igt_is_child;
enum igt_log_level igt_log_level = IGT_LOG_INFO;

enum skip_mode { SKIP_NONE, SKIP_REST, FAIL_REST };

/* What the command line asked for. */
static const char *command_str;
static bool test_with_subtests;
static bool list_subtests;
static bool show_testlist;
static bool describe_subtests;
static const char *describe_pattern;
static const char *run_subtest_pattern;
static const char *run_dynamic_pattern;
static const char *log_domain_filter;
static bool stderr_sentinel;	/* igt_runner sets IGT_SENTINEL_ON_STDERR */

/* Where the test is now. */
static bool in_fixture;
static const char *in_subtest;
static const char *in_dynamic_subtest;
static char subtest_name_buf[256];
static char dynamic_name_buf[256];
static int dynamic_executed = -1;	/* -1: not in a dynamic container */
static bool dynamic_failed;
static int skip_henceforth = SKIP_NONE;
static struct timespec subtest_start, dynamic_start, test_start;

/* What happened so far. */
static bool run_subtest_found;
static bool succeeded_one, failed_one, skipped_one;
static int igt_exitcode = IGT_EXIT_SUCCESS;

static char current_description[4096];

/* ---- time ---------------------------------------------------------------- */

/* The clock igt_gettime() settled on; -1 until its first successful read. */
static clockid_t igt_clock = (clockid_t)-1;

/**
 * igt_gettime:
 * @ts: filled with the current time, or zeroed on error
 *
 * Reads CLOCK_MONOTONIC_RAW, or where that fails CLOCK_MONOTONIC_COARSE,
 * then CLOCK_MONOTONIC; the first clock that works is used from then on, so
 * that all time stamps of a test compare. Clears errno, as upstream's does.
 * These stamps are for measuring intervals: an absolute CLOCK_MONOTONIC
 * deadline (a syncobj wait) must come from clock_gettime() itself.
 *
 * Returns: 0, or -errno.
 */
int igt_gettime(struct timespec *ts)
{
	static const clockid_t clocks[] = {
		CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC,
	};

	memset(ts, 0, sizeof(*ts));
	errno = 0;

	if (igt_clock != (clockid_t)-1) {
		if (!clock_gettime(igt_clock, ts))
			return 0;
	} else {
		for (unsigned int i = 0; i < ARRAY_SIZE(clocks); i++) {
			if (!clock_gettime(clocks[i], ts)) {
				igt_clock = clocks[i];
				return 0;
			}
		}
	}

	igt_warn("No monotonic clock to read: %s\n", strerror(errno));
	return -errno;
}

static bool time_set(const struct timespec *ts)
{
	return ts->tv_sec || ts->tv_nsec;
}

/**
 * igt_time_elapsed:
 * @then: earlier time stamp
 * @now: later time stamp
 *
 * Returns: seconds between the two, or -1.0 when either is unset.
 */
double igt_time_elapsed(struct timespec *then, struct timespec *now)
{
	if (!time_set(then) || !time_set(now))
		return -1.0;
	return (now->tv_sec - then->tv_sec) + (now->tv_nsec - then->tv_nsec) / 1e9;
}

/**
 * igt_nsec_elapsed:
 * @start: time stamp; when zero it is set to now and 0 is returned
 *
 * Returns: nanoseconds since @start.
 */
uint64_t igt_nsec_elapsed(struct timespec *start)
{
	struct timespec now;

	igt_gettime(&now);
	if (start->tv_sec == 0 && start->tv_nsec == 0) {
		*start = now;
		return 0;
	}
	return (now.tv_sec - start->tv_sec) * 1000000000ull +
		(now.tv_nsec - start->tv_nsec);
}

static double seconds_since(struct timespec *start)
{
	struct timespec now;

	igt_gettime(&now);
	return igt_time_elapsed(start, &now);
}

/* ---- logging --------------------------------------------------------------- */

/*
 * The last lines logged at any level, debug included, are kept in a ring and
 * printed to stderr when a subtest fails: the context of a failure without
 * running again with --debug.
 */
#define LOG_RING_SIZE 256
static char *log_ring[LOG_RING_SIZE];
static unsigned int log_ring_head, log_ring_count;
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;

static void log_ring_add(char *line)
{
	unsigned int slot = (log_ring_head + log_ring_count) % LOG_RING_SIZE;

	if (log_ring_count == LOG_RING_SIZE) {
		free(log_ring[log_ring_head]);
		log_ring_head = (log_ring_head + 1) % LOG_RING_SIZE;
	} else {
		log_ring_count++;
	}
	log_ring[slot] = line;
}

static void log_ring_clear(void)
{
	while (log_ring_count) {
		free(log_ring[log_ring_head]);
		log_ring_head = (log_ring_head + 1) % LOG_RING_SIZE;
		log_ring_count--;
	}
	log_ring_head = 0;
}

static void log_ring_dump(void)
{
	const char *what = in_dynamic_subtest ? "Dynamic subtest" :
			   in_subtest ? "Subtest" : "Test";
	const char *name = in_dynamic_subtest ?: in_subtest ?: command_str;

	/* A failed dynamic subtest already dumped its log; the container's is noise. */
	if (in_subtest && !in_dynamic_subtest && dynamic_executed > 0) {
		log_ring_clear();
		return;
	}

	pthread_mutex_lock(&log_mutex);
	fprintf(stderr, "%s %s failed.\n", what, name);
	if (!log_ring_count) {
		fprintf(stderr, "No log.\n");
	} else {
		fprintf(stderr, "**** DEBUG ****\n");
		for (unsigned int i = 0; i < log_ring_count; i++)
			fputs(log_ring[(log_ring_head + i) % LOG_RING_SIZE], stderr);
		fprintf(stderr, "****  END  ****\n");
	}
	fflush(stderr);
	pthread_mutex_unlock(&log_mutex);
	log_ring_clear();
}

static bool domain_selected(const char *domain)
{
	if (!log_domain_filter)
		return true;
	if (!domain)
		return strcmp(log_domain_filter, "application") == 0;
	return strcmp(log_domain_filter, domain) == 0;
}

/**
 * igt_vlog:
 * @domain: log domain, NULL for the test itself
 * @level: message level
 * @format: printf-style format
 * @args: its arguments
 *
 * Logs a message: info and debug to stdout, warnings and worse to stderr with
 * a "(binary:pid) LEVEL: " prefix. Debug lines print only with --debug.
 */
void igt_vlog(const char *domain, enum igt_log_level level, const char *format,
	      va_list args)
{
	static const char *const level_names[] = {
		"DEBUG", "INFO", "WARNING", "CRITICAL", "NONE"
	};
	char *line, *prefixed;
	FILE *out = level >= IGT_LOG_WARN ? stderr : stdout;

	if (list_subtests && level <= IGT_LOG_WARN)
		return;
	if (vasprintf(&line, format, args) < 0)
		return;
	if (asprintf(&prefixed, "(%s:%d) %s%s%s: %s", command_str ?: "igt",
		     getpid(), domain ?: "", domain ? "-" : "",
		     level_names[level], line) < 0) {
		free(line);
		return;
	}

	pthread_mutex_lock(&log_mutex);
	log_ring_add(prefixed);
	if (level >= igt_log_level && domain_selected(domain)) {
		if (level == IGT_LOG_INFO)
			fputs(line, out);
		else
			fputs(prefixed, out);
		fflush(out);
	}
	pthread_mutex_unlock(&log_mutex);
	free(line);
}

/**
 * igt_log:
 * @domain: log domain, NULL for the test itself
 * @level: message level
 * @format: printf-style format
 * @...: its arguments
 *
 * See igt_vlog(). Tests use igt_debug(), igt_info(), igt_warn() and
 * igt_critical() instead.
 */
void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	igt_vlog(domain, level, format, args);
	va_end(args);
}

/**
 * igt_kmsg:
 * @format: printf-style format, starting with a KMSG_* level prefix
 * @...: its arguments
 *
 * Writes a line to the kernel log when /dev/kmsg is writable, so that
 * igt_runner can split dmesg per subtest.
 */
void igt_kmsg(const char *format, ...)
{
	va_list args;
	int fd;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	va_start(args, format);
	vdprintf(fd, format, args);
	va_end(args);
	close(fd);
}

/* ---- subtest results ------------------------------------------------------- */

/*
 * igt_runner splits stdout and stderr into subtests at these lines, and
 * reports "warn" for anything else on stderr between them; so under the
 * runner they go to both streams.
 */
static void print_result_line(bool dynamic, const char *name, const char *result,
			      double elapsed)
{
	const char *what = dynamic ? "Dynamic subtest" : "Subtest";

	if (elapsed < 0)
		elapsed = 0.0;
	printf("%s%s %s: %s (%.3fs)%s\n", __igt_plain_output ? "" : "\x1b[1m",
	       what, name, result, elapsed, __igt_plain_output ? "" : "\x1b[0m");
	fflush(stdout);
	if (stderr_sentinel) {
		fprintf(stderr, "%s %s: %s (%.3fs)\n", what, name, result, elapsed);
		fflush(stderr);
	}
}

static void print_start_line(bool dynamic, const char *name)
{
	const char *what = dynamic ? "dynamic subtest" : "subtest";

	igt_info("Starting %s: %s\n", what, name);
	if (stderr_sentinel) {
		fprintf(stderr, "Starting %s: %s\n", what, name);
		fflush(stderr);
	}
}

static void reap_test_children(void);

__noreturn static void leave_dynamic_subtest(const char *result)
{
	print_result_line(true, in_dynamic_subtest, result, seconds_since(&dynamic_start));
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", command_str,
		 in_dynamic_subtest, result);
	reap_test_children();
	if (!strcmp(result, "FAIL"))
		dynamic_failed = true;
	in_dynamic_subtest = NULL;
	siglongjmp(igt_dynamic_jmpbuf, 1);
}

__noreturn static void leave_subtest(const char *result)
{
	print_result_line(false, in_subtest, result, seconds_since(&subtest_start));
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", command_str,
		 in_subtest, result);
	reap_test_children();
	if (!strcmp(result, "SUCCESS"))
		succeeded_one = true;
	else if (!strcmp(result, "SKIP"))
		skipped_one = true;
	else
		failed_one = true;
	in_subtest = NULL;
	dynamic_executed = -1;
	dynamic_failed = false;
	current_description[0] = '\0';
	siglongjmp(igt_subtest_jmpbuf, 1);
}

__noreturn static void leave_fixture(enum skip_mode mode)
{
	if (skip_henceforth == SKIP_NONE || mode == FAIL_REST)
		skip_henceforth = mode;
	in_fixture = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

/**
 * igt_success:
 *
 * Ends the current (dynamic) subtest as passed; called at the end of each
 * subtest block. A dynamic container ends as failed when one of its dynamic
 * subtests failed, and as skipped when none ran.
 */
void igt_success(void)
{
	if (in_dynamic_subtest)
		leave_dynamic_subtest("SUCCESS");
	if (in_subtest && dynamic_executed >= 0) {
		if (dynamic_failed)
			igt_fail(IGT_EXIT_FAILURE);
		if (dynamic_executed == 0)
			igt_skip("No dynamic tests executed.\n");
	}
	if (in_subtest)
		leave_subtest("SUCCESS");
	succeeded_one = true;
}

/*
 * A misuse of the API is a bug of the test, not a result: as upstream's
 * internal assertions, it aborts the process (SIGABRT), whatever the
 * subtest was doing.
 */
__noreturn static void internal_error(const char *what)
{
	igt_critical("Internal error: %s\n", what);
	abort();
}

/**
 * igt_skip:
 * @f: printf-style reason
 * @...: its arguments
 *
 * Skips the current subtest, or in a fixture every later subtest of the
 * group, or a simple test as a whole. The reason goes to stdout.
 */
void igt_skip(const char *f, ...)
{
	va_list args;

	if (__igt_is_child)
		internal_error("a skip in a forked child: skips are not allowed in forks");
	if (f && !list_subtests) {
		va_start(args, f);
		igt_vlog(IGT_LOG_DOMAIN, IGT_LOG_INFO, f, args);
		va_end(args);
	}

	if (in_dynamic_subtest)
		leave_dynamic_subtest("SKIP");
	if (in_subtest)
		leave_subtest("SKIP");
	if (in_fixture)
		leave_fixture(SKIP_REST);
	if (test_with_subtests)
		internal_error("igt_skip() outside a fixture or subtest");
	igt_exitcode = IGT_EXIT_SKIP;
	igt_exit();
}

void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *format, ...)
{
	int err = errno;
	char *msg = NULL;
	va_list args;

	if (format) {
		va_start(args, format);
		if (vasprintf(&msg, format, args) < 0)
			msg = NULL;
		va_end(args);
	}
	if (err)
		igt_skip("Test requirement not met in function %s, file %s:%i:\n"
			 "Test requirement: %s\n%sLast errno: %i, %s\n",
			 func, file, line, check, msg ?: "", err, strerror(err));
	igt_skip("Test requirement not met in function %s, file %s:%i:\n"
		 "Test requirement: %s\n%s", func, file, line, check, msg ?: "");
}

static void fail_in_child(int exitcode) __attribute__((noreturn));
static void fail_in_child(int exitcode)
{
	log_ring_dump();
	exit(exitcode);
}

/**
 * igt_fail:
 * @exitcode: exit code for the binary, normally IGT_EXIT_FAILURE; never
 *	      IGT_EXIT_SUCCESS or IGT_EXIT_SKIP (that aborts, as upstream)
 *
 * Fails the current subtest (in a fixture: every later one of the group; in
 * a simple test: the test). In a forked child it exits the child with
 * @exitcode, and the parent's igt_waitchildren() fails the subtest with it.
 * The binary exits with the code of its first failure; a failed dynamic
 * subtest fails its container with IGT_EXIT_FAILURE.
 */
void igt_fail(int exitcode)
{
	if (exitcode == IGT_EXIT_SUCCESS || exitcode == IGT_EXIT_SKIP) {
		char what[64];

		snprintf(what, sizeof(what), "igt_fail() with exit code %d", exitcode);
		internal_error(what);
	}
	if (__igt_is_child)
		fail_in_child(exitcode);
	if (!in_dynamic_subtest) {
		if (!failed_one)
			igt_exitcode = exitcode;
		failed_one = true;
	}
	log_ring_dump();

	if (in_dynamic_subtest)
		leave_dynamic_subtest("FAIL");
	if (in_subtest)
		leave_subtest("FAIL");
	if (in_fixture)
		leave_fixture(FAIL_REST);
	if (test_with_subtests)
		internal_error("igt_fail() outside a fixture or subtest");
	igt_exit();
}

void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *format, ...)
{
	int err = errno;
	va_list args;

	igt_log(domain, IGT_LOG_CRITICAL,
		"Test assertion failure function %s, file %s:%i:\n", func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err,
			strerror(err));
	if (format) {
		va_start(args, format);
		igt_vlog(domain, IGT_LOG_CRITICAL, format, args);
		va_end(args);
	}
	igt_fail(IGT_EXIT_FAILURE);
}

/* ---- fixtures, subtests, groups ------------------------------------------- */

bool __igt_fixture(void)
{
	if (in_fixture || in_subtest)
		internal_error("nested igt_fixture()");
	if (list_subtests || show_testlist || describe_subtests)
		return false;
	if (skip_henceforth != SKIP_NONE)
		return false;
	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	in_fixture = false;
}

void __igt_subtest_group_save(int *save, int *desc)
{
	*save = skip_henceforth;
	*desc = 0;
}

void __igt_subtest_group_restore(int save, int desc)
{
	skip_henceforth = save;
}

static bool valid_subtest_name(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '-' && *name != '_')
			return false;
	return true;
}

static void print_wrapped(const char *indent, const char *text)
{
	const char *p = text;

	printf("%s", indent);
	for (; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			printf("%s", indent);
	}
	if (p > text && p[-1] != '\n')
		putchar('\n');
}

static void print_description(const char *name, const char *file, int line)
{
	printf("SUB %s %s:%d:\n", name, file, line);
	if (current_description[0])
		print_wrapped("  ", current_description);
	else
		printf("  NO DOCUMENTATION!\n");
	printf("\n");
}

/* Handles the listing options; true when the subtest must not run now. */
static bool only_describing(const char *name, const char *file, int line)
{
	if (describe_subtests) {
		if (!describe_pattern || uwildmat(name, describe_pattern))
			print_description(name, file, line);
		current_description[0] = '\0';
		return true;
	}
	if (show_testlist) {
		printf("igt@%s@%s\n", command_str, name);
		return true;
	}
	if (list_subtests) {
		printf("%s\n", name);
		return true;
	}
	return false;
}

bool __igt_run_subtest(const char *subtest_name, const char *file, const int line)
{
	if (in_subtest || in_fixture)
		internal_error("igt_subtest() nested in a subtest or fixture");
	if (!valid_subtest_name(subtest_name)) {
		igt_critical("Invalid subtest name \"%s\".\n", subtest_name);
		igt_exit();
	}
	if (run_subtest_pattern && !uwildmat(subtest_name, run_subtest_pattern)) {
		current_description[0] = '\0';
		return false;
	}
	run_subtest_found = true;
	if (only_describing(subtest_name, file, line))
		return false;
	current_description[0] = '\0';

	if (skip_henceforth != SKIP_NONE) {
		bool fail = skip_henceforth == FAIL_REST;

		print_result_line(false, subtest_name, fail ? "FAIL" : "SKIP", 0.0);
		if (fail)
			failed_one = true;
		else
			skipped_one = true;
		return false;
	}

	snprintf(subtest_name_buf, sizeof(subtest_name_buf), "%s", subtest_name);
	igt_kmsg(KMSG_INFO "%s: starting subtest %s\n", command_str, subtest_name);
	print_start_line(false, subtest_name);
	log_ring_clear();
	igt_gettime(&subtest_start);
	in_subtest = subtest_name_buf;
	errno = 0;	/* "Last errno" must not name an error from before the subtest */
	return true;
}

bool __igt_enter_dynamic_container(void)
{
	dynamic_executed = 0;
	dynamic_failed = false;
	return true;
}

bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name)
{
	if (!in_subtest || dynamic_executed < 0)
		internal_error("igt_dynamic() outside igt_subtest_with_dynamic()");
	if (in_dynamic_subtest)
		internal_error("nested igt_dynamic()");
	if (!valid_subtest_name(dynamic_subtest_name)) {
		igt_critical("Invalid dynamic subtest name \"%s\".\n",
			     dynamic_subtest_name);
		igt_exit();
	}
	if (run_dynamic_pattern && !uwildmat(dynamic_subtest_name, run_dynamic_pattern))
		return false;

	snprintf(dynamic_name_buf, sizeof(dynamic_name_buf), "%s", dynamic_subtest_name);
	igt_kmsg(KMSG_INFO "%s: starting dynamic subtest %s\n", command_str,
		 dynamic_subtest_name);
	print_start_line(true, dynamic_subtest_name);
	log_ring_clear();
	dynamic_executed++;
	igt_gettime(&dynamic_start);
	in_dynamic_subtest = dynamic_name_buf;
	errno = 0;
	return true;
}

/**
 * igt_only_list_subtests:
 *
 * Returns: true when the binary only lists or describes its subtests; code
 * outside fixtures and subtests must then not touch the hardware.
 */
bool igt_only_list_subtests(void)
{
	return list_subtests || show_testlist || describe_subtests;
}

/**
 * igt_describe_f:
 * @fmt: printf-style description of the next subtest
 * @...: its arguments
 */
void igt_describe_f(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(current_description, sizeof(current_description), fmt, args);
	va_end(args);
}

/* ---- children and helpers ------------------------------------------------- */

#define MAX_CHILDREN 512
static pid_t test_children[MAX_CHILDREN];
static int num_test_children;

#define MAX_HELPERS 16
static pid_t helper_pids[MAX_HELPERS];
static int num_helpers;

static void reset_exit_handlers_in_child(void);

/*
 * As upstream: a test and every process it forks are the OOM killer's first
 * choice (oom_score_adj 1000), so that a test that runs the machine out of
 * memory is killed, not the runner or a system service. A test that pushes
 * memory pressure must therefore survive being a candidate itself.
 */
static void oom_adjust_for_doom(void)
{
	static const char always_kill[] = "1000";
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	igt_assert_f(fd >= 0, "cannot open /proc/self/oom_score_adj: %s\n",
		     strerror(errno));
	igt_assert_f(write(fd, always_kill, strlen(always_kill)) ==
		     (ssize_t)strlen(always_kill),
		     "cannot set oom_score_adj to %s: %s\n", always_kill,
		     strerror(errno));
	close(fd);
}

static void become_child(void)
{
	__igt_is_child = true;
	num_test_children = 0;
	num_helpers = 0;
	reset_exit_handlers_in_child();
	oom_adjust_for_doom();
}

bool __igt_fork(void)
{
	pid_t pid;

	if (!in_subtest && !in_fixture && test_with_subtests)
		internal_error("igt_fork() outside a subtest or fixture");
	if (num_test_children >= MAX_CHILDREN)
		internal_error("too many children");

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		igt_assert_f(0, "fork failed: %s\n", strerror(errno));
	if (pid == 0) {
		become_child();
		return true;
	}
	test_children[num_test_children++] = pid;
	return false;
}

/**
 * igt_kill_children:
 * @signal: signal to send
 *
 * Sends @signal to every child started with igt_fork().
 */
void igt_kill_children(int signal)
{
	for (int i = 0; i < num_test_children; i++)
		if (test_children[i] > 0)
			kill(test_children[i], signal);
}

static void reap_test_children(void)
{
	igt_kill_children(SIGKILL);
	for (int i = 0; i < num_test_children; i++)
		if (test_children[i] > 0)
			waitpid(test_children[i], NULL, 0);
	num_test_children = 0;
}

/*
 * What igt_waitchildren() fails with: the child's exit code, 128 + the
 * signal that killed it, as a shell reports it. @idx is the child's index.
 */
static int child_failure(int idx, int status)
{
	if (WIFEXITED(status)) {
		igt_info("child %d failed with exit status %d\n", idx,
			 WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	if (WIFSIGNALED(status)) {
		igt_info("child %d died with signal %d, %s\n", idx,
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	igt_info("child %d ended with unknown status %#x\n", idx, status);
	return 256;
}

/**
 * __igt_waitchildren:
 *
 * Waits for every igt_fork() child. At the first one that fails, the others
 * are killed (SIGKILL) and still waited for.
 *
 * Returns: 0 when all exited with 0, else the first failed child's exit
 * code, or 128 + the signal that killed it; IGT_EXIT_FAILURE when wait()
 * itself failed.
 */
int __igt_waitchildren(void)
{
	int err = 0, left = num_test_children;

	while (left) {
		int status, i;
		pid_t pid = wait(&status);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			igt_info("wait() for %d children failed: %s\n", left,
				 strerror(errno));
			num_test_children = 0;
			return IGT_EXIT_FAILURE;
		}
		for (i = 0; i < num_test_children && test_children[i] != pid; i++)
			;
		if (i == num_test_children)
			continue; /* a helper or someone else's */
		test_children[i] = -1;
		left--;
		if (status && !err) {
			err = child_failure(i, status);
			igt_kill_children(SIGKILL);
		}
	}
	num_test_children = 0;
	return err;
}

/**
 * igt_waitchildren:
 *
 * Waits for every igt_fork() child and, when one failed, fails the subtest
 * with igt_fail() and the code __igt_waitchildren() returned: a child's
 * exit code, or 128 + the signal that killed it. A child that exits with
 * IGT_EXIT_SKIP is a bug of the test (skips belong before igt_fork()):
 * igt_fail() aborts on that code.
 */
void igt_waitchildren(void)
{
	int err = __igt_waitchildren();

	if (err)
		igt_fail(err);
}

static volatile sig_atomic_t children_timed_out;

/* SIGALRM of igt_waitchildren_timeout(): only async-signal-safe calls */
static void kill_children_on_alarm(int sig)
{
	static const char msg[] = "Timed out waiting for children\n";
	ssize_t ret;

	children_timed_out = 1;
	ret = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	(void)ret;
	igt_kill_children(SIGKILL);
}

/**
 * igt_waitchildren_timeout:
 * @seconds: how long the children may run
 * @reason: what they were doing, logged (debug) when they took too long
 *
 * Like igt_waitchildren(), but after @seconds the children are killed
 * (SIGKILL) and the subtest fails with the status that leaves: 128 + 9.
 * Uses SIGALRM and cancels any igt_set_timeout(); as upstream, the alarm
 * handler stays installed afterwards, until the next igt_set_timeout().
 */
void igt_waitchildren_timeout(int seconds, const char *reason)
{
	struct sigaction sa = { .sa_handler = kill_children_on_alarm };
	int err;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	children_timed_out = 0;
	alarm(seconds);
	err = __igt_waitchildren();
	igt_reset_timeout();
	if (children_timed_out)
		igt_debug("children timed out after %d s: %s\n", seconds,
			  reason ?: "");
	if (err)
		igt_fail(err);
}

bool __igt_fork_helper(struct igt_helper_process *proc)
{
	pid_t pid;
	int id;

	if (proc->running)
		internal_error("helper already running");
	for (id = 0; id < num_helpers && helper_pids[id]; id++)
		;
	if (id == MAX_HELPERS)
		internal_error("too many helpers");

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		igt_assert_f(0, "fork failed: %s\n", strerror(errno));
	if (pid == 0) {
		become_child();
		return true;
	}
	proc->running = true;
	proc->pid = pid;
	proc->id = id;
	helper_pids[id] = pid;
	if (id == num_helpers)
		num_helpers++;
	return false;
}

/**
 * igt_wait_helper:
 * @proc: a helper from igt_fork_helper()
 *
 * Waits for the helper to exit by itself.
 *
 * Returns: its wait status.
 */
int igt_wait_helper(struct igt_helper_process *proc)
{
	int status = -1;

	if (!proc->running)
		return status;
	while (waitpid(proc->pid, &status, 0) < 0 && errno == EINTR)
		;
	helper_pids[proc->id] = 0;
	proc->running = false;
	return status;
}

/**
 * igt_stop_helper:
 * @proc: a helper from igt_fork_helper()
 *
 * Stops the helper with SIGTERM (SIGKILL when @proc->use_SIGKILL) and reaps
 * it. A helper that died of anything but that signal fails the test.
 */
void igt_stop_helper(struct igt_helper_process *proc)
{
	int sig = proc->use_SIGKILL ? SIGKILL : SIGTERM;
	int status;

	if (!proc->running)
		return;
	kill(proc->pid, sig);
	status = igt_wait_helper(proc);
	igt_assert_f(WIFSIGNALED(status) && WTERMSIG(status) == sig,
		     "helper %d ended with status %#x, not by signal %d\n",
		     proc->pid, status, sig);
}

static void kill_helpers(void)
{
	for (int i = 0; i < num_helpers; i++) {
		if (!helper_pids[i])
			continue;
		kill(helper_pids[i], SIGKILL);
		waitpid(helper_pids[i], NULL, 0);
		helper_pids[i] = 0;
	}
}

/* ---- exit handlers and signals --------------------------------------------- */

#define MAX_EXIT_HANDLERS 10
static igt_exit_handler_t exit_handlers[MAX_EXIT_HANDLERS];
static int num_exit_handlers;
static volatile sig_atomic_t exit_handlers_running;

/*
 * The signals that run the exit handlers before they end the process, as
 * upstream's: not SIGALRM, which is igt_set_timeout()'s (a failure, not an
 * exit) and otherwise ends the test without handlers. "Received signal" is
 * printed for the @named ones; a @crash also ends the running subtest as
 * CRASH. An abort() is named but no crash: no result line.
 */
static const struct {
	int sig;
	bool named;
	bool crash;
} handled_signals[] = {
	{ SIGINT }, { SIGHUP }, { SIGPIPE }, { SIGTERM },
	{ SIGQUIT, true }, { SIGABRT, true },
	{ SIGSEGV, true, true }, { SIGBUS, true, true }, { SIGFPE, true, true },
};

static void reset_exit_handlers_in_child(void)
{
	num_exit_handlers = 0;
}

static void run_exit_handlers(int sig)
{
	if (exit_handlers_running)
		return;
	exit_handlers_running = 1;
	while (num_exit_handlers > 0)
		exit_handlers[--num_exit_handlers](sig);
	exit_handlers_running = 0;
}

static void write_stderr(const char *s)
{
	ssize_t ret = write(STDERR_FILENO, s, strlen(s));

	(void)ret;
}

static int handled_signal_index(int sig)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(handled_signals); i++)
		if (handled_signals[i].sig == sig)
			return i;
	return -1;
}

static const char *timeout_op;

/* For signal handlers: stdio is not safe there. */
static void write_result_line(const char *line)
{
	ssize_t ret = write(STDOUT_FILENO, line, strlen(line));

	if (stderr_sentinel)
		ret = write(STDERR_FILENO, line, strlen(line));
	(void)ret;
}

static void report_signal(int sig)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "Received signal SIG%s.\n", sigabbrev_np(sig) ?: "?");
	write_stderr(buf);
}

static void report_crash(void)
{
	char buf[512];

	/* igt_runner reads the result of the running subtest from this line. */
	if (in_dynamic_subtest) {
		snprintf(buf, sizeof(buf), "Dynamic subtest %s: CRASH (%.3fs)\n",
			 in_dynamic_subtest, seconds_since(&dynamic_start));
		write_result_line(buf);
	}
	if (in_subtest) {
		snprintf(buf, sizeof(buf), "Subtest %s: CRASH (%.3fs)\n",
			 in_subtest, seconds_since(&subtest_start));
		write_result_line(buf);
	}
}

static void fatal_signal_handler(int sig)
{
	int i = handled_signal_index(sig);

	if (i >= 0 && handled_signals[i].named)
		report_signal(sig);
	if (i >= 0 && handled_signals[i].crash && !__igt_is_child)
		report_crash();
	run_exit_handlers(sig);
	if (!__igt_is_child)
		kill_helpers();
	igt_kill_children(SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signal_handlers(void)
{
	static bool installed;
	struct sigaction sa = { .sa_handler = fatal_signal_handler };

	if (installed)
		return;
	installed = true;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	for (unsigned int i = 0; i < ARRAY_SIZE(handled_signals); i++)
		sigaction(handled_signals[i].sig, &sa, NULL);
}

static void exit_handlers_at_exit(void)
{
	if (__igt_is_child)
		return;
	run_exit_handlers(0);
}

/**
 * igt_install_exit_handler:
 * @fn: called with the signal number, or 0 on a normal exit
 *
 * Registers @fn to run once when the test exits: normally, after a failure,
 * or on SIGINT, SIGHUP, SIGPIPE, SIGTERM, SIGQUIT, SIGABRT and crash
 * signals (SIGSEGV, SIGBUS, SIGFPE); not on SIGALRM, as upstream. Handlers
 * run last-installed first, only in the installing process (not in forked
 * children). Use it to restore system state.
 */
void igt_install_exit_handler(igt_exit_handler_t fn)
{
	static bool registered;

	for (int i = 0; i < num_exit_handlers; i++)
		if (exit_handlers[i] == fn)
			return;
	if (num_exit_handlers == MAX_EXIT_HANDLERS)
		internal_error("too many exit handlers");
	exit_handlers[num_exit_handlers++] = fn;
	install_signal_handlers();
	if (!registered) {
		registered = true;
		atexit(exit_handlers_at_exit);
	}
}

/* SIGALRM of igt_set_timeout(): fails the subtest, as upstream's */
__noreturn static void timeout_handler(int sig)
{
	if (timeout_op)
		igt_info("Timed out: %s\n", timeout_op);
	else
		igt_info("Timed out\n");
	igt_fail(IGT_EXIT_FAILURE);
}

/**
 * igt_set_timeout:
 * @seconds: time allowed; 0 cancels the alarm
 * @op: what is being waited for, printed on timeout ("Timed out: @op")
 *
 * Fails the running subtest (in a forked child: the child) when it has not
 * cancelled the timeout within @seconds. Uses alarm(): replaces any alarm
 * set before. As upstream, cancelling leaves the handler installed, so a
 * SIGALRM from elsewhere later fails the subtest too.
 */
void igt_set_timeout(unsigned int seconds, const char *op)
{
	struct sigaction sa = { .sa_handler = timeout_handler };

	timeout_op = op;
	if (seconds) {
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
	}
	alarm(seconds);
}

/**
 * igt_reset_timeout:
 *
 * Disarms igt_set_timeout().
 */
void igt_reset_timeout(void)
{
	igt_set_timeout(0, NULL);
}

/* ---- options ----------------------------------------------------------------- */

enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_DESCRIBE,
	OPT_RUN_SUBTEST,
	OPT_RUN_DYNAMIC,
	OPT_HELP_DESCRIPTION,
	OPT_DEBUG,
	OPT_DEVICE,
	OPT_VERSION,
	OPT_HELP = 'h',
};

static const struct option std_long_opts[] = {
	{ "list-subtests", no_argument, NULL, OPT_LIST_SUBTESTS },
	{ "show-testlist", no_argument, NULL, OPT_SHOW_TESTLIST },
	{ "describe", optional_argument, NULL, OPT_DESCRIBE },
	{ "run-subtest", required_argument, NULL, OPT_RUN_SUBTEST },
	{ "dynamic-subtest", required_argument, NULL, OPT_RUN_DYNAMIC },
	{ "help-description", no_argument, NULL, OPT_HELP_DESCRIPTION },
	{ "debug", optional_argument, NULL, OPT_DEBUG },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
};
static const char std_short_opts[] = "h";

static void print_usage(FILE *f, const char *help_str)
{
	fprintf(f, "Usage: %s [OPTIONS]\n", command_str);
	fprintf(f, "  --list-subtests\n"
		   "  --show-testlist\n"
		   "  --run-subtest <pattern>\n"
		   "  --dynamic-subtest <pattern>\n"
		   "  --debug[=log-domain]\n"
		   "  --help-description\n"
		   "  --describe[=pattern]\n"
		   "  --device filters\n"
		   "  --version\n"
		   "  --help|-h\n");
	if (help_str)
		fprintf(f, "%s\n", help_str);
}

static void print_version(void)
{
	struct utsname uts;

	uname(&uts);
	igt_info("IGT-Version: %s-%s (%s) (%s: %s %s)\n", PACKAGE_VERSION, IGT_GIT_SHA1,
		 TARGET_CPU_PLATFORM, uts.sysname, uts.release, uts.machine);
}

/* Rejects extra options that would shadow a standard one. */
static void check_extra_opts(const char *extra_short, const struct option *extra_long)
{
	for (const char *c = extra_short; c && *c; c++) {
		if (*c != ':' && strchr(std_short_opts, *c)) {
			igt_critical("Conflicting short option: -%c\n", *c);
			exit(IGT_EXIT_INVALID);
		}
	}
	for (; extra_long && extra_long->name; extra_long++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(std_long_opts); i++) {
			if (strcmp(extra_long->name, std_long_opts[i].name) &&
			    extra_long->val != std_long_opts[i].val)
				continue;
			igt_critical("Conflicting long option: --%s\n", extra_long->name);
			exit(IGT_EXIT_INVALID);
		}
	}
}

static struct option *merge_long_opts(const struct option *extra)
{
	size_t n_extra = 0, n_std = ARRAY_SIZE(std_long_opts);
	struct option *all;

	while (extra && extra[n_extra].name)
		n_extra++;
	all = calloc(n_std + n_extra + 1, sizeof(*all));
	if (!all)
		internal_error("out of memory");
	memcpy(all, std_long_opts, sizeof(std_long_opts));
	if (n_extra)
		memcpy(all + n_std, extra, n_extra * sizeof(*all));
	return all;
}

static char *merge_short_opts(const char *extra)
{
	char *all;

	if (asprintf(&all, "%s%s", std_short_opts, extra ?: "") < 0)
		internal_error("out of memory");
	return all;
}

/* Returns 0 to go on, -1 to exit successfully (help), -2 on bad use. */
static int handle_std_opt(int c, const char *help_str)
{
	switch (c) {
	case OPT_LIST_SUBTESTS:
		list_subtests = true;
		break;
	case OPT_SHOW_TESTLIST:
		show_testlist = true;
		break;
	case OPT_DESCRIBE:
		describe_subtests = true;
		describe_pattern = optarg;
		break;
	case OPT_RUN_SUBTEST:
		run_subtest_pattern = optarg;
		break;
	case OPT_RUN_DYNAMIC:
		run_dynamic_pattern = optarg;
		break;
	case OPT_HELP_DESCRIPTION:
		printf("%s\n", __igt_test_description ?: "");
		return -1;
	case OPT_DEBUG:
		igt_log_level = IGT_LOG_DEBUG;
		if (optarg && *optarg && strcmp(optarg, "all"))
			log_domain_filter = optarg;
		break;
	case OPT_DEVICE:
		if (igt_device_filter_add(optarg) < 1) {
			fprintf(stderr, "%s: invalid device filter '%s'\n",
				command_str, optarg);
			return -2;
		}
		break;
	case OPT_VERSION:
		print_version();
		return -1;
	case OPT_HELP:
		print_usage(stdout, help_str);
		return -1;
	default:
		print_usage(stderr, help_str);
		return -2;
	}
	return 0;
}

static int is_std_opt(int c)
{
	if (c == OPT_HELP || c == '?' || c == ':')
		return true;
	return c >= OPT_LIST_SUBTESTS && c <= OPT_VERSION;
}

static int parse_opts(int *argc, char **argv, const char *extra_short,
		      const struct option *extra_long, const char *help_str,
		      igt_opt_handler_t handler, void *data)
{
	struct option *long_opts;
	char *short_opts;
	int c, idx = 0, ret = 0;

	check_extra_opts(extra_short, extra_long);
	long_opts = merge_long_opts(extra_long);
	short_opts = merge_short_opts(extra_short);

	while (!ret && (c = getopt_long(*argc, argv, short_opts, long_opts, &idx)) != -1) {
		if (is_std_opt(c)) {
			ret = handle_std_opt(c, help_str);
		} else if (!handler || handler(c, idx, data) == IGT_OPT_HANDLER_ERROR) {
			print_usage(stderr, help_str);
			ret = -2;
		}
	}
	if (!ret && optind < *argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", command_str, argv[optind]);
		print_usage(stderr, help_str);
		ret = -2;
	}
	free(long_opts);
	free(short_opts);
	return ret;
}

static void common_init(int *argc, char **argv, const char *extra_short,
			const struct option *extra_long, const char *help_str,
			igt_opt_handler_t handler, void *data)
{
	int ret;

	command_str = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	__igt_plain_output = !isatty(STDOUT_FILENO);
	stderr_sentinel = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	if (getenv("IGT_LOG_LEVEL") && !strcmp(getenv("IGT_LOG_LEVEL"), "debug"))
		igt_log_level = IGT_LOG_DEBUG;
	igt_gettime(&test_start);

	ret = parse_opts(argc, argv, extra_short, extra_long, help_str, handler, data);

	if (!test_with_subtests) {
		if (run_subtest_pattern) {
			igt_warn("Unknown subtest: %s\n", run_subtest_pattern);
			exit(IGT_EXIT_INVALID);
		}
		if (show_testlist) {
			printf("igt@%s\n", command_str);
			exit(IGT_EXIT_SUCCESS);
		}
		if (list_subtests)
			exit(IGT_EXIT_INVALID);
	}
	if (ret < 0)
		exit(ret == -1 ? IGT_EXIT_SUCCESS : IGT_EXIT_INVALID);
	if (describe_subtests && __igt_test_description)
		printf("%s\n\n", __igt_test_description);

	if (!igt_only_list_subtests()) {
		igt_kmsg(KMSG_INFO "%s: executing\n", command_str);
		print_version();
		igt_srandom();
		install_signal_handlers();
		oom_adjust_for_doom();
	}
}

/**
 * igt_subtest_init_parse_opts:
 * @argc: argc of main()
 * @argv: argv of main()
 * @extra_short_opts: getopt short options of the test, or NULL
 * @extra_long_opts: getopt long options of the test, or NULL
 * @help_str: help for them, printed by --help after the standard options
 * @extra_opt_handler: called for each of the test's options
 * @handler_data: passed to @extra_opt_handler
 *
 * Parses the standard and the test's options for a test with subtests.
 * Bad use exits with IGT_EXIT_INVALID (79); --help exits 0.
 *
 * Returns: 0
 */
int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	test_with_subtests = true;
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
		    extra_opt_handler, handler_data);
	return 0;
}

/**
 * igt_simple_init_parse_opts:
 * @argc: argc of main()
 * @argv: argv of main()
 * @extra_short_opts: getopt short options of the test, or NULL
 * @extra_long_opts: getopt long options of the test, or NULL
 * @help_str: help for them
 * @extra_opt_handler: called for each of the test's options
 * @handler_data: passed to @extra_opt_handler
 *
 * Like igt_subtest_init_parse_opts() for a test without subtests:
 * --list-subtests exits 79 and --run-subtest is an error.
 */
void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	test_with_subtests = false;
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
		    extra_opt_handler, handler_data);
}

/* ---- exit -------------------------------------------------------------------- */

/**
 * igt_exit:
 *
 * Ends the test: exit code 0 when a subtest passed and none failed, 77 when
 * all selected subtests skipped, the failure's code when one failed, 79 when
 * --run-subtest matched nothing.
 */
void igt_exit(void)
{
	if (run_subtest_pattern && !run_subtest_found && test_with_subtests) {
		igt_critical("Unknown subtest: %s\n", run_subtest_pattern);
		exit(IGT_EXIT_INVALID);
	}
	if (igt_only_list_subtests())
		exit(IGT_EXIT_SUCCESS);

	if (test_with_subtests && !failed_one)
		igt_exitcode = succeeded_one ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;
	if (test_with_subtests && !succeeded_one && !failed_one && !skipped_one)
		igt_exitcode = IGT_EXIT_SKIP;

	igt_kmsg(KMSG_INFO "%s: exiting, ret=%d\n", command_str, igt_exitcode);
	igt_debug("Exiting with status code %d\n", igt_exitcode);
	reap_test_children();
	kill_helpers();

	if (!test_with_subtests) {
		const char *result = igt_exitcode == IGT_EXIT_SUCCESS ? "SUCCESS" :
				     igt_exitcode == IGT_EXIT_SKIP ? "SKIP" : "FAIL";

		printf("%s (%.3fs)\n", result, seconds_since(&test_start));
	}
	fflush(NULL);
	exit(igt_exitcode);
}

/* ---- misc -------------------------------------------------------------------- */

/**
 * igt_srandom:
 *
 * Seeds random() from $IGT_SRANDOM, or from the time, and prints the seed so
 * that a run can be repeated.
 */
void igt_srandom(void)
{
	const char *env = getenv("IGT_SRANDOM");
	unsigned int seed = env ? strtoul(env, NULL, 0) : (unsigned int)time(NULL);

	srandom(seed);
	igt_info("Using IGT_SRANDOM=%u for randomisation\n", seed);
}
