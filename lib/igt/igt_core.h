/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The core of the IGT test API: test skeletons, subtests, results, logging,
 * forking and exit handling. Names, signatures and behaviour follow upstream
 * IGT (igt-gpu-tools master, 2026) so that tests written against this header
 * build unchanged inside upstream's tree. The implementation is our own.
 */

#ifndef IGT_CORE_H
#define IGT_CORE_H

#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/*
 * One access the compiler may neither drop, merge nor tear, as upstream's
 * igt_core.h defines them: for data shared with a signal handler or another
 * process.
 */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

#ifndef STATIC_ANALYSIS_BUILD
#define STATIC_ANALYSIS_BUILD 0
#endif

/* Exit codes a test binary uses; igt_runner maps them to results. */
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_SKIP 77
#define IGT_EXIT_TIMEOUT 78
#define IGT_EXIT_ABORT 112

#define igt_tokencat2(x, y) x ## y
#define igt_tokencat(x, y) igt_tokencat2(x, y)
/* A name unique to the source line; a macro may use it several times. */
#define igt_unique(prefix) igt_tokencat(igt_tokencat(__igt_unique_, prefix), __LINE__)

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

extern const char *__igt_test_description __attribute__((weak));
extern bool __igt_plain_output;

/**
 * IGT_TEST_DESCRIPTION:
 * @str: description of the whole test binary
 *
 * Sets the text printed by --help-description and at the top of --describe.
 */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

/* fixtures */
extern sigjmp_buf igt_subtest_jmpbuf;
extern sigjmp_buf igt_dynamic_jmpbuf;

bool __igt_fixture(void);
void __igt_fixture_complete(void);

/**
 * igt_fixture:
 *
 * Marks set-up and tear-down code shared by the subtests that follow. It is
 * skipped while subtests are only listed, and a skip or failure inside it
 * makes every later subtest (of the enclosing group) skip or fail.
 */
#define igt_fixture() \
	for (volatile int igt_unique(__fixture_once) = 0; \
	     igt_unique(__fixture_once) < 1 && \
	     (STATIC_ANALYSIS_BUILD || \
	      (__igt_fixture() && sigsetjmp(igt_subtest_jmpbuf, 1) == 0)); \
	     igt_unique(__fixture_once)++, __igt_fixture_complete())

/* option handling */
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);
void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);

#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)
#define igt_simple_init(argc, argv) \
	igt_simple_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)

/* subtests */
bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name);

/**
 * igt_subtest:
 * @name: name of the subtest
 *
 * Runs the following block as the subtest @name when it is selected, and
 * reports its result. Names use [A-Za-z0-9_-] and are unique in a binary.
 */
#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_subtest_f(tmp, format...) \
	for (char tmp[256]; \
	     snprintf(tmp, sizeof(tmp), format), \
	     __igt_run_subtest(tmp, __FILE__, __LINE__) && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/**
 * igt_subtest_f:
 * @...: printf-style format and arguments giving the subtest name
 *
 * Like igt_subtest(), with the name built from a format string.
 */
#define igt_subtest_f(f...) __igt_subtest_f(igt_unique(__subtest_name), f)

/**
 * igt_subtest_with_dynamic:
 * @name: name of the subtest
 *
 * A subtest whose results come from the igt_dynamic() blocks inside it. It
 * skips when no dynamic subtest ran, and fails when one of them failed.
 */
#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       __igt_enter_dynamic_container() && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_subtest_with_dynamic_f(tmp, format...) \
	for (char tmp[256]; \
	     snprintf(tmp, sizeof(tmp), format), \
	     __igt_run_subtest(tmp, __FILE__, __LINE__) && \
	     __igt_enter_dynamic_container() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_subtest_with_dynamic_f(f...) \
	__igt_subtest_with_dynamic_f(igt_unique(__subtest_name), f)

/**
 * igt_dynamic:
 * @name: name of the dynamic subtest
 *
 * A part of an igt_subtest_with_dynamic() block with its own result,
 * reported as igt@binary@subtest@name.
 */
#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest((name)) && \
	       sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_dynamic_f(tmp, format...) \
	for (char tmp[256]; \
	     snprintf(tmp, sizeof(tmp), format), \
	     __igt_run_dynamic_subtest(tmp) && \
	     sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_dynamic_f(f...) __igt_dynamic_f(igt_unique(__dynamic_name), f)

bool igt_only_list_subtests(void);

void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);

/**
 * igt_subtest_group:
 *
 * Scopes fixtures: a skip or failure in a fixture inside the group affects
 * only the subtests of the group.
 */
#define igt_subtest_group() \
	for (int igt_unique(__save) = 0, igt_unique(__desc) = 0, \
	     igt_unique(__once) = (__igt_subtest_group_save(&igt_unique(__save), \
							&igt_unique(__desc)), 0); \
	     igt_unique(__once) < 1; \
	     igt_unique(__once)++, \
	     __igt_subtest_group_restore(igt_unique(__save), igt_unique(__desc)))

/* test skeletons */
__noreturn void igt_exit(void);

/**
 * igt_main_args:
 * @short_opts: extra getopt short options
 * @long_opts: extra getopt long options
 * @help_str: help text for the extra options, printed by --help
 * @opt_handler: called for each extra option
 * @handler_data: passed to @opt_handler
 *
 * Used as `int igt_main_args(...) { ... }` in place of main() by tests with
 * subtests and options of their own.
 */
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	main(int argc, char **argv); \
	static void igt_tokencat(__igt_real_main, __LINE__)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, short_opts, long_opts, \
					    help_str, opt_handler, handler_data); \
		igt_tokencat(__igt_real_main, __LINE__)(); \
		igt_exit(); \
	} \
	static void igt_tokencat(__igt_real_main, __LINE__)(void)

