/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Running a helper program (lp, lpstat, rtcwake) without a shell: an argv
 * array through posix_spawnp, its output collected through a pipe, with a
 * deadline. Nothing the operator types ever reaches a shell.
 *
 * ui_spawn() waits for the helper (rtcwake: the machine sleeps anyway);
 * ui_proc_start() runs it in the background: the UI loop polls its pipe with
 * everything else (ui_procs_pollfds, ui_procs_service) and the callback gets
 * the outcome on the UI thread, so a printer that does not answer never
 * freezes the screen.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ui-ncurses/station/station.h"

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

/* Start @argv with stdout and stderr into a pipe; its read end into @fd. 0 or -errno. */
static int start_child(const char *const argv[], pid_t *pid, int *fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t dfl;
	int pfd[2], rc;

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
	rc = posix_spawnp(pid, argv[0], &fa, &attr, (char *const *)(void *)argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		return -rc;
	}
	*fd = pfd[0];
	return 0;
}

/* The helper's exit as ui_spawn() returns it. */
static int exit_code(int status, size_t used)
{
	if (WIFEXITED(status)) {
		/* posix_spawnp reports a missing program as exit 127 on glibc. */
		if (WEXITSTATUS(status) == 127 && used == 0)
			return -ENOENT;
		return WEXITSTATUS(status);
	}
	return -EINTR;
}

/* Trim the trailing newlines so the answer fits on the status line. */
static void trim_out(char *out, size_t *used)
{
	while (*used > 0 && (out[*used - 1] == '\n' || out[*used - 1] == '\r'))
		out[--*used] = '\0';
}

int ui_spawn(const char *const argv[], char *out, size_t outlen, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int fd, rc, status = 0;
	size_t used = 0;
	bool timed_out = false;
	pid_t pid;

	if (outlen)
		out[0] = '\0';
	rc = start_child(argv, &pid, &fd);
	if (rc < 0)
		return rc;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
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
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		keep(out, outlen, &used, buf, (size_t)n);
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (outlen)
		trim_out(out, &used);
	if (timed_out)
		return -ETIMEDOUT;
	return exit_code(status, used);
}

/* One helper running in the background. UI thread only. */
struct ui_proc {
	bool active;
	pid_t pid;
	int fd;				/* -1 once the helper closed its output */
	long long deadline;
	char out[2048];
	size_t used;
	ui_proc_done_fn done;
	void *arg;
};

static struct ui_proc procs[UI_PROCS_MAX];

int ui_proc_start(const char *const argv[], int timeout_ms, ui_proc_done_fn done, void *arg)
{
	struct ui_proc *p = NULL;
	size_t i;
	int rc;

	for (i = 0; i < UI_PROCS_MAX && p == NULL; i++)
		if (!procs[i].active)
			p = &procs[i];
	if (p == NULL)
		return -EBUSY;
	memset(p, 0, sizeof(*p));
	rc = start_child(argv, &p->pid, &p->fd);
	if (rc < 0)
		return rc;
	/* The loop reads whatever is there and goes back to poll. */
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
	p->deadline = now_ms() + timeout_ms;
	p->done = done;
	p->arg = arg;
	p->active = true;
	return 0;
}

size_t ui_procs_pollfds(struct pollfd *pfd, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < UI_PROCS_MAX && n < max; i++)
		if (procs[i].active && procs[i].fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = procs[i].fd, .events = POLLIN };
	return n;
}

int ui_procs_timeout(void)
{
	long long t = -1, left;
	size_t i;

	for (i = 0; i < UI_PROCS_MAX; i++) {
		if (!procs[i].active)
			continue;
		/* Output closed but not yet exited: look again soon. */
		left = procs[i].fd < 0 ? 50 : procs[i].deadline - now_ms();
		if (left < 0)
			left = 0;
		if (t < 0 || left < t)
			t = left;
	}
	return t > INT32_MAX ? INT32_MAX : (int)t;
}

/* Read what helper @p has written; close its end at EOF. */
static void drain(struct ui_proc *p)
{
	char buf[512];
	ssize_t n;

	while (p->fd >= 0) {
		n = read(p->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close(p->fd);
			p->fd = -1;
			return;
		}
		keep(p->out, sizeof(p->out), &p->used, buf, (size_t)n);
	}
}

/* Kill helper @p and reap it. */
static void kill_reap(struct ui_proc *p)
{
	kill(p->pid, SIGKILL);
	while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

bool ui_procs_service(struct ui_app *app)
{
	bool any = false;
	size_t i;

	for (i = 0; i < UI_PROCS_MAX; i++) {
		struct ui_proc *p = &procs[i];
		struct ui_proc fin;
		int status = 0, rc;
		pid_t w;

		if (!p->active)
			continue;
		drain(p);
		if (now_ms() >= p->deadline) {
			kill_reap(p);
			rc = -ETIMEDOUT;
		} else if (p->fd >= 0) {
			continue;
		} else {
			w = waitpid(p->pid, &status, WNOHANG);
			if (w == 0 || (w < 0 && errno == EINTR))
				continue;
			rc = w < 0 ? -errno : exit_code(status, p->used);
		}
		/* Free the slot first: the callback may start the next helper. */
		fin = *p;
		p->active = false;
		trim_out(fin.out, &fin.used);
		fin.done(app, rc, fin.out, fin.arg);
		any = true;
	}
	return any;
}

void ui_procs_stop_all(int grace_ms)
{
	long long deadline = now_ms() + grace_ms;
	size_t i;

	for (i = 0; i < UI_PROCS_MAX; i++) {
		struct ui_proc *p = &procs[i];
		bool gone = false;

		if (!p->active)
			continue;
		/* A print being handed to CUPS gets a moment to finish. */
		while (!gone && now_ms() < deadline) {
			pid_t w = waitpid(p->pid, NULL, WNOHANG);

			if (w == 0)
				usleep(20000);
			else if (w > 0 || errno != EINTR)
				gone = true;
		}
		if (gone && p->fd >= 0)
			close(p->fd);
		else if (!gone)
			kill_reap(p);
		p->active = false;
	}
}
