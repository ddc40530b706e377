// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_vmstat
 * @short_description: Snapshots and deltas of the kernel's memory counters
 * @title: vmstat
 * @include: igt_vmstat.h
 *
 * Reads /proc/vmstat, /proc/meminfo, /proc/buddyinfo and the per-size THP
 * statistics under /sys/kernel/mm/transparent_hugepage/hugepages-*kB/stats
 * into one table of named counters, so a test can take a snapshot before and
 * after an operation and look at what moved (pswpout, thp_swpout, Shmem, ...).
 * Paths are resolved through igt_sysroot.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt_core.h"
#include "igt_sysroot.h"
#include "igt_vmstat.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"
#define PAGES_PER_2M_ORDER 9

static struct igt_vmstat *vmstat_alloc(unsigned int capacity)
{
	struct igt_vmstat *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = calloc(capacity, sizeof(*s->name));
	s->value = calloc(capacity, sizeof(*s->value));
	if (!s->name || !s->value) {
		igt_vmstat_free(s);
		return NULL;
	}
	s->capacity = capacity;
	return s;
}

static int vmstat_find(const struct igt_vmstat *s, const char *name)
{
	for (unsigned int i = 0; i < s->count; i++)
		if (!strcmp(s->name[i], name))
			return i;
	return -1;
}

static int vmstat_append(struct igt_vmstat *s, const char *name, int64_t value)
{
	if (s->count == s->capacity) {
		unsigned int cap = 2 * s->capacity;
		void *n, *v;

		n = realloc(s->name, cap * sizeof(*s->name));
		if (!n)
			return -ENOMEM;
		s->name = n;
		v = realloc(s->value, cap * sizeof(*s->value));
		if (!v)
			return -ENOMEM;
		s->value = v;
		s->capacity = cap;
	}
	snprintf(s->name[s->count], sizeof(s->name[0]), "%s", name);
	s->value[s->count++] = value;
	return 0;
}

/**
 * igt_vmstat_set:
 * @s: snapshot
 * @name: counter name
 * @value: value to store
 *
 * Adds or replaces a counter. Useful to build recorded deltas for unit tests
 * of code that judges counter deltas.
 *
 * Returns: 0 or -ENOMEM.
 */
int igt_vmstat_set(struct igt_vmstat *s, const char *name, int64_t value)
{
	int i = vmstat_find(s, name);

	if (i >= 0) {
		s->value[i] = value;
		return 0;
	}
	return vmstat_append(s, name, value);
}

/* "name value" lines (vmstat) or "Name:   value kB" lines (meminfo) */
static void vmstat_parse_file(struct igt_vmstat *s, const char *path,
			      const char *prefix)
{
	char line[256], key[64], full[64];
	long long value;
	FILE *f;

	f = igt_sysroot_fopen(path, "r");
	if (!f) {
		igt_debug("vmstat: cannot open %s: %m\n", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^: ]%*[: ]%lld", key, &value) != 2)
			continue;
		snprintf(full, sizeof(full), "%s%s", prefix, key);
		igt_vmstat_set(s, full, value);
	}
	fclose(f);
}

/*
 * buddyinfo: "Node 0, zone   Normal   a0 a1 ... a10": free blocks per order.
 * Count free memory in blocks of order >= 9 as 2 MiB units.
 */
static void vmstat_parse_buddyinfo(struct igt_vmstat *s)
{
	char line[512], *p, *end;
	int64_t blocks = 0;
	FILE *f;

	f = igt_sysroot_fopen("/proc/buddyinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int order = 0;

		p = strstr(line, "zone");
		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		p += strcspn(p, " ");	/* zone name */
		for (;; order++) {
			long long n = strtoll(p, &end, 10);

			if (end == p)
				break;
			if (order >= PAGES_PER_2M_ORDER)
				blocks += n << (order - PAGES_PER_2M_ORDER);
			p = end;
		}
	}
	fclose(f);
	igt_vmstat_set(s, "buddyinfo.free_2M", blocks);
}

static void vmstat_parse_thp_sizes(struct igt_vmstat *s)
{
	char dirpath[512], path[512], name[64];
	struct dirent *size, *stat;
	DIR *top, *stats;

	if (!igt_sysroot_path(THP_DIR, dirpath, sizeof(dirpath)))
		return;
	top = opendir(dirpath);
	if (!top)
		return;
	while ((size = readdir(top))) {
		if (strncmp(size->d_name, "hugepages-", 10))
			continue;
		snprintf(path, sizeof(path), "%.400s/%.64s/stats", dirpath, size->d_name);
		stats = opendir(path);
		if (!stats)
			continue;
		while ((stat = readdir(stats))) {
			char file[512];
			unsigned long long v;

			if (stat->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), THP_DIR "/%.64s/stats/%.64s",
				 size->d_name, stat->d_name);
			if (igt_sysroot_read_u64(file, &v))
				continue;
			snprintf(name, sizeof(name), "%.20s.%.40s",
				 size->d_name, stat->d_name);
			igt_vmstat_set(s, name, v);
		}
		closedir(stats);
	}
	closedir(top);
}

/**
 * igt_vmstat_new:
 *
 * Returns: a new empty table, to be filled with igt_vmstat_set() (e.g. with
 * counter deltas recorded on another machine), or NULL without memory.
 */
struct igt_vmstat *igt_vmstat_new(void)
{
	return vmstat_alloc(256);
}

