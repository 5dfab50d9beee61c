/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Running a helper program (lp, lpstat, rtcwake) without a shell: an argv
 * array through posix_spawnp, its output collected through a pipe, with a
 * deadline. Nothing the operator types ever reaches a shell.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ui-ncurses/ui.h"

extern char **environ;

/* Milliseconds since an arbitrary start. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Keep the last bytes of the child's output in @out. */
static void keep(char *out, size_t outlen, size_t *used, const char *p, size_t n)
{
	if (outlen < 2)
		return;
	if (n >= outlen - 1) {
		p += n - (outlen - 1);
		n = outlen - 1;
		*used = 0;
	}
	if (*used + n > outlen - 1) {
		size_t drop = *used + n - (outlen - 1);

		memmove(out, out + drop, *used - drop);
		*used -= drop;
	}
	memcpy(out + *used, p, n);
	*used += n;
	out[*used] = '\0';
}

int ui_spawn(const char *const argv[], char *out, size_t outlen, int timeout_ms)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t dfl;
	long long deadline = now_ms() + timeout_ms;
	int pfd[2], rc, status = 0;
	size_t used = 0;
	bool timed_out = false;
	pid_t pid;

	if (outlen)
		out[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDERR_FILENO);
	/* The station ignores SIGPIPE; the helper should not inherit that. */
	posix_spawnattr_init(&attr);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	/* The argv strings are not modified by the child; the cast is POSIX's old prototype. */
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, (char *const *)(void *)argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		return -rc;
	}
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		long long left = deadline - now_ms();
		char buf[512];
		ssize_t n;

		if (left <= 0) {
			timed_out = true;
			kill(pid, SIGTERM);
			break;
		}
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		keep(out, outlen, &used, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	/* Trim the trailing newline so the answer fits on the status line. */
	while (used > 0 && (out[used - 1] == '\n' || out[used - 1] == '\r'))
		out[--used] = '\0';
	if (timed_out)
		return -ETIMEDOUT;
	if (WIFEXITED(status)) {
		/* posix_spawnp reports a missing program as exit 127 on glibc. */
		if (WEXITSTATUS(status) == 127 && used == 0)
			return -ENOENT;
		return WEXITSTATUS(status);
	}
	return -EINTR;
}
