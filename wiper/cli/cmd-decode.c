/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper decode: decode a saved identify block with the live decoders. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/cli/cli.h"

#define DECODE_MAX_FILE (1u << 20)

static const struct cli_opt decode_opts[] = {
	{ "json", 'j', NULL, "JSON on stdout" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_decode = {
	"wiper decode", "ata-identify|nvme-id-ctrl FILE", "decode a saved identify block",
	decode_opts,
	"Decode a saved identify block with the same decoder the station uses.\n"
	"  ata-identify   512 raw bytes, or the text of 'hdparm --Istdout'\n"
	"  nvme-id-ctrl   4096 raw bytes, as saved by 'nvme id-ctrl -b'\n",
};

/* Is @s a non-empty run of printable ASCII? Identify strings always are. */
static bool printable(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* Read at most DECODE_MAX_FILE bytes of @path; *len gets the size. */
static uint8_t *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	uint8_t *buf;
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(DECODE_MAX_FILE + 1);
	if (buf == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, DECODE_MAX_FILE + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (n > DECODE_MAX_FILE) {
		snprintf(err, errlen, "%s: too large to be an identify block", path);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int cmd_decode(int argc, char **argv)
{
	struct cli_parser cp;
	const char *what, *path;
	bool json = false;
	char err[256];
	uint8_t *data;
	size_t len = 0;
	int c, rc = EXIT_OK;

	cli_begin(&cp, &cli_decode, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case 'j': json = true; break;
		case CLI_HELP: return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		cli_err("decode: expected a kind and a file (try '%s decode --help')", prog);
		return EXIT_USAGE;
	}
	what = argv[optind];
	path = argv[optind + 1];
	if (strcmp(what, "ata-identify") != 0 && strcmp(what, "nvme-id-ctrl") != 0) {
		cli_err("decode: unknown kind '%s' (ata-identify or nvme-id-ctrl)", what);
		return EXIT_USAGE;
	}
	data = read_file(path, &len, err, sizeof(err));
	if (data == NULL) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}

	if (strcmp(what, "ata-identify") == 0) {
		uint8_t raw[ATA_IDENTIFY_LEN];
		struct ata_identify a;

		if (ata_identify_load(data, len, raw, err, sizeof(err)) < 0) {
			cli_err("%s: not an ATA IDENTIFY block: %s", path, err);
			rc = EXIT_USAGE;
		} else if (ata_identify_parse(raw, sizeof(raw), &a) < 0) {
			cli_err("%s: not an ATA IDENTIFY block: empty (all zeros or all ones)", path);
			rc = EXIT_USAGE;
		} else if (!printable(a.model)) {
			cli_err("%s: not an ATA IDENTIFY block: the model string is garbage", path);
			rc = EXIT_USAGE;
		} else {
			if (a.integrity == ATA_ID_INTEGRITY_BAD)
				cli_err("warning: %s: integrity word checksum is wrong; data may be damaged",
					path);
			if (json) {
				struct json_out j;

				json_init(&j, stdout, true);
				print_ata_identify_json(&j, NULL, &a);
				json_end(&j);
			} else {
				print_ata_identify_text(stdout, &a);
			}
		}
	} else {
		struct nvme_ctrl_info n;

		if (len != NVME_IDENTIFY_LEN) {
			cli_err("%s: not an NVMe Identify Controller block: %zu bytes, expected %u%s", path,
				len, NVME_IDENTIFY_LEN, len < NVME_IDENTIFY_LEN ? " (truncated)" : "");
			rc = EXIT_USAGE;
		} else if (nvme_ctrl_info_parse(data, len, &n) < 0) {
			cli_err("%s: not an NVMe Identify Controller block: empty", path);
			rc = EXIT_USAGE;
		} else if (!printable(n.model) || !printable(n.serial)) {
			cli_err("%s: not an NVMe Identify Controller block: model or serial is garbage",
				path);
			rc = EXIT_USAGE;
		} else if (json) {
			struct json_out j;

			json_init(&j, stdout, true);
			print_nvme_ctrl_json(&j, NULL, &n);
			json_end(&j);
		} else {
			print_nvme_ctrl_text(stdout, &n);
		}
	}
	free(data);
	return rc;
}
