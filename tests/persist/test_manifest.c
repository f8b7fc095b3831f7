/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Manifest: format -> parse round trip (floats exact), and every kind of
 * bad manifest gives an error naming file:line and the key. */
#include "persist/manifest.h"

#include "check.h"

#include <stdio.h>
#include <string.h>

static void
sample(struct fl_manifest *m)
{
	fl_manifest_init(m, 44100, 8);
	m->cycle_frames = 88200;
	struct fl_manifest_track *t = &m->track[2];
	t->present = true;
	fl_manifest_track_file(2, t->file, sizeof t->file);
	t->length_frames = 176400;
	t->phase_frames = 12345;
	t->state = FL_TRACK_STOPPED;
	t->level = 0.7071068f;
	t->pan = -0.333333343f;
	t->muted = true;
	t->quantize = FL_QUANTIZE_OFF;
	t->send[1] = 1.25f;
	t->record_input_fx = true;
	m->track[7].present = true;
	fl_manifest_track_file(7, m->track[7].file, sizeof m->track[7].file);
	m->track[7].length_frames = 88200;
	m->track[7].solo = true;
}

static void
test_round_trip(void)
{
	struct fl_manifest a, b;
	sample(&a);
	char buf[8192], err[256];
	size_t n = 0;
	CHECK(fl_manifest_format(&a, buf, sizeof buf, &n) == FL_OK);
	CHECK(n == strlen(buf));
	CHECK(strncmp(buf, "footloop-session 1\n", 19) == 0);
	CHECK(strstr(buf, "file track-03.wav") != NULL);
	CHECK(strstr(buf, "[track.3.fx]") != NULL);
	CHECK_MSG(fl_manifest_parse(&b, buf, "m.txt", err, sizeof err) == FL_OK, "%s", err);
	CHECK(b.sample_rate == 44100 && b.cycle_frames == 88200 && b.n_tracks == 8);
	for (int t = 0; t < FL_MAX_TRACKS; t++) {
		const struct fl_manifest_track *x = &a.track[t], *y = &b.track[t];
		CHECK_MSG(x->present == y->present, "track %d", t);
		if (!x->present)
			continue;
		CHECK(!strcmp(x->file, y->file));
		CHECK(x->length_frames == y->length_frames && x->phase_frames == y->phase_frames);
		CHECK(x->state == y->state && x->quantize == y->quantize);
		CHECK(memcmp(&x->level, &y->level, sizeof(float)) == 0);
		CHECK(memcmp(&x->pan, &y->pan, sizeof(float)) == 0);
		CHECK(memcmp(x->send, y->send, sizeof x->send) == 0);
		CHECK(x->muted == y->muted && x->solo == y->solo);
		CHECK(x->record_input_fx == y->record_input_fx && y->undo_position == 0);
	}
	CHECK(fl_manifest_format(&a, buf, 40, &n) == FL_ERR_FULL);
}

struct bad_case {
	const char *text;
	const char *want; ///< substring of the error
};

static void
test_errors(void)
{
	const char *head = "footloop-session 1\nsample_rate 48000\ncycle_frames 0\ntracks 4\n";
	static const struct bad_case cases[] = {
		{ "", "empty" },
		{ "RIFF\x01\x02garbage\n", "m.txt:1: header" },
		{ "footloop-session 2\nsample_rate 48000\ntracks 1\n", "version 2" },
		{ "footloop-session 1\ntracks 1\n", "sample_rate" },
		{ "footloop-session 1\nsample_rate 12\ntracks 1\n", "m.txt:2: sample_rate" },
		{ "footloop-session 1\nsample_rate 48000\ntracks 0\n", "m.txt:3: tracks" },
		{ "footloop-session 1\nsample_rate 48000\ntracks 1\nbogus 3\n", "m.txt:4: bogus: unknown key" },
		{ "@[track.1]\nfile a.wav\n", "length_frames: missing" },
		{ "@[track.1]\nlength_frames 10\n", "file: missing" },
		{ "@[track.5]\n", "m.txt:6: track.5" },
		{ "@[track.1]\nfile ../../etc/passwd\n", "m.txt:7: [track.1] file" },
		{ "@[track.1]\nfile /etc/passwd\n", "[track.1] file" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\nphase_frames 10\n", "phase_frames" },
		{ "@[track.1]\nfile a.wav\nlength_frames -5\n", "m.txt:8: [track.1] length_frames" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\nlevel 3\n", "m.txt:9: [track.1] level" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\nlevel nan\n", "level" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\npan 0.5x\n", "pan" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\nstate armed\n", "state" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\nquantize bar\n", "quantize" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\nmuted yes\n", "muted" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\nundo_position 3\n", "undo_position" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\ncolour red\n", "colour: unknown key" },
		{ "@[track.1]\nfile a.wav\nlength_frames 10\n[track.1]\n", "twice" },
		{ "@[track.1\n", "malformed" },
		{ "@nokey\n", "no value" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[1024], err[256] = "";
		if (cases[i].text[0] == '@')
			snprintf(text, sizeof text, "%s\n%s", head, cases[i].text + 1);
		else
			snprintf(text, sizeof text, "%s", cases[i].text);
		struct fl_manifest m;
		enum fl_status st = fl_manifest_parse(&m, text, "m.txt", err, sizeof err);
		CHECK_MSG(st == FL_ERR_FORMAT, "case %zu accepted", i);
		CHECK_MSG(strstr(err, cases[i].want) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, err,
		          cases[i].want);
		CHECK_MSG(strncmp(err, "m.txt:", 6) == 0, "case %zu: \"%s\" names no file", i, err);
	}
	/* Effect sections of later versions are skipped, comments allowed. */
	char text[1024], err[256] = "";
	snprintf(text, sizeof text,
	         "%s# comment\n[track.2]\nfile track-02.wav\nlength_frames 99\n\n"
	         "[track.2.fx]\nslot.1 delay\nwhatever 1\n",
	         head);
	struct fl_manifest m;
	CHECK_MSG(fl_manifest_parse(&m, text, "m.txt", err, sizeof err) == FL_OK, "%s", err);
	CHECK(m.track[1].present && m.track[1].length_frames == 99 && !m.track[0].present);
}

int
main(void)
{
	test_round_trip();
	test_errors();
	return fl_check_summary("test_manifest");
}
