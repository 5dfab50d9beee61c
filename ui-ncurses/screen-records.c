/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The records medium screen (from the session screen, key i, offered when
 * no records medium is present): every medium with why it can or cannot
 * become the records medium; Enter on a blank one asks for its serial to be
 * typed, then records-init.c formats, mounts it and creates the ledger.
 * On a PC without a TPM 2.0 nothing is written until the technician presses
 * d to choose demo key-file custody (records-init.c says what that means).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ncurses.h>

#include "ui-ncurses/lineedit.h"
#include "ui-ncurses/station/records.h"
#include "ui-ncurses/ui.h"

enum rec_step { REC_PICK, REC_CONFIRM, REC_DONE };

static struct {
	enum rec_step step;
	size_t cursor;
	struct ui_medium target;	/* copied at Enter: a rescan cannot swap it */
	struct ui_line confirm;
	bool ok;
	bool notpm;			/* no TPM: d chooses demo key-file custody */
	char msg[768];
} r;

/* The texts of this screen, English and Simplified Chinese. */
enum { R_TITLE, R_ABOUT, R_ABOUT2, R_PRESENT, R_NONE, R_BLANK, R_ASK, R_WILL, R_TYPE, R_WRONG,
       R_WORKING, R_BACK, R_HINT, R_KEYS_PICK, R_KEYS_CONFIRM, R_UNSUITABLE, R_KEYS_NOTPM,
       R_COUNT };
static const char *const en[R_COUNT] = {
	[R_TITLE] = "Records medium: initialise a blank stick",
	[R_ABOUT] = "The ledger, the station key and the certificate PDFs live on a medium labelled",
	[R_ABOUT2] = "TABULA-RECORDS. Only a blank medium (no partition table, no filesystem) is offered.",
	[R_PRESENT] = "A records medium is already attached",
	[R_NONE] = "No media found. Plug a blank stick in; it appears here by itself.",
	[R_BLANK] = "blank: can become the records medium",
	[R_ASK] = "Initialise this medium as the records medium?",
	[R_WILL] = "It gets a new ext4 filesystem labelled TABULA-RECORDS, mounted at",
	[R_TYPE] = "Type its serial to confirm and press Enter:",
	[R_WRONG] = "That is not this medium's serial. Nothing was written.",
	[R_WORKING] = "Initialising the records medium …",
	[R_BACK] = "Enter: back to the session",
	[R_HINT] = "No records medium attached: press i to initialise a blank stick as one.",
	[R_KEYS_PICK] = "↑↓ Move  Enter Initialise  Esc Back",
	[R_KEYS_CONFIRM] = "Enter Confirm  Esc Back",
	[R_UNSUITABLE] = "Not offered",
	[R_KEYS_NOTPM] = "d Demo key-file custody  Esc Back",
};
static const char *const zh[R_COUNT] = {
	[R_TITLE] = "记录介质：初始化一个空白U盘",
	[R_ABOUT] = "台账、工作站密钥和证书 PDF 保存在卷标为 TABULA-RECORDS 的介质上。",
	[R_ABOUT2] = "只提供空白介质（没有分区表，没有文件系统）。",
	[R_PRESENT] = "已连接记录介质",
	[R_NONE] = "未找到介质。插入一个空白U盘，它会自动出现在这里。",
	[R_BLANK] = "空白：可作为记录介质",
	[R_ASK] = "将此介质初始化为记录介质？",
	[R_WILL] = "它将获得卷标为 TABULA-RECORDS 的新 ext4 文件系统，挂载于",
	[R_TYPE] = "输入它的序列号以确认，然后按回车：",
	[R_WRONG] = "这不是该介质的序列号。未写入任何内容。",
	[R_WORKING] = "正在初始化记录介质……",
	[R_BACK] = "回车：返回",
	[R_HINT] = "未连接记录介质（TABULA-RECORDS）：按 i 将空白U盘初始化为记录介质。",
	[R_KEYS_PICK] = "↑↓ 移动  回车 初始化  Esc 返回",
	[R_KEYS_CONFIRM] = "回车 确认  Esc 返回",
	[R_UNSUITABLE] = "不可用",
	[R_KEYS_NOTPM] = "d 演示密钥文件保管  Esc 返回",
};

static const char *rt(const struct ui_app *app, int t)
{
	return app->zh ? zh[t] : en[t];
}

int ui_records_session_hint(struct ui_app *app, int y)
{
	if (ui_records_present(app, NULL, 0))
		return 0;
	attron(ui_attr(UI_C_WARN));
	ui_put(y, 2, COLS - 2, rt(app, R_HINT));
	attroff(ui_attr(UI_C_WARN));
	return 1;
}

static void records_enter(struct ui_app *app)
{
	memset(&r, 0, sizeof(r));
	app->text_entry = false;
	app->status[0] = '\0';
}

