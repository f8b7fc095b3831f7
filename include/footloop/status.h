/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One status enum for the whole program. Library errors (errno, jack_status_t,
 * RtMidi's ok/msg, liblo, sf_strerror) are converted to these in the glue file
 * that calls the library; above the glue only fl_status circulates. */
#ifndef FOOTLOOP_STATUS_H
#define FOOTLOOP_STATUS_H

enum fl_status {
	FL_OK = 0,
	FL_ERR_NOMEM,       ///< Allocation failed
	FL_ERR_IO,          ///< File or socket I/O failed
	FL_ERR_JACK,        ///< The JACK server refused or went away
	FL_ERR_CONFIG,      ///< Configuration is invalid
	FL_ERR_DEVICE,      ///< A device (GPIO chip, MIDI port) is missing or busy
	FL_ERR_BAD_ARG,     ///< An argument has the wrong type or is malformed
	FL_ERR_RANGE,       ///< A value or index is out of range, or not finite
	FL_ERR_FULL,        ///< A queue or buffer is full
	FL_ERR_NOT_FOUND,   ///< A name, path or address is unknown
	FL_ERR_FORMAT,      ///< A file has the wrong format or is corrupt
	FL_ERR_BUSY,        ///< The object is in use
	FL_ERR_UNSUPPORTED, ///< Not supported in this build or state
};

/* A fixed sentence for a status: capitalised, no trailing period. Any thread. */
const char *fl_strerror(enum fl_status st);

#endif
