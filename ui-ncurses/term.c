/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal: curses setup and restore, colours, stderr capture, UTF-8 text. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include <ncurses.h>

#include "ui-ncurses/ui.h"

static bool term_open;
static bool have_colors;
static int saved_stderr = -1;
static int err_rd = -1;
static char err_tail[4096];	/* what libraries wrote while curses owned the screen */
static size_t err_len;

/* Keep the tail of captured stderr for printing after the terminal is restored. */
static void tail_append(const char *s, size_t n)
{
	if (n >= sizeof(err_tail)) {
		s += n - (sizeof(err_tail) - 1);
		n = sizeof(err_tail) - 1;
	}
	if (err_len + n >= sizeof(err_tail)) {
		size_t drop = err_len + n - (sizeof(err_tail) - 1);

		memmove(err_tail, err_tail + drop, err_len - drop);
		err_len -= drop;
	}
	memcpy(err_tail + err_len, s, n);
	err_len += n;
	err_tail[err_len] = '\0';
}

/* Route fd 2 into a pipe so stray messages cannot scribble over the screen. */
static void capture_stderr(void)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_stderr < 0 || dup2(p[1], STDERR_FILENO) < 0) {
		close(p[0]);
		close(p[1]);
		if (saved_stderr >= 0)
			close(saved_stderr);
		saved_stderr = -1;
		return;
	}
	close(p[1]);
	err_rd = p[0];
}

/* Put the real stderr back and replay what was captured. */
static void release_stderr(void)
{
	char last[256];

	if (saved_stderr < 0)
		return;
	ui_term_stderr_drain(last, sizeof(last));
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	if (err_rd >= 0)
		close(err_rd);
	err_rd = -1;
	if (err_len)
		fprintf(stderr, "tabula: messages while the station ran:\n%s%s", err_tail,
			err_tail[err_len - 1] == '\n' ? "" : "\n");
	err_len = 0;
}

/* Fatal signals: give the terminal back before dying. */
static void on_fatal_signal(int sig)
{
	ui_term_close();
	signal(sig, SIG_DFL);
	raise(sig);
}

int ui_term_open(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	setlocale(LC_ALL, "");
	/*
	 * Every text the station shows is UTF-8 (names, Chinese): without a
	 * UTF-8 locale in the environment (a bare tty, a service, env -i)
	 * curses would print it as "??". glibc always has C.UTF-8.
	 */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -ENOTTY;
	if (newterm(NULL, stdout, stdin) == NULL)
		return -EINVAL;
	term_open = true;
	atexit(ui_term_close);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		have_colors = true;
		init_pair(UI_C_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(UI_C_GREY, COLORS > 8 ? 8 : COLOR_WHITE, -1);
		init_pair(UI_C_PASS, COLOR_BLACK, COLOR_GREEN);
		init_pair(UI_C_FAIL, COLOR_WHITE, COLOR_RED);
		init_pair(UI_C_INCOMPLETE, COLOR_BLACK, COLOR_YELLOW);
		init_pair(UI_C_BAR, COLOR_CYAN, -1);
		init_pair(UI_C_SEL, COLOR_BLACK, COLOR_CYAN);
		init_pair(UI_C_KEY, COLOR_BLACK, COLOR_CYAN);
		init_pair(UI_C_WARN, COLOR_YELLOW, -1);
	}
	capture_stderr();
	return 0;
}

void ui_term_close(void)
{
	if (!term_open)
		return;
	term_open = false;
	curs_set(1);
	endwin();
	fflush(stdout);
	release_stderr();
}

void ui_term_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clear();
}

