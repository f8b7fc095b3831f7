/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Session names can only ever reach <root>/<name>: traversal, absolute
 * paths, nested names, empty and long names, and symlinks planted inside
 * the root are refused. */
#include "persist/paths.h"

#include "check.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_names(void)
{
	char err[256];
	const char *bad[] = { "", "../x", "..", ".", "/etc", "a/b", "x/", ".hidden", "a b",
			      "a\\b", "na\nme", "caf\xc3\xa9", "a*", "~" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		CHECK_MSG(fl_session_name_check(bad[i], err, sizeof err) == FL_ERR_BAD_ARG,
		          "name \"%s\" accepted", bad[i]);
		CHECK_MSG(err[0] != '\0', "no message for \"%s\"", bad[i]);
	}
	CHECK(fl_session_name_check(NULL, err, sizeof err) == FL_ERR_BAD_ARG);
	char lng[200];
	memset(lng, 'a', sizeof lng - 1);
	lng[sizeof lng - 1] = '\0';
	CHECK(fl_session_name_check(lng, err, sizeof err) == FL_ERR_BAD_ARG);
	CHECK(strstr(err, "longer") != NULL);
	lng[FL_SESSION_NAME_MAX] = '\0';
	CHECK(fl_session_name_check(lng, err, sizeof err) == FL_OK);
	const char *good[] = { "song1", "My_Song-2.take3", "a", "x..y" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		CHECK_MSG(fl_session_name_check(good[i], err, sizeof err) == FL_OK, "\"%s\": %s",
		          good[i], err);
}

static void
test_symlinks(void)
{
	char root[] = "/tmp/fl_paths_XXXXXX";
	CHECK(mkdtemp(root) != NULL);
	char p[512], q[512];
	char err[256];
	int rootfd = -1, fd = -1;
	CHECK(fl_session_root_open(root, false, &rootfd, err, sizeof err) == FL_OK);

	snprintf(p, sizeof p, "%s/real", root);
	CHECK(mkdir(p, 0755) == 0);
	snprintf(p, sizeof p, "%s/escape", root);
	CHECK(symlink("/etc", p) == 0);
	snprintf(q, sizeof q, "%s/real/passwd", root);
	CHECK(symlink("/etc/passwd", q) == 0);
	snprintf(q, sizeof q, "%s/real/ok.txt", root);
	FILE *f = fopen(q, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);

	CHECK(fl_session_dir_open(rootfd, "escape", &fd, err, sizeof err) == FL_ERR_BAD_ARG);
	CHECK(fd == -1 && strstr(err, "symlink") != NULL);
	CHECK(fl_session_dir_open(rootfd, "../tmp", &fd, err, sizeof err) == FL_ERR_BAD_ARG);
	CHECK(fl_session_dir_open(rootfd, "missing", &fd, err, sizeof err) == FL_ERR_NOT_FOUND);
	CHECK(fl_session_dir_open(rootfd, "real", &fd, err, sizeof err) == FL_OK && fd >= 0);
	int ffd = -1;
	CHECK(fl_session_file_open(fd, "passwd", &ffd, err, sizeof err) == FL_ERR_BAD_ARG);
	CHECK(ffd == -1 && strstr(err, "passwd") != NULL);
	CHECK(fl_session_file_open(fd, "ok.txt", &ffd, err, sizeof err) == FL_OK && ffd >= 0);
	if (ffd >= 0)
		close(ffd);
	if (fd >= 0)
		close(fd);
	close(rootfd);

	CHECK(fl_session_root_open("", false, &rootfd, err, sizeof err) == FL_ERR_CONFIG);
	snprintf(p, sizeof p, "%s/new/", root);
	CHECK(fl_session_root_open(p, true, &rootfd, err, sizeof err) == FL_OK);
	if (rootfd >= 0)
		close(rootfd);

	snprintf(p, sizeof p, "rm -rf '%s'", root);
	CHECK(system(p) == 0);
}

int
main(void)
{
	test_names();
	test_symlinks();
	return fl_check_summary("test_persist_paths");
}