/**
 * igt_main:
 *
 * Used as `int igt_main() { ... }` in place of main() by tests with subtests.
 */
#define igt_main() igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_simple_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	main(int argc, char **argv); \
	static void igt_tokencat(__igt_real_main, __LINE__)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_simple_init_parse_opts(&argc, argv, short_opts, long_opts, \
					   help_str, opt_handler, handler_data); \
		igt_tokencat(__igt_real_main, __LINE__)(); \
		igt_exit(); \
	} \
	static void igt_tokencat(__igt_real_main, __LINE__)(void)

/**
 * igt_simple_main:
 *
 * Used as `int igt_simple_main() { ... }` by tests without subtests.
 */
#define igt_simple_main() igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

/* descriptions */
void igt_describe_f(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * igt_describe:
 * @dsc: what the next subtest checks
 *
 * Attaches a description to the subtest that follows, shown by --describe.
 */
#define igt_describe(dsc) igt_describe_f("%s", dsc)

/* results */
__noreturn void igt_skip(const char *f, ...) __attribute__((format(printf, 1, 2)));
__noreturn __attribute__((format(printf, 5, 6)))
void __igt_skip_check(const char *file, const int line,
		      const char *func, const char *check,
		      const char *format, ...);
void igt_success(void);
__noreturn void igt_fail(int exitcode);
__noreturn __attribute__((format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file,
		       const int line, const char *func,
		       const char *assertion, const char *format, ...);

/**
 * igt_assert:
 * @expr: condition that must hold
 *
 * Fails the current subtest when @expr is false, printing the expression,
 * the place and errno.
 */
#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, NULL); \
	} while (0)

/**
 * igt_assert_f:
 * @expr: condition that must hold
 * @...: printf-style message printed on failure
 */
#define igt_assert_f(expr, f...) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, f); \
	} while (0)

/**
 * igt_fail_on:
 * @expr: condition that must not hold
 */
#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

#define __igt_assert_cmp(type, fmt, n1, cmp, ncmp, n2) \
	do { \
		type __n1 = (n1), __n2 = (n2); \
		if (!(__n1 cmp __n2)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #n1 " " #cmp " " #n2, \
					  "error: " fmt " " #ncmp " " fmt "\n", \
					  __n1, __n2); \
	} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) __igt_assert_cmp(int, "%d", n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(unsigned int, "%#x", n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(long long, "%lld", n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(unsigned long long, "%#llx", n1, cmp, ncmp, n2)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(double, "%#lf", n1, cmp, ncmp, n2)

/**
 * igt_assert_eq:
 * @n1: first int
 * @n2: second int
 *
 * Fails unless @n1 == @n2, printing both values. The _u32, _u64, _s64 and
 * _double variants compare those types.
 */
#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_eq_double(n1, n2) igt_assert_cmpdouble(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)

/**
 * igt_assert_fd:
 * @fd: file descriptor that must be valid
 */
#define igt_assert_fd(fd) \
	igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")

/**
 * igt_require:
 * @expr: requirement
 *
 * Skips the current subtest (or, in a fixture, the following ones) when
 * @expr is false.
 */
#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
	} while (0)

/**
 * igt_skip_on:
 * @expr: condition under which to skip
 */
#define igt_skip_on(expr) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", NULL); \
	} while (0)

#define igt_require_f(expr, f...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, f); \
	} while (0)

