// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_drm_fdinfo.h"

/*
 * As upstream's parser: one read() of at most FDINFO_MAX - 1 bytes, whose
 * last byte is dropped (normally the final newline). A longer text is cut
 * there. xe's worst case (five regions, six engine classes, every number at
 * its widest) is under 2 KiB, memory keys first.
 */
#define FDINFO_MAX 4096

enum fdinfo_field {
	ENGINE_CAPACITY,
	ENGINE_TIME,
	ENGINE_CYCLES,
	ENGINE_TOTAL_CYCLES,
	MEM_TOTAL,
	MEM_SHARED,
	MEM_RESIDENT,
	MEM_PURGEABLE,
	MEM_ACTIVE,
};

/* Longer prefixes first: "drm-total-cycles-" before "drm-total-" */
static const struct {
	const char *prefix;
	enum fdinfo_field field;
} fdinfo_keys[] = {
	{ "drm-engine-capacity-", ENGINE_CAPACITY },
	{ "drm-engine-", ENGINE_TIME },
	{ "drm-total-cycles-", ENGINE_TOTAL_CYCLES },
	{ "drm-cycles-", ENGINE_CYCLES },
	{ "drm-total-", MEM_TOTAL },
	{ "drm-shared-", MEM_SHARED },
	{ "drm-resident-", MEM_RESIDENT },
	{ "drm-memory-", MEM_RESIDENT },	/* amdgpu's older name */
	{ "drm-purgeable-", MEM_PURGEABLE },
	{ "drm-active-", MEM_ACTIVE },
};

struct fdinfo_parse {
	struct drm_client_fdinfo *info;
	const char **name_map, **region_map;
	unsigned int map_entries, region_entries;
	bool engine_seen[DRM_CLIENT_FDINFO_MAX_ENGINES];
	bool region_seen[DRM_CLIENT_FDINFO_MAX_REGIONS];
	unsigned int engines_named, regions_named;
	unsigned int good, capacities;
};

/* "123", "123 KiB", "4 MiB": bytes for memory keys, the number otherwise */
static uint64_t parse_value(const char *v)
{
	static const struct {
		const char *unit;
		uint64_t scale;
	} units[] = {
		{ "KiB", 1ull << 10 }, { "MiB", 1ull << 20 }, { "GiB", 1ull << 30 },
	};
	char *end;
	uint64_t n = strtoull(v, &end, 10);

	while (isspace((unsigned char)*end))
		end++;
	for (unsigned int i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit))
			return n * units[i].scale;
	return n;
}

/*
 * Index of @name in @map (-1 when not there), or else in @names, appending
 * it. Without a map, @names holds max - 1 names: one more aborts the test,
 * as upstream's assertion does.
 */
static int name_index(const char *name, const char **map, unsigned int entries,
		      char (*names)[256], unsigned int *count, unsigned int max)
{
	unsigned int i;

	if (map) {
		for (i = 0; i < entries; i++)
			if (map[i] && !strcmp(map[i], name)) {
				if (i >= max)
					return -1;
				snprintf(names[i], sizeof(names[i]), "%s", name);
				return i;
			}
		return -1;
	}
	for (i = 0; i < *count; i++)
		if (!strcmp(names[i], name))
			return i;
	/* upstream asserts: at most max - 1 names, each shorter than a slot */
	if (*count + 1 >= max || strlen(name) >= sizeof(names[0])) {
		fprintf(stderr, "fdinfo: no room for \"%s\" after %u names\n",
			name, *count);
		abort();
	}
	snprintf(names[*count], sizeof(names[0]), "%s", name);
	return (*count)++;
}

static void set_engine(struct fdinfo_parse *p, enum fdinfo_field field,
		       const char *name, uint64_t val)
{
	struct drm_client_fdinfo *info = p->info;
	int idx;

	idx = name_index(name, p->name_map, p->map_entries, info->names,
			 &p->engines_named, DRM_CLIENT_FDINFO_MAX_ENGINES);
	if (idx < 0)
		return;

	switch (field) {
	case ENGINE_CAPACITY:
		info->capacity[idx] = val;
		p->capacities++;
		return;
	case ENGINE_TIME:
		info->engine_time[idx] = val;
		info->utilization_mask |= DRM_FDINFO_UTILIZATION_ENGINE_TIME;
		break;
	case ENGINE_CYCLES:
		info->cycles[idx] = val;
		info->utilization_mask |= DRM_FDINFO_UTILIZATION_CYCLES;
		break;
	default:
		info->total_cycles[idx] = val;
		info->utilization_mask |= DRM_FDINFO_UTILIZATION_TOTAL_CYCLES;
		break;
	}
	if (!info->capacity[idx])
		info->capacity[idx] = 1;
	if (!p->engine_seen[idx]) {
		p->engine_seen[idx] = true;
		info->num_engines++;
		if (idx > (int)info->last_engine_index)
			info->last_engine_index = idx;
	}
}