int ui_attr(enum ui_color c)
{
	if (have_colors) {
		int a = (int)COLOR_PAIR(c);

		if (c == UI_C_NORMAL)
			return (int)A_NORMAL;
		if (c == UI_C_GREY && COLORS <= 8)
			a |= (int)A_DIM;
		if (c == UI_C_PASS || c == UI_C_FAIL || c == UI_C_INCOMPLETE || c == UI_C_TITLE)
			a |= (int)A_BOLD;
		return a;
	}
	switch (c) {
	case UI_C_TITLE: return (int)(A_REVERSE | A_BOLD);
	case UI_C_GREY: return (int)(A_DIM);
	case UI_C_PASS: return (int)(A_BOLD);
	case UI_C_FAIL: return (int)(A_REVERSE | A_BOLD);
	case UI_C_INCOMPLETE: return (int)(A_BOLD | A_UNDERLINE);
	case UI_C_SEL: return (int)(A_REVERSE);
	case UI_C_KEY: return (int)(A_REVERSE);
	case UI_C_WARN: return (int)(A_BOLD);
	default: return (int)(A_NORMAL);
	}
}

int ui_term_stderr_fd(void)
{
	return err_rd;
}

bool ui_term_stderr_drain(char *last, size_t len)
{
	char buf[1024];
	bool any = false;
	ssize_t n;

	if (err_rd < 0)
		return false;
	while ((n = read(err_rd, buf, sizeof(buf) - 1)) > 0) {
		char *end, *start;

		any = true;
		tail_append(buf, (size_t)n);
		buf[n] = '\0';
		end = buf + n;
		while (end > buf && end[-1] == '\n')
			*--end = '\0';
		start = strrchr(buf, '\n');
		start = start ? start + 1 : buf;
		if (len && *start)
			snprintf(last, len, "%s", start);
	}
	return any;
}

int ui_width(const char *s)
{
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);

		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			s++;
			w++;
			continue;
		}
		if (n == 0)
			break;
		s += n;
		w += wcwidth(wc) > 0 ? wcwidth(wc) : 0;
	}
	return w;
}

int ui_put(int y, int x, int w, const char *s)
{
	mbstate_t st;
	int used = 0;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	memset(&st, 0, sizeof(st));
	move(y, x);
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			wc = L'?';
			n = 1;
		}
		if (n == 0)
			break;
		if (wc == L'\t' || wc == L'\n')
			wc = L' ';
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > w)
			break;
		addnwstr(&wc, 1);
		used += cw;
		s += n;
	}
	return used;
}

void ui_put_pad(int y, int x, int w, const char *s)
{
	int used;

	if (x + w > COLS)
		w = COLS - x;
	used = ui_put(y, x, w, s);
	if (used < w && y >= 0 && y < LINES)
		mvhline(y, x + used, ' ', w - used);
}

void ui_fatal(const char *fmt, ...)
{
	va_list ap;

	ui_term_close();
	fprintf(stderr, "tabula: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

int ui_put_wrap(int y, int x, int w, int maxlines, const char *s)
{
	char line[1024];
	int lines = 0;

	while (*s == ' ')
		s++;
	do {
		const char *p = s, *brk = NULL;
		mbstate_t st;
		int used = 0;
		size_t n;

		memset(&st, 0, sizeof(st));
		/* The longest prefix that fits; remember the last space in it. */
		while (*p) {
			wchar_t wc;
			int cw;

			n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&st, 0, sizeof(st));
				n = 1;
				cw = 1;
			} else {
				cw = wcwidth(wc);
				if (cw < 0)
					cw = 1;
			}
			if (used + cw > w)
				break;
			if (*p == ' ')
				brk = p;
			used += cw;
			p += n;
		}
		/* Break at the space unless that would waste more than a third of the line. */
		if (*p && brk && (brk - s) * 3 > (p - s))
			p = brk;
		if (lines == maxlines - 1 || !*p)
			p = s + strlen(s);
		n = (size_t)(p - s) < sizeof(line) ? (size_t)(p - s) : sizeof(line) - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		ui_put(y + lines, x, w, line);
		lines++;
		s = p;
		while (*s == ' ')
			s++;
	} while (*s && lines < maxlines);
	return lines;
}

static int bar_rows = 1;

void ui_rows_set_bar(int rows)
{
	bar_rows = rows > 0 ? rows : 1;
}

int ui_rows(void)
{
	return LINES - (bar_rows - 1);
}