#define igt_skip_on_f(expr, f...) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", f); \
	} while (0)

/* logging */
enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

extern enum igt_log_level igt_log_level;

void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
void igt_vlog(const char *domain, enum igt_log_level level, const char *format,
	      va_list args) __attribute__((format(printf, 3, 0)));

#define igt_debug(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, f)
#define igt_info(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, f)
#define igt_warn(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, f)
#define igt_critical(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, f)

/**
 * igt_warn_on:
 * @condition: condition worth a warning
 *
 * Prints a warning when @condition holds, which igt_runner reports as
 * "warn". Returns @condition.
 */
#define igt_warn_on(condition) ({ \
		bool __cond = (condition); \
		if (__cond) \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
		__cond; \
	})

#define igt_warn_on_f(condition, f...) ({ \
		bool __cond = (condition); \
		if (__cond) { \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
			igt_warn(f); \
		} \
		__cond; \
	})

void igt_kmsg(const char *format, ...) __attribute__((format(printf, 1, 2)));
#define KMSG_EMER	"<0>[IGT] "
#define KMSG_ALERT	"<1>[IGT] "
#define KMSG_CRIT	"<2>[IGT] "
#define KMSG_ERR	"<3>[IGT] "
#define KMSG_WARNING	"<4>[IGT] "
#define KMSG_NOTICE	"<5>[IGT] "
#define KMSG_INFO	"<6>[IGT] "
#define KMSG_DEBUG	"<7>[IGT] "

/* processes */
extern bool __igt_is_child;
bool __igt_fork(void);

/**
 * igt_fork:
 * @child: name of the int variable holding the child's index
 * @num_children: number of children
 *
 * Runs the block in @num_children processes. A failure in a child fails the
 * subtest when igt_waitchildren() collects it, with the child's exit code
 * (128 + the signal that killed it). A child must not skip: igt_skip() and
 * igt_require() there abort the child, as upstream's do.
 */
#define igt_fork(child, num_children) \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(0))

int __igt_waitchildren(void);
void igt_waitchildren(void);
void igt_waitchildren_timeout(int seconds, const char *reason);
void igt_kill_children(int signal);

/**
 * igt_helper_process:
 * @running: whether the helper is alive
 * @use_SIGKILL: stop it with SIGKILL instead of SIGTERM
 * @pid: its pid
 * @id: internal slot
 *
 * A background process that runs beside the test until igt_stop_helper().
 */
struct igt_helper_process {
	bool running;
	bool use_SIGKILL;
	pid_t pid;
	int id;
};

bool __igt_fork_helper(struct igt_helper_process *proc);

/**
 * igt_fork_helper:
 * @proc: struct igt_helper_process to fill in
 *
 * Runs the block in a helper process. Helpers are killed when the test exits.
 */
#define igt_fork_helper(proc) for (; __igt_fork_helper(proc); exit(0))

int igt_wait_helper(struct igt_helper_process *proc);
void igt_stop_helper(struct igt_helper_process *proc);

/* exit handlers */
typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

/* time */
void igt_set_timeout(unsigned int seconds, const char *op);
void igt_reset_timeout(void);
int igt_gettime(struct timespec *ts);
double igt_time_elapsed(struct timespec *then, struct timespec *now);
uint64_t igt_nsec_elapsed(struct timespec *start);

/**
 * igt_seconds_elapsed:
 * @start: time stamp, set on the first call when zero
 *
 * Returns: whole seconds since @start.
 */
static inline uint32_t igt_seconds_elapsed(struct timespec *start)
{
	return igt_nsec_elapsed(start) / 1000000000ull;
}

/**
 * igt_until_timeout:
 * @timeout: seconds
 *
 * Repeats the block until @timeout seconds have passed.
 */
#define igt_until_timeout(timeout) \
	for (struct timespec t__ = {}; igt_seconds_elapsed(&t__) < (timeout); )

/**
 * igt_for_milliseconds:
 * @t: milliseconds
 *
 * Repeats the block until @t milliseconds have passed.
 */
#define igt_for_milliseconds(t) \
	for (struct timespec t__ = {}; igt_nsec_elapsed(&t__) >> 20 < (t); )

/* misc */
void igt_srandom(void);

#define igt_min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define igt_max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })

#endif /* IGT_CORE_H */
