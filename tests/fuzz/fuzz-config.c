/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the station's configuration file (tabula --config FILE, tabula.conf). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui-ncurses/station/station.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* The input goes through a real file: ui_config_load() reads a path. */
static char path[64];

/* Trap unless @s is a NUL-terminated string within its @n-byte field. */
static void check_str(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		__builtin_trap();
}

/* Write @len bytes to the scratch file; false if it could not be done. */
static bool put_file(const uint8_t *data, size_t len)
{
	int fd;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/dev/shm/fuzz-config-%ld.conf", (long)getpid());
		if (access("/dev/shm", W_OK) != 0)
			snprintf(path, sizeof(path), "/tmp/fuzz-config-%ld.conf", (long)getpid());
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n <= 0) {
			close(fd);
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return close(fd) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ui_config *cfg = malloc(sizeof(*cfg));
	char err[256];
	size_t i;

	if (cfg == NULL || !put_file(data, len)) {
		free(cfg);
		return 0;
	}
	ui_config_defaults(cfg);
	err[0] = '\0';
	ui_config_load(path, cfg, err, sizeof(err));
	unlink(path);
	check_str(err, sizeof(err));
	check_str(cfg->station, sizeof(cfg->station));
	check_str(cfg->ledger, sizeof(cfg->ledger));
	check_str(cfg->records, sizeof(cfg->records));
	check_str(cfg->lang, sizeof(cfg->lang));
	if (cfg->npeople > UI_PEOPLE_MAX)
		__builtin_trap();
	for (i = 0; i < cfg->npeople; i++) {
		check_str(cfg->people[i].name, sizeof(cfg->people[i].name));
		check_str(cfg->people[i].role, sizeof(cfg->people[i].role));
		if (!cfg->people[i].name[0])
			__builtin_trap(); /* the loader refuses a person without a name */
	}
	free(cfg);
	return 0;
}
