// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Device filters and a sysfs-based list of DRM cards. Upstream builds its
 * list with udev; this subset reads /sys/class/drm directly, which is all
 * the filters below need.
 */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_device_scan.h"

#define MAX_FILTERS 64
#define MAX_CARDS 64

struct scanned_card {
	char syspath[PATH_MAX];		/* e.g. /sys/devices/.../drm/card0 */
	char parent[PATH_MAX];		/* e.g. /sys/devices/.../0000:03:00.0 */
	struct igt_device_card card;
};

static char *filters[MAX_FILTERS];
static int num_filters;

static struct scanned_card cards[MAX_CARDS];
static int num_cards = -1;

/* Reads a short sysfs file into @buf without the trailing newline. */
static bool read_attr(const char *dir, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return true;
}

static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Copies the last component of the symlink @dir/@link into @buf. */
static void link_basename(const char *dir, const char *link, char *buf, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	if (snprintf(buf, len, "%s", last_component(target)) >= len)
		buf[0] = '\0';	/* a cut name would be wrong */
}

/* Finds the render node that lives next to the card in its drm/ folder. */
static void find_render_node(const char *syspath, char *buf, size_t len)
{
	char drmdir[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	buf[0] = '\0';
	snprintf(drmdir, sizeof(drmdir), "%s/..", syspath);
	dir = opendir(drmdir);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "renderD", 7)) {
			if (snprintf(buf, len, "/dev/dri/%s", de->d_name) >= len)
				buf[0] = '\0';
			break;
		}
	}
	closedir(dir);
}

static void fill_pci_ids(struct scanned_card *sc)
{
	char subsystem[NAME_MAX], value[32];

	link_basename(sc->parent, "subsystem", subsystem, sizeof(subsystem));
	if (strcmp(subsystem, "pci"))
		return;

	snprintf(sc->card.pci_slot_name, sizeof(sc->card.pci_slot_name),
		 "%s", last_component(sc->parent));
	if (read_attr(sc->parent, "vendor", value, sizeof(value)))
		sc->card.pci_vendor = strtoul(value, NULL, 16);
	if (read_attr(sc->parent, "device", value, sizeof(value)))
		sc->card.pci_device = strtoul(value, NULL, 16);
}

static bool is_card_name(const char *name)
{
	unsigned int minor;
	int end = 0;

	return sscanf(name, "card%u%n", &minor, &end) == 1 && name[end] == '\0';
}

static int compare_cards(const void *a, const void *b)
{
	const struct scanned_card *ca = a, *cb = b;
	unsigned int na = 0, nb = 0;

	sscanf(ca->card.card, "/dev/dri/card%u", &na);
	sscanf(cb->card.card, "/dev/dri/card%u", &nb);
	return (na > nb) - (na < nb);
}

static void scan_one(const char *name)
{
	struct scanned_card *sc = &cards[num_cards];
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/drm/%s", name);
	if (!realpath(path, sc->syspath))
		return;
	snprintf(path, sizeof(path), "%s/device", sc->syspath);
	if (!realpath(path, sc->parent))
		sc->parent[0] = '\0';

	memset(&sc->card, 0, sizeof(sc->card));
	strcpy(sc->card.subsystem, "drm");
	snprintf(sc->card.card, sizeof(sc->card.card), "/dev/dri/%s", name);
	find_render_node(sc->syspath, sc->card.render, sizeof(sc->card.render));
	if (sc->parent[0]) {
		link_basename(sc->parent, "driver", sc->card.driver,
			      sizeof(sc->card.driver));
		fill_pci_ids(sc);
	}
	num_cards++;
}

/**
 * igt_devices_scan:
 *
 * Rebuilds the list of DRM cards from /sys/class/drm. Device filters are
 * resolved against this list; drm_load_module() rescans after loading a
 * driver.
 */
void igt_devices_scan(void)
{
	struct dirent *de;
	DIR *dir;

	num_cards = 0;
	dir = opendir("/sys/class/drm");
	if (!dir)
		return;
	while ((de = readdir(dir)) && num_cards < MAX_CARDS)
		if (is_card_name(de->d_name))
			scan_one(de->d_name);
	closedir(dir);
	qsort(cards, num_cards, sizeof(cards[0]), compare_cards);
}

static bool is_filter_valid(const char *filter)
{
	static const char * const classes[] = { "drm:", "sys:", "pci:" };

	for (int i = 0; i < ARRAY_SIZE(classes); i++)
		if (!strncmp(filter, classes[i], strlen(classes[i])))
			return !strstr(filter, "card=all") &&
			       !strstr(filter, "card=*");
	return false;
}

/**
 * igt_device_filter_add:
 * @filters: one filter, or several separated by ';'
 *
 * Stores device filters, as given to --device or in IGT_DEVICE. Filters
 * of an unsupported form are reported with a warning and dropped.
 *
 * Returns: the number of filters added.
 */
