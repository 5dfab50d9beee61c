/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tabula: the station program. Options, then one loop on one thread: poll
 * stdin, the hotplug monitor, the self-pipe (workers and signal handlers),
 * captured stderr and the output of background helpers (lp, lpstat); apply a
 * resize; hand keys to the focused screen; redraw once when something
 * changed.
 */
#include "config.h"

#include <limits.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ncurses.h>

#include "ui-ncurses/station/bootopts.h"
#include "ui-ncurses/ui.h"
#include "wiper/base/cliopt.h"

#define RESCAN_DEBOUNCE_MS 400
#define RESCAN_FALLBACK_MS 3000	/* when no hotplug monitor could be opened */

static int sig_pipe_wr = -1;

/* Signal handlers only write one byte to the self-pipe. */
static void on_signal(int sig)
{
	int saved = errno;

	if (sig_pipe_wr >= 0)
		ui_wake(sig_pipe_wr, sig == SIGWINCH ? 'W' : sig == SIGINT ? 'I' : 'T');
	errno = saved;
}

/* Long options only, as before (a letter key would also make it a short one). */
enum {
	OPT_CONFIG = 256, OPT_LEDGER, OPT_LANG, OPT_INCLUDE_LOOP, OPT_DEMO, OPT_DEMO_DIR,
	OPT_RECORDS, OPT_BOOT, OPT_VERSION,
};