static void set_region(struct fdinfo_parse *p, enum fdinfo_field field,
		       const char *name, uint64_t val)
{
	struct drm_client_fdinfo *info = p->info;
	struct drm_client_meminfo *mem;
	int idx;

	idx = name_index(name, p->region_map, p->region_entries,
			 info->region_names, &p->regions_named,
			 DRM_CLIENT_FDINFO_MAX_REGIONS);
	if (idx < 0)
		return;

	mem = &info->region_mem[idx];
	switch (field) {
	case MEM_TOTAL:
		mem->total = val;
		break;
	case MEM_SHARED:
		mem->shared = val;
		break;
	case MEM_RESIDENT:
		mem->resident = val;
		break;
	case MEM_PURGEABLE:
		mem->purgeable = val;
		break;
	default:
		mem->active = val;
		break;
	}
	if (!p->region_seen[idx]) {
		p->region_seen[idx] = true;
		info->num_regions++;
		if (idx > (int)info->last_region_index)
			info->last_region_index = idx;
	}
}

static void parse_line(struct fdinfo_parse *p, char *line)
{
	struct drm_client_fdinfo *info = p->info;
	char *colon = strchr(line, ':'), *value, *end;

	if (!colon)
		return;
	*colon = 0;
	value = colon + 1;
	while (isspace((unsigned char)*value))
		value++;

	if (!strcmp(line, "drm-driver")) {
		if (*value) {
			snprintf(info->driver, sizeof(info->driver), "%s", value);
			p->good++;
		}
		return;
	}
	if (!strcmp(line, "drm-client-id")) {
		info->id = strtoul(value, &end, 10);
		if (end != value)
			p->good++;
		return;
	}
	if (!strcmp(line, "drm-pdev")) {
		snprintf(info->pdev, sizeof(info->pdev), "%s", value);
		return;
	}

	for (unsigned int i = 0; i < sizeof(fdinfo_keys) / sizeof(fdinfo_keys[0]); i++) {
		size_t len = strlen(fdinfo_keys[i].prefix);
		enum fdinfo_field field = fdinfo_keys[i].field;
		const char *name = line + len;

		if (strncmp(line, fdinfo_keys[i].prefix, len) || !*name)
			continue;
		if (field <= ENGINE_TOTAL_CYCLES)
			set_engine(p, field, name, parse_value(value));
		else
			set_region(p, field, name, parse_value(value));
		return;
	}
}

/**
 * __igt_parse_drm_fdinfo:
 * @dir: directory fd of a /proc/<pid>/fdinfo (or of any directory holding
 *	 such a text)
 * @fd: name of the file in @dir: the file descriptor number as a string
 * @info: filled in; must be zeroed by the caller
 * @name_map: engine names giving the engine indices, or NULL
 * @map_entries: entries of @name_map
 * @region_map: region names giving the region indices, or NULL
 * @region_entries: entries of @region_map
 *
 * Parses one DRM client's usage statistics. As upstream's, it reads at
 * most 4095 bytes in one read() and drops the last byte read (the final
 * newline of a driver's text); keys past that are not seen. Without maps,
 * more than 15 engines or regions abort, as upstream's assertions.
 *
 * Returns: the number of keys understood (driver and client id, engines,
 * engine capacities, regions), or 0 when the file cannot be read, lacks
 * drm-driver or drm-client-id, or names neither an engine nor a region.
 */
unsigned int
__igt_parse_drm_fdinfo(int dir, const char *fd, struct drm_client_fdinfo *info,
		       const char **name_map, unsigned int map_entries,
		       const char **region_map, unsigned int region_entries)
{
	struct fdinfo_parse p = {
		.info = info,
		.name_map = name_map, .map_entries = map_entries,
		.region_map = region_map, .region_entries = region_entries,
	};
	char buf[FDINFO_MAX], *line, *save = NULL;
	ssize_t len;
	int file;

	file = openat(dir, fd, O_RDONLY | O_CLOEXEC);
	if (file < 0)
		return 0;
	len = read(file, buf, sizeof(buf) - 1);
	close(file);
	if (len <= 0)
		return 0;
	buf[len - 1] = 0;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		parse_line(&p, line);

	if (p.good < 2 || (!info->num_engines && !info->num_regions))
		return 0;
	return p.good + info->num_engines + p.capacities + info->num_regions;
}

/**
 * igt_parse_drm_fdinfo:
 * @drm_fd: an open DRM file descriptor of this process
 * @info: filled in; must be zeroed by the caller
 * @name_map: engine names giving the engine indices, or NULL
 * @map_entries: entries of @name_map
 * @region_map: region names giving the region indices, or NULL
 * @region_entries: entries of @region_map
 *
 * __igt_parse_drm_fdinfo() on /proc/self/fdinfo/<drm_fd>.
 *
 * Returns: the number of keys understood, 0 when the format is not the
 * expected one (see __igt_parse_drm_fdinfo()).
 */
unsigned int
igt_parse_drm_fdinfo(int drm_fd, struct drm_client_fdinfo *info,
		     const char **name_map, unsigned int map_entries,
		     const char **region_map, unsigned int region_entries)
{
	char name[16];
	unsigned int ret;
	int dir;

	if (drm_fd < 0)
		return 0;
	snprintf(name, sizeof(name), "%d", drm_fd);
	dir = open("/proc/self/fdinfo", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (dir < 0)
		return 0;
	ret = __igt_parse_drm_fdinfo(dir, name, info, name_map, map_entries,
				     region_map, region_entries);
	close(dir);
	return ret;
}