int igt_device_filter_add(const char *filters_str)
{
	char *dup, *cursor, *one;
	int added = 0;

	dup = strdup(filters_str);
	igt_assert(dup);
	cursor = dup;
	while ((one = strsep(&cursor, ";"))) {
		if (!*one)
			continue;
		if (!is_filter_valid(one)) {
			igt_warn("Unsupported device filter: %s\n", one);
			continue;
		}
		if (num_filters == MAX_FILTERS) {
			igt_warn("Too many device filters, dropping %s\n", one);
			continue;
		}
		filters[num_filters] = strdup(one);
		igt_assert(filters[num_filters]);
		num_filters++;
		added++;
	}
	free(dup);

	return added;
}

/**
 * igt_device_filter_count:
 *
 * Returns: how many device filters are stored.
 */
int igt_device_filter_count(void)
{
	return num_filters;
}

/**
 * igt_device_filter_get:
 * @num: index of the filter
 *
 * Returns: the @num-th stored filter, or NULL when there is none.
 */
const char *igt_device_filter_get(int num)
{
	if (num < 0 || num >= num_filters)
		return NULL;
	return filters[num];
}

/**
 * igt_device_filter_free_all:
 *
 * Drops every stored device filter.
 */
void igt_device_filter_free_all(void)
{
	for (int i = 0; i < num_filters; i++)
		free(filters[i]);
	num_filters = 0;
}

static bool match_drm(const struct scanned_card *sc, const char *arg)
{
	return !*arg || !strcmp(arg, sc->card.card) ||
	       !strcmp(arg, sc->card.render) || !strcmp(arg, sc->syspath);
}

static bool match_sys(const struct scanned_card *sc, const char *arg)
{
	return !*arg || !strcmp(arg, sc->syspath) || !strcmp(arg, sc->parent);
}

static const struct {
	const char *name;
	uint16_t id;
} vendors[] = {
	{ "intel", 0x8086 },
	{ "amd", 0x1002 },
	{ "nvidia", 0x10de },
	{ "vmware", 0x15ad },
	{ "virtio", 0x1af4 },
	{ "qxl", 0x1b36 },
	{ "bochs", 0x1234 },
};

static bool vendor_matches(const struct scanned_card *sc, const char *value)
{
	char *end;
	unsigned long id;

	for (int i = 0; i < ARRAY_SIZE(vendors); i++)
		if (!strcasecmp(value, vendors[i].name))
			return sc->card.pci_vendor == vendors[i].id;

	id = strtoul(value, &end, 16);
	return *value && !*end && sc->card.pci_vendor == id;
}

static bool device_matches(const struct scanned_card *sc, const char *value)
{
	char *end;
	unsigned long id = strtoul(value, &end, 16);

	return *value && !*end && sc->card.pci_device == id;
}

/* Checks one "key=value" term of a pci: filter; card= is handled apart. */
static bool match_pci_term(const struct scanned_card *sc, const char *term)
{
	const char *value = strchr(term, '=');

	if (!value)
		return false;
	value++;
	if (!strncmp(term, "vendor=", 7))
		return vendor_matches(sc, value);
	if (!strncmp(term, "device=", 7))
		return device_matches(sc, value);
	if (!strncmp(term, "slot=", 5))
		return !strcmp(sc->card.pci_slot_name, value);
	if (!strncmp(term, "card=", 5))
		return true;
	igt_warn("Unknown pci filter term: %s\n", term);
	return false;
}

static bool match_pci(const struct scanned_card *sc, const char *arg)
{
	char *dup, *cursor, *term;
	bool ok = sc->card.pci_slot_name[0] != '\0';

	dup = strdup(arg);
	igt_assert(dup);
	cursor = dup;
	while (ok && (term = strsep(&cursor, ",")))
		if (*term)
			ok = match_pci_term(sc, term);
	free(dup);

	return ok;
}

static int pci_card_index(const char *arg)
{
	const char *card = strstr(arg, "card=");

	return card ? atoi(card + 5) : 0;
}

/**
 * igt_device_card_match:
 * @filter: a filter string, e.g. "drm:/dev/dri/card0"
 * @card: filled with the first matching device
 *
 * Resolves @filter against the DRM cards present now (scanning them when
 * not done yet).
 *
 * Returns: true when a device matched.
 */
bool igt_device_card_match(const char *filter, struct igt_device_card *card)
{
	const char *arg = filter + 4;
	int wanted = 0, seen = 0;

	if (!card || !filter || !is_filter_valid(filter))
		return false;
	memset(card, 0, sizeof(*card));
	if (num_cards < 0)
		igt_devices_scan();
	if (!strncmp(filter, "pci:", 4))
		wanted = pci_card_index(arg);

	for (int i = 0; i < num_cards; i++) {
		const struct scanned_card *sc = &cards[i];
		bool hit;

		if (!strncmp(filter, "drm:", 4))
			hit = match_drm(sc, arg);
		else if (!strncmp(filter, "sys:", 4))
			hit = match_sys(sc, arg);
		else
			hit = match_pci(sc, arg);
		if (hit && seen++ == wanted) {
			*card = sc->card;
			return true;
		}
	}

	return false;
}
