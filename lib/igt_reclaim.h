/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_RECLAIM_H
#define IGT_RECLAIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int __igt_reclaim_cgroup(const char *cgroup, uint64_t bytes);
int __igt_reclaim_memory(uint64_t bytes);
int igt_reclaim_memory(uint64_t bytes);
bool igt_reclaim_has_memory_reclaim(void);
int __igt_reclaim_drop_caches(int what);
void igt_reclaim_drop_caches(int what);

/**
 * struct igt_pressure:
 * @pid: the child, 0 when none runs
 * @bytes: anonymous memory the child touches
 * @ready_fd: read end of the pipe the child reports readiness on
 * @status: wait status once reaped
 *
 * An anonymous-memory hog started by igt_pressure_start().
 */
struct igt_pressure {
	pid_t pid;
	uint64_t bytes;
	int ready_fd;
	int status;
};

uint64_t igt_pressure_limit(uint64_t avail_bytes, uint64_t swap_free_bytes);
bool igt_pressure_displaces(uint64_t bytes, uint64_t *avail, char *why, size_t len);
int igt_pressure_start(struct igt_pressure *p, uint64_t bytes,
		       unsigned int timeout_s);
bool igt_pressure_wait_ready(struct igt_pressure *p, unsigned int timeout_ms);
bool igt_pressure_stop(struct igt_pressure *p);
void igt_pressure_kill_all(void);

#endif /* IGT_RECLAIM_H */
