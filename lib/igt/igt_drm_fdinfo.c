// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 *
 * STAND-IN, to be dropped at merge (see igt_drm_fdinfo.h). Engines and the
 * name maps are not parsed: region indices follow the order of appearance.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_drm_fdinfo.h"

static const char *const mem_keys[] = {
	"total", "shared", "resident", "purgeable", "active",
};

static uint64_t *mem_field(struct drm_client_meminfo *m, unsigned int key)
{
	uint64_t *fields[] = { &m->total, &m->shared, &m->resident,
			       &m->purgeable, &m->active };

	return fields[key];
}

static int region_index(struct drm_client_fdinfo *info, const char *name, size_t len)
{
	for (unsigned int i = 0; i < info->num_regions; i++)
		if (strlen(info->region_names[i]) == len &&
		    !strncmp(info->region_names[i], name, len))
			return i;
	if (info->num_regions >= DRM_CLIENT_FDINFO_MAX_REGIONS ||
	    len >= sizeof(info->region_names[0]))
		return -1;
	memcpy(info->region_names[info->num_regions], name, len);
	info->region_names[info->num_regions][len] = '\0';
	info->last_region_index = info->num_regions;
	return info->num_regions++;
}

/* "1234", "56 KiB", "7 MiB", "8 GiB" to bytes */
static uint64_t parse_size(const char *value)
{
	char *unit;
	uint64_t v = strtoull(value, &unit, 10);

	while (*unit == ' ' || *unit == '\t')
		unit++;
	if (!strncmp(unit, "KiB", 3))
		v <<= 10;
	else if (!strncmp(unit, "MiB", 3))
		v <<= 20;
	else if (!strncmp(unit, "GiB", 3))
		v <<= 30;
	return v;
}

/* "drm-<key>-<region>": true when it is one of the memory keys */
static bool parse_mem_line(struct drm_client_fdinfo *info, const char *key,
			   const char *value)
{
	/* an engine's key, not a region's */
	if (!strncmp(key, "drm-total-cycles-", 17))
		return false;
	for (unsigned int k = 0; k < sizeof(mem_keys) / sizeof(mem_keys[0]); k++) {
		size_t klen = strlen(mem_keys[k]);
		const char *region = key + 4 + klen + 1;
		int r;

		if (strncmp(key + 4, mem_keys[k], klen) || key[4 + klen] != '-')
			continue;
		r = region_index(info, region, strlen(region));
		if (r < 0)
			return false;
		*mem_field(&info->region_mem[r], k) = parse_size(value);
		return true;
	}
	return false;
}

static unsigned int parse_line(struct drm_client_fdinfo *info, char *line,
			       bool *has_driver)
{
	char *colon = strchr(line, ':'), *value;

	if (!colon || strncmp(line, "drm-", 4))
		return 0;
	*colon = '\0';
	value = colon + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	value[strcspn(value, "\n")] = '\0';

	if (!strcmp(line, "drm-driver")) {
		snprintf(info->driver, sizeof(info->driver), "%s", value);
		*has_driver = true;
		return 1;
	}
	if (!strcmp(line, "drm-pdev")) {
		snprintf(info->pdev, sizeof(info->pdev), "%s", value);
		return 1;
	}
	if (!strcmp(line, "drm-client-id")) {
		info->id = strtoul(value, NULL, 10);
		return 1;
	}
	return parse_mem_line(info, line, value);
}

/**
 * __igt_parse_drm_fdinfo:
 * @dir: directory holding the fdinfo file (e.g. /proc/self/fdinfo)
 * @fd: name of the file in @dir (the fd number as a string)
 * @info: filled in; must be zeroed
 * @name_map: engine names (unused here)
 * @map_entries: entries of @name_map
 * @region_map: region names (unused here)
 * @region_entries: entries of @region_map
 *
 * Returns: the number of drm keys parsed, 0 without drm-driver.
 */
unsigned int __igt_parse_drm_fdinfo(int dir, const char *fd,
				    struct drm_client_fdinfo *info,
				    const char **name_map, unsigned int map_entries,
				    const char **region_map, unsigned int region_entries)
{
	bool has_driver = false;
	unsigned int keys = 0;
	char line[512];
	FILE *f;
	int file;

	file = openat(dir, fd, O_RDONLY | O_CLOEXEC);
	if (file < 0)
		return 0;
	f = fdopen(file, "r");
	if (!f) {
		close(file);
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		keys += parse_line(info, line, &has_driver);
	fclose(f);
	return has_driver ? keys : 0;
}

/**
 * igt_parse_drm_fdinfo:
 * @drm_fd: an open DRM device
 * @info: filled in; must be zeroed
 * @name_map: engine names (unused here)
 * @map_entries: entries of @name_map
 * @region_map: region names (unused here)
 * @region_entries: entries of @region_map
 *
 * Returns: the number of drm keys in /proc/self/fdinfo/@drm_fd, 0 when the
 * driver prints none.
 */
unsigned int igt_parse_drm_fdinfo(int drm_fd, struct drm_client_fdinfo *info,
				  const char **name_map, unsigned int map_entries,
				  const char **region_map, unsigned int region_entries)
{
	unsigned int keys;
	char fd[16];
	int dir;

	dir = open("/proc/self/fdinfo", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (dir < 0)
		return 0;
	snprintf(fd, sizeof(fd), "%d", drm_fd);
	keys = __igt_parse_drm_fdinfo(dir, fd, info, name_map, map_entries,
				      region_map, region_entries);
	close(dir);
	return keys;
}
