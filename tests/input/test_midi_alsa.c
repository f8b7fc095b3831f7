/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The RtMidi/ALSA glue: without an ALSA sequencer (CI) opening must fail
 * cleanly with a message that says so; with one, open, rescan and free must
 * work with no device attached. */
#include "check.h"
#include "input/midi_rtmidi.h"

#include <string.h>
#include <unistd.h>

int
main(void)
{
	struct fl_midi_alsa *m = NULL;
	char err[512] = "";
	struct fl_midi_msg msgs[4];
	enum fl_status st;

	st = fl_midi_alsa_open("footloop-test", "no-such-controller", "no-such-controller", &m, err,
	                       sizeof(err));
	if (access("/dev/snd/seq", R_OK | W_OK) != 0) {
		CHECK_MSG(st == FL_ERR_DEVICE && m == NULL, "status %d", st);
		CHECK_MSG(strstr(err, "ALSA sequencer") != NULL, "message: %s", err);
	} else {
		CHECK_MSG(st == FL_OK && m != NULL, "%s", err);
		if (m) {
			CHECK(fl_midi_alsa_fd(m) >= 0);
			CHECK(!fl_midi_alsa_in_connected(m) && !fl_midi_alsa_out_connected(m));
			CHECK(!fl_midi_alsa_rescan(m, err, sizeof(err)));
			CHECK(fl_midi_alsa_read(m, msgs, 4) == 0);
			CHECK(fl_midi_alsa_send(m, msgs, 0, err, sizeof(err)) == FL_OK);
		}
	}
	fl_midi_alsa_free(m);
	fl_midi_alsa_free(NULL);
	return fl_check_summary("test_midi_alsa");
}
