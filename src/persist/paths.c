/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why a whitelist and openat(): checking a path string ("does it contain
 * ..?") is easy to get wrong and does nothing against a symlink created in
 * the session directory after the check. Restricting names to one path
 * component of plain characters and opening it relative to the root's fd
 * with O_NOFOLLOW leaves the kernel as the only judge. */
#include "persist/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

enum fl_status
fl_session_name_check(const char *name, char *err, size_t errlen)
{
	if (!name || !name[0]) {
		snprintf(err, errlen, "session name is empty");
		return FL_ERR_BAD_ARG;
	}
	size_t n = strnlen(name, FL_SESSION_NAME_MAX + 1);
	if (n > FL_SESSION_NAME_MAX) {
		snprintf(err, errlen, "session name \"%.16s...\" is longer than %d bytes", name,
		         FL_SESSION_NAME_MAX);
		return FL_ERR_BAD_ARG;
	}
	if (strchr(name, '/')) {
		snprintf(err, errlen, "session name \"%s\" contains '/' (names only, no paths)", name);
		return FL_ERR_BAD_ARG;
	}
	if (name[0] == '.') {
		snprintf(err, errlen, "session name \"%s\" starts with '.'", name);
		return FL_ERR_BAD_ARG;
	}
	for (size_t i = 0; i < n; i++) {
		if (!name_char_ok(name[i])) {
			snprintf(err, errlen,
			         "session name \"%s\" has a character other than A-Z a-z 0-9 _ - .",
			         name);
			return FL_ERR_BAD_ARG;
		}
	}
	return FL_OK;
}

enum fl_status
fl_session_root_open(const char *root, bool create, int *fd, char *err, size_t errlen)
{
	*fd = -1;
	if (!root || !root[0]) {
		snprintf(err, errlen, "no session directory configured");
		return FL_ERR_CONFIG;
	}
	if (create && mkdir(root, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create session directory %s: %s", root, strerror(errno));
		return FL_ERR_IO;
	}
	int d = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0) {
		snprintf(err, errlen, "cannot open session directory %s: %s", root, strerror(errno));
		return errno == ENOENT ? FL_ERR_NOT_FOUND : FL_ERR_IO;
	}
	*fd = d;
	return FL_OK;
}

enum fl_status
fl_session_dir_open(int rootfd, const char *name, int *fd, char *err, size_t errlen)
{
	*fd = -1;
	enum fl_status st = fl_session_name_check(name, err, errlen);
	if (st != FL_OK)
		return st;
	int d = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0) {
		int e = errno;
		if (e == ENOENT) {
			snprintf(err, errlen, "session \"%s\" does not exist", name);
			return FL_ERR_NOT_FOUND;
		}
		if (e == ELOOP || e == ENOTDIR) {
			snprintf(err, errlen, "session \"%s\" is not a directory (symlinks are refused)",
			         name);
			return FL_ERR_BAD_ARG;
		}
		snprintf(err, errlen, "cannot open session \"%s\": %s", name, strerror(e));
		return FL_ERR_IO;
	}
	*fd = d;
	return FL_OK;
}

enum fl_status
fl_session_file_open(int dirfd, const char *fname, int *fd, char *err, size_t errlen)
{
	*fd = -1;
	enum fl_status st = fl_session_name_check(fname, err, errlen);
	if (st != FL_OK)
		return st;
	int f = openat(dirfd, fname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (f < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s%s", fname, strerror(e),
		         e == ELOOP ? " (symlinks are refused)" : "");
		return e == ENOENT ? FL_ERR_NOT_FOUND : (e == ELOOP ? FL_ERR_BAD_ARG : FL_ERR_IO);
	}
	struct stat sb;
	if (fstat(f, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", fname);
		close(f);
		return FL_ERR_BAD_ARG;
	}
	/* O_NONBLOCK only kept a FIFO from blocking the open; clear it. */
	int flags = fcntl(f, F_GETFL);
	if (flags >= 0)
		(void)fcntl(f, F_SETFL, flags & ~O_NONBLOCK);
	*fd = f;
	return FL_OK;
}