static const struct cli_opt station_opts[] = {
	{ "config", OPT_CONFIG, "FILE", "station configuration (people, ledger, language; see\n"
				 "tabula.conf(5))" },
	{ "ledger", OPT_LEDGER, "PATH", "the certificate ledger (overrides the configuration)" },
	{ "lang", OPT_LANG, "en|zh", "language of the screens (English, Simplified Chinese)" },
	{ "include-loop", OPT_INCLUDE_LOOP, NULL, "offer loop devices too (demos and tests)" },
	{ "demo", OPT_DEMO, NULL, "demo mode: offer only loop devices for erasure" },
	{ "demo-dir", OPT_DEMO_DIR, "DIR", "demo mode, offering only loop devices backed by files\n"
				  "in DIR" },
	{ "records-required", OPT_RECORDS, "DIR", "certificates belong on the records medium mounted at\n"
					  "DIR (the live image): without it, the ledger would be\n"
					  "in RAM and nothing is erased unless\n"
					  "'allow_ram_ledger = yes'; the ledger defaults to\n"
					  "DIR/ledger.db" },
	{ "boot-options", OPT_BOOT, "FILE", "print the station's options in the kernel command line\n"
				       "FILE (/proc/cmdline) as KEY=VALUE, each ended by a NUL\n"
				       "byte, and exit (2 when one is wrong); with --config,\n"
				       "its people stand in for a missing operator or witness" },
	{ "version", OPT_VERSION, NULL, "print the version and exit" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_cmd station_cli = {
	"tabula", NULL, "The Tabula erasure station: pick media, erase them, certify the result.",
	station_opts,
	"Configuration lines (tabula.conf(5)): 'operator = Name, Role', 'witness =\n"
	"Name, Role', 'person = Name, Role', 'require_witness = yes', 'station = NAME',\n"
	"'ledger = PATH', 'records = DIR', 'lang = zh', 'allow_ram_ledger = yes',\n"
	"'supervisor = Name, Role', 'approver = Name, Role', 'supervisors = 2',\n"
	"'require_approval = yes', 'classification = 秘密, Secret, classified',\n"
	"'timezone = Asia/Shanghai', and after a person 'unit =', 'department =',\n"
	"'location =', 'phone ='.\n",
};

/* Milliseconds from now until @t (<0 when past). */
static long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

/* Ask for a rescan @ms from now (hotplug events come in bursts). */
static void rescan_later(struct ui_app *app, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, &app->rescan_at);
	app->rescan_at.tv_sec += ms / 1000;
	app->rescan_at.tv_nsec += (ms % 1000) * 1000000;
	if (app->rescan_at.tv_nsec >= 1000000000) {
		app->rescan_at.tv_sec++;
		app->rescan_at.tv_nsec -= 1000000000;
	}
	app->rescan_pending = true;
}

/* Draw the whole screen once. */
static void draw(struct ui_app *app)
{
	const struct ui_screen *s = ui_screen_get(app->screen);
	char head[512];
	int n;

	erase();
	ui_rows_set_bar(ui_keys_rows(app, app->screen));
	if (app->ledger_in_ram) {
		/* On every screen, in place of the title: certificates have nowhere safe to go. */
		attron(ui_attr(UI_C_FAIL) | A_REVERSE | A_BOLD);
		n = snprintf(head, sizeof(head), " %s · %s", app->cfg.station,
			     ui_t(app, app->cfg.allow_ram_ledger ? T_RAM_ALLOWED : T_RAM_BANNER));
		if (n < 0 || (size_t)n >= sizeof(head))
			head[sizeof(head) - 1] = '\0';
		ui_put_pad(0, 0, COLS, head);
		attroff(ui_attr(UI_C_FAIL) | A_REVERSE | A_BOLD);
	} else {
		attron(ui_attr(UI_C_TITLE));
		n = snprintf(head, sizeof(head), " %s · %s%s%s", ui_t(app, T_TITLE),
			     app->cfg.station, app->demo ? " · " : "",
			     app->demo ? ui_t(app, T_DEMO) : "");
		if (n < 0 || (size_t)n >= sizeof(head))
			head[sizeof(head) - 1] = '\0';
		ui_put_pad(0, 0, COLS, head);
		attroff(ui_attr(UI_C_TITLE));
	}
	s->draw(app);
	if (app->quit_asked || app->confirm[0]) {
		const char *q = app->quit_asked ? ui_t(app, T_QUIT_JOBS) : app->confirm;

		/* A question is never cut: it takes the row above the status line too when it must. */
		attron(ui_attr(UI_C_FAIL));
		if (ui_width(q) > COLS && ui_rows() >= 4) {
			ui_put_pad(ui_rows() - 3, 0, COLS, "");
			ui_put_pad(ui_rows() - 2, 0, COLS, "");
			ui_put_wrap(ui_rows() - 3, 0, COLS, 2, q);
		} else {
			ui_put_pad(ui_rows() - 2, 0, COLS, q);
		}
		attroff(ui_attr(UI_C_FAIL));
	} else if (app->status[0]) {
		/* Like a question, a long message takes two rows rather than lose its end. */
		attron(ui_attr(UI_C_WARN));
		if (ui_width(app->status) > COLS && ui_rows() >= 4) {
			ui_put_pad(ui_rows() - 3, 0, COLS, "");
			ui_put_pad(ui_rows() - 2, 0, COLS, "");
			ui_put_wrap(ui_rows() - 3, 0, COLS, 2, app->status);
		} else {
			ui_put_pad(ui_rows() - 2, 0, COLS, app->status);
		}
		attroff(ui_attr(UI_C_WARN));
	}
	ui_keys_draw(app, app->screen);
	if (app->help_open)
		ui_keys_help_draw(app, app->screen);
	refresh();
}

/* Read every pending key and hand it on. Returns reactions. */
static int read_keys(struct ui_app *app)
{
	const struct ui_screen *s;
	int react = 0, rc;
	wint_t ch;

	while ((rc = get_wch(&ch)) != ERR) {
		struct ui_key k = { .code = (int)ch, .is_code = rc == KEY_CODE_YES };

		if (k.is_code && k.code == KEY_RESIZE) {
			/* resizeterm() queued this itself: already applied, only redraw. */
			react |= UI_REDRAW;
			continue;
		}
		if (app->quit_asked) {
			app->quit_asked = false;
			if (!k.is_code && (k.code == 'y' || k.code == 'Y'))
				return react | UI_QUIT;
			react |= UI_REDRAW;
			continue;
		}
		if (app->help_open) {
			/* Any key closes the help, and does nothing else. */
			app->help_open = false;
			react |= UI_REDRAW;
			continue;
		}
		if (app->confirm[0]) {
			app->confirm[0] = '\0';
			if (!k.is_code && (k.code == 'y' || k.code == 'Y') && app->confirm_yes)
				app->confirm_yes(app, app->confirm_arg);
			else if (app->confirm_no)
				ui_cut(app->status, sizeof(app->status), "%s", app->confirm_no);
			app->confirm_yes = NULL;
			react |= UI_REDRAW;
			continue;
		}
		k.action = ui_keys_lookup(app->screen, k.code, k.is_code);
		/* In a prompt, ? is a letter; F1 still opens the help. */
		if (k.action == UI_ACT_HELP && !(app->text_entry && !k.is_code)) {
			app->help_open = true;
			react |= UI_REDRAW;
			continue;
		}
		if (k.action == UI_ACT_HELP)
			k.action = UI_ACT_NONE;
		/* Keys a newcomer tries that mean nothing here say where the keys are. */
		if (k.action == UI_ACT_NONE && !app->text_entry &&
		    ((k.is_code && (k.code == KEY_LEFT || k.code == KEY_RIGHT || k.code == KEY_BTAB ||
				    k.code == KEY_HOME || k.code == KEY_END ||
				    (k.code >= KEY_F(2) && k.code <= KEY_F(12)))) ||
		     (!k.is_code && k.code > ' ' && k.code < 0x7f && app->screen != UI_SCR_ERASE &&
		      app->screen != UI_SCR_RECORDS) ||
		     (!k.is_code && k.code == '\t'))) {
			ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_KEY_NOTHING));
			react |= UI_REDRAW;
			continue;
		}
		/* In a prompt, q is a letter; F10 still quits. */
		if (k.action == UI_ACT_QUIT && app->text_entry && !k.is_code)
			k.action = UI_ACT_NONE;
		if (k.action == UI_ACT_QUIT && ui_jobs_running(app) > 0) {
			app->quit_asked = true;
			react |= UI_REDRAW;
			continue;
		}
		if (k.action == UI_ACT_QUIT)
			return react | UI_QUIT;
		s = ui_screen_get(app->screen);
		react |= s->key(app, &k) | UI_REDRAW;
		if (react & UI_QUIT)
			break;
	}
	return react;
}