/* "sdb  usb  SanDisk Cruzer  serial 4C53…  14.9 GiB" */
static void describe(const struct ui_app *app, const struct ui_medium *m, char *buf, size_t len)
{
	char sz[32];

	snprintf(buf, len, "%-8s %-6s %s  %s %s  %s", m->med.disk.name,
		 wiper_transport_str(m->med.disk.transport), m->med.disk.model[0] ? m->med.disk.model : "-",
		 ui_v(app, "serial"), m->med.disk.serial[0] ? m->med.disk.serial : ui_t(app, T_NO_SERIAL),
		 wiper_size_str(m->med.disk.size_bytes, sz, sizeof(sz)));
}

static void draw_pick(struct ui_app *app, int y)
{
	char buf[512], why[256], present[400];
	size_t i;

	if (ui_records_present(app, present, sizeof(present))) {
		snprintf(buf, sizeof(buf), "%s: %s.", rt(app, R_PRESENT), present);
		ui_put(y, 2, COLS - 4, buf);
		return;
	}
	if (app->nmedia == 0) {
		ui_put(y, 2, COLS - 4, rt(app, R_NONE));
		return;
	}
	if (r.cursor >= app->nmedia)
		r.cursor = app->nmedia - 1;
	for (i = 0; i < app->nmedia && y + 1 < ui_rows() - 2; i++, y += 2) {
		const struct ui_medium *m = &app->media[i];
		const char *no = ui_records_unsuitable(app, m, why, sizeof(why));
		int attr = no ? ui_attr(UI_C_GREY) : (int)A_NORMAL;

		if (i == r.cursor)
			attr = ui_attr(UI_C_SEL) | (no ? (int)A_DIM : 0);
		describe(app, m, buf, sizeof(buf));
		attron(attr);
		ui_put_pad(y, 2, COLS - 4, "");
		ui_put(y, 2, 1, i == r.cursor ? ">" : " ");
		ui_put(y, 4, COLS - 6, buf);
		attroff(attr);
		if (no)
			snprintf(buf, sizeof(buf), "%s: %s", rt(app, R_UNSUITABLE),
				 ui_vs(app, no, present, sizeof(present)));
		else
			snprintf(buf, sizeof(buf), "%s", rt(app, R_BLANK));
		attron(no ? ui_attr(UI_C_GREY) : ui_attr(UI_C_PASS));
		ui_put(y + 1, 6, COLS - 8, buf);
		attroff(no ? ui_attr(UI_C_GREY) : ui_attr(UI_C_PASS));
	}
}

static void draw_confirm(struct ui_app *app, int y)
{
	char buf[512];

	attron(A_BOLD);
	ui_put(y++, 2, COLS - 4, rt(app, R_ASK));
	attroff(A_BOLD);
	y++;
	describe(app, &r.target, buf, sizeof(buf));
	ui_put(y++, 4, COLS - 6, buf);
	y++;
	snprintf(buf, sizeof(buf), "%s %s.", rt(app, R_WILL), ui_records_mountpoint(app));
	attron(ui_attr(UI_C_WARN));
	ui_put(y++, 2, COLS - 4, buf);
	attroff(ui_attr(UI_C_WARN));
	y++;
	snprintf(buf, sizeof(buf), "%s (%s)", rt(app, R_TYPE), ui_records_confirm_word(&r.target));
	ui_put(y++, 2, COLS - 4, buf);
	ui_line_draw(&r.confirm, y, 4, 40 < COLS - 6 ? 40 : COLS - 6, true);
}

/* Bytes in the UTF-8 character starting with @c (1 for a stray byte). */
static size_t u8len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
}

/*
 * @text over as many lines as it needs at @y, in display columns (CJK
 * wide), split after a space where there is one, never inside a character.
 * Returns the next line.
 */
static int wrap(int y, const char *text)
{
	int w = COLS - 4 > 20 ? COLS - 4 : 20;
	char line[512];

	while (*text && y < ui_rows() - 2) {
		size_t i = 0, cut, space = 0;
		int used = 0;

		while (text[i]) {
			size_t len = u8len((unsigned char)text[i]), k;
			char ch[8];
			int cw;

			for (k = 0; k < len && text[i + k]; k++)
				ch[k] = text[i + k];
			ch[k] = '\0';
			cw = ui_width(ch);
			if (used + cw > w || i + k >= sizeof(line))
				break;
			used += cw;
			i += k;
			if (ch[0] == ' ')
				space = i;
		}
		cut = !text[i] || space == 0 ? i : space;
		if (cut == 0) {	/* not even one character fits: take it anyway */
			cut = 1;
			while (cut < u8len((unsigned char)text[0]) && text[cut])
				cut++;
		}
		memcpy(line, text, cut);
		line[cut] = '\0';
		ui_put(y++, 2, COLS - 4, line);
		text += cut;
		while (*text == ' ')
			text++;
	}
	return y;
}

