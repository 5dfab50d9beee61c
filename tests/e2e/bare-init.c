/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The whole userspace of the bare boot (tests/e2e/e2e-lib.sh, e2e_bare_boot):
 * the init of a one-file initramfs that prints the kernel's uptime on the
 * console and powers off at once. Booting the live image's kernel with it
 * gives the time the kernel alone takes under the same QEMU, so that what
 * the image adds over it can be told apart from how fast TCG is here.
 * Built static: the initramfs holds nothing else.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	char up[64] = "?";
	ssize_t n;
	int fd;

	if (mount("proc", "/proc", "proc", 0, NULL) == 0 && (fd = open("/proc/uptime", O_RDONLY)) >= 0) {
		n = read(fd, up, sizeof(up) - 1);
		up[n > 0 ? n : 0] = '\0';
		up[strcspn(up, " \n")] = '\0';
		close(fd);
	}
	/* the kernel gave init /dev/console (the initramfs holds the node) */
	printf("TABULA-BARE-INIT uptime=%s\n", up);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