/* The loop. Returns when the station quits. */
static void run(struct ui_app *app, int wake_rd, struct wiper_hotplug *hp)
{
	bool redraw = true;

	for (;;) {
		struct pollfd pfd[4 + UI_PROCS_MAX];
		nfds_t n = 0;
		int timeout = 1000, react = 0, hp_i = -1, err_i = -1, proc_ms;
		char buf[64];
		ssize_t got;

		if (redraw)
			draw(app);
		redraw = false;
		if (app->rescan_pending) {
			long ms = ms_until(&app->rescan_at);

			timeout = ms < 0 ? 0 : ms < timeout ? (int)ms : timeout;
		}
		proc_ms = ui_procs_timeout();
		if (proc_ms >= 0 && proc_ms < timeout)
			timeout = proc_ms;
		pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = wake_rd, .events = POLLIN };
		if (hp) {
			hp_i = (int)n;
			pfd[n++] = (struct pollfd){ .fd = wiper_hotplug_fd(hp), .events = POLLIN };
		}
		if (ui_term_stderr_fd() >= 0) {
			err_i = (int)n;
			pfd[n++] = (struct pollfd){ .fd = ui_term_stderr_fd(), .events = POLLIN };
		}
		n += ui_procs_pollfds(pfd + n, UI_PROCS_MAX);
		if (poll(pfd, n, timeout) < 0 && errno != EINTR)
			ui_fatal("poll: %s", strerror(errno));
		redraw |= ui_procs_service(app);

		while ((got = read(wake_rd, buf, sizeof(buf))) > 0) {
			ssize_t i;

			for (i = 0; i < got; i++) {
				switch (buf[i]) {
				case 'W':
					ui_term_resize();
					if (ui_screen_get(app->screen)->resize)
						ui_screen_get(app->screen)->resize(app);
					break;
				case 'T':
					return;
				case 'I':
					if (ui_jobs_running(app) > 0)
						app->quit_asked = true;
					else
						return;
					break;
				case 'd':
					ui_jobs_reap(app);
					rescan_later(app, RESCAN_DEBOUNCE_MS);
					break;
				default:
					break;
				}
			}
			redraw = true;
		}
		if (hp_i >= 0 && (pfd[hp_i].revents & POLLIN)) {
			struct wiper_hotplug_event ev;

			while (wiper_hotplug_read(hp, &ev) == 0)
				rescan_later(app, RESCAN_DEBOUNCE_MS);
		}
		if (err_i >= 0 && (pfd[err_i].revents & POLLIN))
			redraw |= ui_term_stderr_drain(app->status, sizeof(app->status));
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (pfd[0].revents & (POLLHUP | POLLERR) && !(pfd[0].revents & POLLIN))
				return;
			react = read_keys(app);
		}
		if (react & UI_QUIT)
			return;
		if (react & UI_RESCAN)
			rescan_later(app, 0);
		if (react & UI_REDRAW)
			redraw = true;
		if (!hp && !app->rescan_pending)
			rescan_later(app, RESCAN_FALLBACK_MS);
		if (app->rescan_pending && ms_until(&app->rescan_at) <= 0) {
			int rc;

			app->rescan_pending = false;
			rc = ui_media_rescan(app);
			if (rc < 0)
				snprintf(app->status, sizeof(app->status), "scan failed: %s",
					 strerror(-rc));
			redraw = true;
		}
		if (app->screen == UI_SCR_DASH && ui_jobs_running(app) > 0)
			redraw = true;	/* ETA ticks even between snapshots */
		/* The records medium may come or go at any time. */
		redraw |= ui_ledger_check(app);
	}
}