static void records_draw(struct ui_app *app)
{
	int y = 2;

	attron(A_BOLD);
	ui_put(y++, 2, COLS - 4, rt(app, R_TITLE));
	attroff(A_BOLD);
	if (app->zh) {
		ui_put(y++, 2, COLS - 4, rt(app, R_ABOUT));
		ui_put(y++, 2, COLS - 4, rt(app, R_ABOUT2));
	} else {
		char about[320];

		snprintf(about, sizeof(about), "%s %s", rt(app, R_ABOUT), rt(app, R_ABOUT2));
		y = wrap(y, about);
	}
	y++;
	switch (r.step) {
	case REC_PICK:
		draw_pick(app, y);
		break;
	case REC_CONFIRM:
		draw_confirm(app, y);
		break;
	case REC_DONE:
		attron(ui_attr(r.ok ? UI_C_PASS : UI_C_FAIL));
		y = wrap(y, r.msg);
		attroff(ui_attr(r.ok ? UI_C_PASS : UI_C_FAIL));
		y++;
		if (!r.notpm)
			ui_put(y, 2, COLS - 4, rt(app, R_BACK));
		break;
	}
	if (ui_rows() > 1 && !app->status[0]) {
		attron(ui_attr(UI_C_KEY));
		ui_put_pad(ui_rows() - 2, 0, COLS, r.step == REC_PICK ? rt(app, R_KEYS_PICK)
				   : r.step == REC_CONFIRM ? rt(app, R_KEYS_CONFIRM)
				   : r.notpm ? rt(app, R_KEYS_NOTPM) : "");
		attroff(ui_attr(UI_C_KEY));
	}
}

static void back(struct ui_app *app)
{
	app->text_entry = false;
	ui_screen_switch(app, UI_SCR_SESSION);
}

/* The keys by their codes: this screen needs no entries in the binding table. */
static int records_key(struct ui_app *app, const struct ui_key *k)
{
	bool ok = (!k->is_code && (k->code == '\r' || k->code == '\n')) ||
		  (k->is_code && k->code == KEY_ENTER);
	bool esc = !k->is_code && k->code == 27;
	char why[256];
	int rc;

	app->status[0] = '\0';
	switch (r.step) {
	case REC_PICK:
		if (esc) {
			back(app);
		} else if (k->is_code && k->code == KEY_UP) {
			if (r.cursor > 0)
				r.cursor--;
		} else if (k->is_code && k->code == KEY_DOWN) {
			if (r.cursor + 1 < app->nmedia)
				r.cursor++;
		} else if (ok && r.cursor < app->nmedia && !ui_records_present(app, NULL, 0)) {
			const struct ui_medium *m = &app->media[r.cursor];

			if (ui_records_unsuitable(app, m, why, sizeof(why))) {
				snprintf(app->status, sizeof(app->status), "%s: %s", m->med.disk.name, why);
				break;
			}
			r.target = *m;
			/* The copy must not point into the list's arrays (a rescan frees them). */
			r.target.med.disk.part_names = NULL;
			r.target.med.disk.part_devnums = NULL;
			r.target.med.disk.nparts = 0;
			r.target.med.disk.holders = NULL;
			r.target.med.disk.nholders = 0;
			ui_line_clear(&r.confirm);
			r.step = REC_CONFIRM;
			app->text_entry = true;
		}
		break;
	case REC_CONFIRM:
		if (esc) {
			r.step = REC_PICK;
			app->text_entry = false;
			break;
		}
		if (!ok) {
			ui_line_key(&r.confirm, k);
			break;
		}
		app->text_entry = false;
		if (strcmp(r.confirm.buf, ui_records_confirm_word(&r.target)) != 0) {
			snprintf(app->status, sizeof(app->status), "%s", rt(app, R_WRONG));
			r.step = REC_PICK;
			break;
		}
		/* It takes a few seconds: say so before it starts. */
		attron(ui_attr(UI_C_WARN));
		ui_put_pad(ui_rows() - 2, 0, COLS, rt(app, R_WORKING));
		attroff(ui_attr(UI_C_WARN));
		refresh();
		rc = ui_records_init(app, &r.target, false, r.msg, sizeof(r.msg));
		r.ok = rc == 0;
		r.notpm = rc == -ENODEV;
		r.step = REC_DONE;
		return UI_REDRAW | UI_RESCAN;
	case REC_DONE:
		if (r.notpm && !k->is_code && (k->code == 'd' || k->code == 'D')) {
			/* The technician's choice: demo key-file custody for this medium. */
			attron(ui_attr(UI_C_WARN));
			ui_put_pad(LINES - 2, 0, COLS, rt(app, R_WORKING));
			attroff(ui_attr(UI_C_WARN));
			refresh();
			r.ok = ui_records_init(app, &r.target, true, r.msg, sizeof(r.msg)) == 0;
			r.notpm = false;
			return UI_REDRAW | UI_RESCAN;
		}
		if (esc || (ok && !r.notpm))
			back(app);
		break;
	}
	return UI_REDRAW;
}

const struct ui_screen ui_screen_records = {
	.name = "records",
	.enter = records_enter,
	.draw = records_draw,
	.key = records_key,
	.resize = NULL,
};
