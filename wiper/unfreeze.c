/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/unfreeze.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Read a small sysfs file. */
static int read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (f == NULL)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return 0;
}

/* Find rtcwake in the usual places (no shell, no PATH games). */
static const char *rtcwake_path(void)
{
	static const char *const paths[] = { "/usr/sbin/rtcwake", "/sbin/rtcwake", "/usr/bin/rtcwake" };
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

int wiper_unfreeze_possible(const char *sysfs_power, char *why, size_t len)
{
	char path[512], buf[256];
	const char *dir = sysfs_power ? sysfs_power : "/sys/power";

	snprintf(path, sizeof(path), "%s/state", dir);
	if (read_small(path, buf, sizeof(buf)) < 0 || strstr(buf, "mem") == NULL) {
		snprintf(why, len, "this machine cannot suspend to RAM: replug the drive's power, "
				   "or use a port or adapter that powers it after start-up");
		return -ENOTSUP;
	}
	snprintf(path, sizeof(path), "%s/mem_sleep", dir);
	if (read_small(path, buf, sizeof(buf)) < 0 || strstr(buf, "deep") == NULL) {
		snprintf(why, len, "this machine offers only s2idle, which may keep the drives powered: "
				   "replug the drive's power instead");
		return -ENOTSUP;
	}
	if (sysfs_power == NULL && rtcwake_path() == NULL) {
		snprintf(why, len, "rtcwake (util-linux) is not installed");
		return -ENOTSUP;
	}
	snprintf(why, len, "suspend to RAM (deep) is available");
	return 0;
}

int wiper_unfreeze_by_suspend(unsigned seconds, char *why, size_t len)
{
	char secs[16];
	const char *rtc;
	char *argv[8];
	pid_t pid;
	int fd, st, rc;

	rc = wiper_unfreeze_possible(NULL, why, len);
	if (rc < 0)
		return rc;
	rtc = rtcwake_path();
	fd = open("/sys/power/mem_sleep", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "deep", 4) != 4) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		snprintf(why, len, "cannot select deep sleep: %s", strerror(-rc));
		return rc;
	}
	close(fd);
	snprintf(secs, sizeof(secs), "%u", seconds ? seconds : 5);
	argv[0] = (char *)"rtcwake";
	argv[1] = (char *)"-m";
	argv[2] = (char *)"mem";
	argv[3] = (char *)"-s";
	argv[4] = secs;
	argv[5] = NULL;
	rc = posix_spawn(&pid, rtc, NULL, NULL, argv, environ);
	if (rc != 0) {
		snprintf(why, len, "cannot start rtcwake: %s", strerror(rc));
		return -rc;
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(why, len, "rtcwake failed: the machine did not suspend");
		return -EIO;
	}
	snprintf(why, len, "suspended to RAM and resumed: re-identify the drives");
	return 0;
}