void (*ui_test_setup)(struct ui_app *app);

/*
 * Parse the command line into @app; -1 to go on, else the exit status
 * (after --help, --version or a usage error, printed in one line).
 */
static int parse_args(int argc, char **argv, struct ui_app *app, const char **boot_options)
{
	struct cli_parser cp;
	int c;

	cli_begin(&cp, &station_cli, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_CONFIG: app->config_path = optarg; break;
		case OPT_LEDGER: app->ledger_override = optarg; break;
		case OPT_LANG:
			if (strcmp(optarg, "en") != 0 && strcmp(optarg, "zh") != 0) {
				fprintf(stderr, "tabula: --lang: expected en or zh, not '%s'\n", optarg);
				return 2;
			}
			app->lang_override = optarg;
			break;
		case OPT_INCLUDE_LOOP: app->include_loop = true; break;
		case OPT_DEMO: app->demo = app->include_loop = true; break;
		case OPT_DEMO_DIR:
			if (realpath(optarg, app->demo_dir) == NULL ||
			    strlen(app->demo_dir) + 2 > sizeof(app->demo_dir)) {
				fprintf(stderr, "tabula: --demo-dir: %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			strcat(app->demo_dir, "/");
			app->demo = app->include_loop = true;
			break;
		case OPT_RECORDS: app->records_required = optarg; break;
		case OPT_BOOT: *boot_options = optarg; break;
		case OPT_VERSION: printf("tabula (Tabula) %s\n", PACKAGE_VERSION); return 0;
		case CLI_HELP: return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error(&station_cli, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* The configuration, the ledger's place and the people; -1 to go on, else the exit status. */
static int configure(struct ui_app *app)
{
	if (app->ledger_override &&
	    (size_t)snprintf(app->cfg.ledger, sizeof(app->cfg.ledger), "%s", app->ledger_override) >=
		    sizeof(app->cfg.ledger)) {
		fprintf(stderr, "tabula: --ledger: path too long\n");
		return 2;
	}
	if (app->records_required && !app->ledger_override && !app->cfg.ledger_set &&
	    (size_t)snprintf(app->cfg.ledger, sizeof(app->cfg.ledger), "%s/ledger.db",
			     app->records_required) >= sizeof(app->cfg.ledger)) {
		fprintf(stderr, "tabula: --records-required: path too long\n");
		return 2;
	}
	if (app->records_required && !app->cfg.records[0])
		snprintf(app->cfg.records, sizeof(app->cfg.records), "%s", app->records_required);
	ui_ledger_check(app);
	/* No "station =": the ledger's chain names the station, as it does for the CLI. */
	if (!app->cfg.station_set) {
		char chain[sizeof(app->cfg.station)];

		if (ui_cert_chain_station(app, chain, sizeof(chain)) == 0)
			ui_config_set_station(&app->cfg, chain);
	}
	/* A station that died mid-erase left open jobs: certify them INCOMPLETE now. */
	ui_cert_recover(app);
	app->zh = strcmp(app->lang_override ? app->lang_override : app->cfg.lang, "zh") == 0;
	app->people_configured = app->cfg.npeople;
	if (app->demo && app->cfg.npeople == 0) {
		snprintf(app->cfg.people[0].name, UI_STR, "Demo Operator");
		snprintf(app->cfg.people[0].role, UI_STR, "Technician");
		app->cfg.people[0].may_operate = true;
		snprintf(app->cfg.people[1].name, UI_STR, "Demo Witness");
		snprintf(app->cfg.people[1].role, UI_STR, "Supervisor");
		app->cfg.people[1].may_witness = true;
		app->cfg.npeople = 2;
	}
	return -1;
}

/* Signals into the wake pipe, before curses starts (so ncurses keeps our SIGWINCH handler). */
static void set_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The hotplug monitor (or periodic rescans without one) and the first scan. */
static void first_scan(struct ui_app *app, struct wiper_hotplug **hp)
{
	int rc = wiper_hotplug_open(hp);

	if (rc < 0) {
		*hp = NULL;
		snprintf(app->hotplug_src, sizeof(app->hotplug_src), "rescan");
	} else {
		snprintf(app->hotplug_src, sizeof(app->hotplug_src), "%s", wiper_hotplug_source(*hp));
	}
	if (ui_test_setup)
		ui_test_setup(app);
	rc = ui_media_rescan(app);
	if (rc < 0)
		snprintf(app->status, sizeof(app->status), "scan failed: %s", strerror(-rc));
	if (*hp == NULL)
		snprintf(app->status, sizeof(app->status),
			 "no hotplug monitor; rescanning every %d s", RESCAN_FALLBACK_MS / 1000);
}

int main(int argc, char **argv)
{
	static struct ui_app app;
	const char *boot_options = NULL;
	struct wiper_hotplug *hp = NULL;
	char err[512];
	int rc, wake[2];

	app.operator_idx = app.witness_idx = app.supervisor2_idx = app.approver_idx = -1;
	app.printers = -1;
	ui_config_defaults(&app.cfg);
	rc = parse_args(argc, argv, &app, &boot_options);
	if (rc >= 0)
		return rc;
	if (app.config_path && ui_config_load(app.config_path, &app.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "tabula: %s\n", err);
		return 2;
	}
	/* Every time a person reads is the station's local time (tabula.conf, else the system's). */
	if (cert_conf_apply_timezone(&app.cfg.rec, err, sizeof(err)) < 0) {
		fprintf(stderr, "tabula: %s\n", err);
		return 2;
	}
	if (boot_options)
		return ui_bootopts_main(boot_options, app.config_path ? &app.cfg : NULL);
	rc = configure(&app);
	if (rc >= 0)
		return rc;
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		perror("tabula: pipe");
		return 1;
	}
	app.wake_wr = sig_pipe_wr = wake[1];
	set_signals();
	first_scan(&app, &hp);
	rc = ui_term_open();
	if (rc < 0) {
		fprintf(stderr, "tabula: needs a terminal (%s)\n", strerror(-rc));
		return 1;
	}
	ui_screen_switch(&app, UI_SCR_SESSION);
	run(&app, wake[0], hp);
	ui_term_close();
	ui_procs_stop_all(3000);
	if (app.njobs && ui_jobs_running(&app) > 0)
		fprintf(stderr, "tabula: stopping running erasures; they end INCOMPLETE\n");
	ui_jobs_stop_all(&app);
	ui_media_free(&app);
	wiper_hotplug_close(hp);
	close(wake[0]);
	close(wake[1]);
	return 0;
}
