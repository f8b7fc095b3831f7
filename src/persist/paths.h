/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Session names -> places inside the configured session directory.
 *
 * Over OSC, MIDI and switches a session is addressed by a bare name only;
 * this module is the gate that makes sure such a name can never reach
 * anything outside <session_dir>. A valid name is 1..FL_SESSION_NAME_MAX
 * bytes of [A-Za-z0-9_.-], does not start with '.', and contains no '/'.
 * Everything is then opened relative to a directory fd with O_NOFOLLOW, so a
 * symlink planted inside the session directory (pointing at /etc, say) is
 * refused instead of followed.
 * Any thread (no shared state); called from the control thread to check a
 * name before queueing work and from the disk worker to open files. */
#ifndef FL_PERSIST_PATHS_H
#define FL_PERSIST_PATHS_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>

#define FL_SESSION_NAME_MAX 64 ///< bytes, without the terminating NUL

/* FL_OK when name is a valid session name; else FL_ERR_BAD_ARG with a
 * sentence in err ("session name \"../x\" contains '/'"). */
FL_NODISCARD enum fl_status fl_session_name_check(const char *name, char *err, size_t errlen);

/* Opens root (the configured session directory, which may itself be a
 * symlink: the operator chose it) as an O_DIRECTORY fd; creates it (0755)
 * when missing and create is true. The caller closes *fd. */
FL_NODISCARD enum fl_status fl_session_root_open(const char *root, bool create, int *fd,
                                                 char *err, size_t errlen);

/* Opens the session directory <root>/<name> relative to rootfd, refusing an
 * invalid name and a symlink (O_NOFOLLOW | O_DIRECTORY). FL_ERR_NOT_FOUND
 * when it does not exist. The caller closes *fd. */
FL_NODISCARD enum fl_status fl_session_dir_open(int rootfd, const char *name, int *fd,
                                                char *err, size_t errlen);

/* Opens a regular file inside an already opened session directory
 * (O_RDONLY | O_NOFOLLOW; anything but a regular file is refused). fname is
 * checked like a session name. The caller closes *fd. */
FL_NODISCARD enum fl_status fl_session_file_open(int dirfd, const char *fname, int *fd,
                                                 char *err, size_t errlen);

#endif