/**
 * __igt_vmstat_snapshot:
 *
 * Reads every counter source at once. Sources that do not exist on this kernel
 * are simply absent from the snapshot: check with igt_vmstat_has().
 *
 * Returns: a new snapshot (free with igt_vmstat_free()), or NULL without memory.
 */
struct igt_vmstat *__igt_vmstat_snapshot(void)
{
	struct igt_vmstat *s = vmstat_alloc(256);

	if (!s)
		return NULL;
	vmstat_parse_file(s, "/proc/vmstat", "");
	vmstat_parse_file(s, "/proc/meminfo", "meminfo.");
	vmstat_parse_buddyinfo(s);
	vmstat_parse_thp_sizes(s);
	return s;
}

/**
 * igt_vmstat_snapshot:
 *
 * __igt_vmstat_snapshot() that fails the test when it cannot take one.
 *
 * Returns: a new snapshot (free with igt_vmstat_free()).
 */
struct igt_vmstat *igt_vmstat_snapshot(void)
{
	struct igt_vmstat *s = __igt_vmstat_snapshot();

	igt_assert_f(s, "no memory for a vmstat snapshot\n");
	return s;
}

/**
 * igt_vmstat_delta_since:
 * @before: earlier snapshot, freed here
 *
 * The usual pair in one call: a snapshot now, its delta from @before, both
 * snapshots freed. Fails the test without memory.
 *
 * Returns: a new table holding now - @before (free with igt_vmstat_free()).
 */
struct igt_vmstat *igt_vmstat_delta_since(struct igt_vmstat *before)
{
	struct igt_vmstat *now = igt_vmstat_snapshot();
	struct igt_vmstat *d = igt_vmstat_delta(before, now);

	igt_assert_f(d, "no memory for a vmstat delta\n");
	igt_vmstat_free(before);
	igt_vmstat_free(now);
	return d;
}

/**
 * igt_vmstat_delta:
 * @before: earlier snapshot
 * @after: later snapshot
 *
 * Counters present in only one snapshot are left out.
 *
 * Returns: a new table holding @after - @before for every counter.
 */
struct igt_vmstat *igt_vmstat_delta(const struct igt_vmstat *before,
				    const struct igt_vmstat *after)
{
	struct igt_vmstat *d = vmstat_alloc(256);

	if (!d)
		return NULL;
	for (unsigned int i = 0; i < after->count; i++) {
		int j = vmstat_find(before, after->name[i]);

		if (j >= 0)
			igt_vmstat_set(d, after->name[i],
				       after->value[i] - before->value[j]);
	}
	return d;
}

/**
 * igt_vmstat_has:
 * @s: snapshot or delta
 * @name: counter name
 *
 * Returns: whether the kernel provided @name.
 */
bool igt_vmstat_has(const struct igt_vmstat *s, const char *name)
{
	return vmstat_find(s, name) >= 0;
}

/**
 * igt_vmstat_get:
 * @s: snapshot or delta
 * @name: counter name
 *
 * Returns: the counter's value, 0 when absent.
 */
int64_t igt_vmstat_get(const struct igt_vmstat *s, const char *name)
{
	int i = vmstat_find(s, name);

	return i >= 0 ? s->value[i] : 0;
}

/**
 * igt_vmstat_page_allocs:
 * @delta: vmstat delta
 *
 * Returns: pages the page allocator handed out over the delta, all zones
 * (pgalloc_*).
 */
int64_t igt_vmstat_page_allocs(const struct igt_vmstat *delta)
{
	int64_t n = 0;

	for (unsigned int i = 0; i < delta->count; i++)
		if (!strncmp(delta->name[i], "pgalloc_", 8))
			n += delta->value[i];
	return n;
}

/**
 * igt_vmstat_print:
 * @s: snapshot or delta
 * @title: printed first
 * @names: NULL-terminated list of counters to print, or NULL for every
 *	   non-zero counter
 *
 * Prints with igt_info(), one "name: value" per line; absent counters in
 * @names print as "n/a".
 */
void igt_vmstat_print(const struct igt_vmstat *s, const char *title,
		      const char *const *names)
{
	igt_info("%s\n", title);
	if (!names) {
		for (unsigned int i = 0; i < s->count; i++)
			if (s->value[i])
				igt_info("  %-36s %" PRId64 "\n",
					 s->name[i], s->value[i]);
		return;
	}
	for (; *names; names++) {
		if (igt_vmstat_has(s, *names))
			igt_info("  %-36s %" PRId64 "\n", *names,
				 igt_vmstat_get(s, *names));
		else
			igt_info("  %-36s n/a\n", *names);
	}
}

/**
 * igt_vmstat_free:
 * @s: snapshot or delta, may be NULL
 */
void igt_vmstat_free(struct igt_vmstat *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->value);
	free(s);
}

/**
 * igt_meminfo_kb:
 * @field: a /proc/meminfo field without the colon, e.g. "MemAvailable"
 *
 * One field, without a whole snapshot: the reader of MemAvailable and
 * SwapFree for sizing decisions.
 *
 * Returns: the field's value in KiB, 0 when it is missing or unreadable.
 */
uint64_t igt_meminfo_kb(const char *field)
{
	char line[128];
	unsigned long long v = 0;
	size_t len = strlen(field);
	FILE *f = igt_sysroot_fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			if (sscanf(line + len + 1, "%llu", &v) != 1)
				v = 0;
			break;
		}
	fclose(f);
	return v;
}
