/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "footloop/cmd.h"
#include "footloop/status.h"

#include <stddef.h>

const char *
fl_strerror(enum fl_status st)
{
	switch (st) {
	case FL_OK: return "Success";
	case FL_ERR_NOMEM: return "Out of memory";
	case FL_ERR_IO: return "Input/output error";
	case FL_ERR_JACK: return "JACK server error";
	case FL_ERR_CONFIG: return "Invalid configuration";
	case FL_ERR_DEVICE: return "Device missing or busy";
	case FL_ERR_BAD_ARG: return "Bad argument";
	case FL_ERR_RANGE: return "Value out of range";
	case FL_ERR_FULL: return "Queue or buffer full";
	case FL_ERR_NOT_FOUND: return "Not found";
	case FL_ERR_FORMAT: return "Wrong or corrupt format";
	case FL_ERR_BUSY: return "Busy";
	case FL_ERR_UNSUPPORTED: return "Not supported";
	}
	return "Unknown error";
}

const char *
fl_notice_string(enum fl_notice n)
{
	switch (n) {
	case FL_NOTICE_NONE: return "No notice";
	case FL_NOTICE_NOTHING_TO_UNDO: return "Nothing to undo";
	case FL_NOTICE_NOTHING_TO_REDO: return "Nothing to redo";
	case FL_NOTICE_NO_LOOP: return "The track holds no loop";
	case FL_NOTICE_MEMORY_FULL: return "Loop memory full: recording closed";
	case FL_NOTICE_HISTORY_DROPPED: return "Oldest undo levels dropped to make room";
	case FL_NOTICE_NO_UNDO_ROOM: return "No room for an undo copy: overdubbing in place";
	case FL_NOTICE_CMD_LATE: return "A command arrived after its frame";
	case FL_NOTICE_BUSY: return "The track is loading or saving: try again when it is done";
	case FL_NOTICE_TAP_OVERFLOW: return "A disk stream fell behind: a block was dropped";
	case FL_NOTICE_PANIC: return "Panic: output faded out and all tracks stopped";
	case FL_NOTICE__COUNT: break;
	}
	return "Unknown notice";
}
