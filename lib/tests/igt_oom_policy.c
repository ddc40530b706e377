// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Upstream's OOM policy: a running test, its igt_fork() children and its
 * helpers are the OOM killer's first choice (oom_score_adj 1000); a run
 * that only lists subtests leaves the score alone.
 */

#include <stdio.h>

#include "igt_core.h"
#include "igt_tests_common.h"

static int oom_score_adj(void)
{
	FILE *f = fopen("/proc/self/oom_score_adj", "r");
	int adj = -2000;

	if (f) {
		if (fscanf(f, "%d", &adj) != 1)
			adj = -2000;
		fclose(f);
	}
	return adj;
}

static int scores(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("scores") {
		struct igt_helper_process helper = {};

		printf("test adj=%d\n", oom_score_adj());
		igt_fork(child, 1)
			printf("child adj=%d\n", oom_score_adj());
		igt_waitchildren();
		igt_fork_helper(&helper)
			printf("helper adj=%d\n", oom_score_adj());
		igt_wait_helper(&helper);
	}
	igt_exit();
}

static int listing(int argc, char **argv)
{
	igt_subtest_init(argc, argv);
	igt_subtest("scores")
		;
	/* Only reached when listing: the score as the lister found it. */
	fprintf(stderr, "lister adj=%d\n", oom_score_adj());
	igt_exit();
}

int main(void)
{
	struct child_result r;
	char before[32];

	r = run_child(scores, ARGV("--run-subtest", "scores"));
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "test adj=1000") != NULL, &r);
	check(strstr(r.out, "child adj=1000") != NULL, &r);
	check(strstr(r.out, "helper adj=1000") != NULL, &r);
	free_child_result(&r);

	snprintf(before, sizeof(before), "lister adj=%d", oom_score_adj());
	r = run_child(listing, ARGV("--list-subtests"));
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.err, before) != NULL, &r);
	free_child_result(&r);

	return checks_done("igt_oom_policy");
}
