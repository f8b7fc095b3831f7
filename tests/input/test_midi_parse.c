/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MIDI byte-stream parser: table of byte streams and the messages expected,
 * written "status/channel data1 data2" in hex. */
#include "check.h"
#include "input/midi_parse.h"

#include <stdio.h>
#include <string.h>

struct pcase {
	const char *name;
	uint8_t bytes[48];
	size_t len;
	const char *expect;
};

#define B(...) {__VA_ARGS__}, sizeof((uint8_t[]){__VA_ARGS__})

static const struct pcase cases[] = {
	{"note on", B(0x90, 0x3C, 0x64), "90/0 3c 64"},
	{"channel 16 cc", B(0xBF, 0x07, 0x7F), "b0/f 07 7f"},
	{"running status", B(0x91, 0x3C, 0x64, 0x3E, 0x00, 0x40, 0x10),
	 "90/1 3c 64|90/1 3e 00|90/1 40 10"},
	{"program change, running", B(0xC2, 0x05, 0x06), "c0/2 05 00|c0/2 06 00"},
	{"channel pressure", B(0xD0, 0x33), "d0/0 33 00"},
	{"clock between status and data", B(0xB0, 0xF8, 0x40, 0xF8, 0x7F),
	 "f8/0 00 00|f8/0 00 00|b0/0 40 7f"},
	{"realtime inside running status", B(0x90, 0x3C, 0x64, 0xFE, 0x3C, 0xFA, 0x00),
	 "90/0 3c 64|fe/0 00 00|fa/0 00 00|90/0 3c 00"},
	{"undefined realtime f9 fd ignored", B(0xB0, 0xF9, 0x01, 0xFD, 0x02), "b0/0 01 02"},
	{"sysex skipped", B(0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7, 0x90, 0x10, 0x20),
	 "90/0 10 20"},
	{"empty sysex", B(0xF0, 0xF7, 0xC0, 0x01), "c0/0 01 00"},
	{"long sysex", B(0xF0, 0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01, 0x01, 0x02, 0x03,
	                 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E,
	                 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
	                 0x1A, 0xF7, 0xB0, 0x01, 0x02),
	 "b0/0 01 02"},
	{"sysex with clock inside", B(0xF0, 0x01, 0xF8, 0x02, 0xF7, 0x80, 0x3C, 0x00),
	 "f8/0 00 00|80/0 3c 00"},
	{"sysex cancels running status", B(0x90, 0x3C, 0x64, 0xF0, 0x01, 0xF7, 0x3C, 0x00), "90/0 3c 64"},
	{"sysex ended by a status byte (no f7)", B(0xF0, 0x01, 0x02, 0xB0, 0x07, 0x10),
	 "b0/0 07 10"},
	{"truncated note dropped", B(0x90, 0x3C, 0xB0, 0x07, 0x10), "b0/0 07 10"},
	{"truncated at the end", B(0x90, 0x3C), ""},
	{"data without status", B(0x3C, 0x64, 0x90, 0x3C, 0x64), "90/0 3c 64"},
	{"f4/f5 undefined cancel running status", B(0x90, 0x3C, 0x64, 0xF4, 0x3C, 0x00), "90/0 3c 64"},
	{"song position, no running status after", B(0xF2, 0x01, 0x02, 0x03, 0x04),
	 "f2/0 01 02"},
	{"mtc quarter frame then channel", B(0xF1, 0x11, 0xC0, 0x02), "f1/0 11 00|c0/0 02 00"},
	{"tune request", B(0xF6), "f6/0 00 00"},
	{"stray f7", B(0xF7, 0x90, 0x01, 0x02), "90/0 01 02"},
};

static void
run_case(const struct pcase *c, bool bytewise)
{
	struct fl_midi_parser p;
	struct fl_midi_msg msgs[16];
	char got[256] = "";
	size_t n = 0;

	fl_midi_parser_init(&p);
	if (bytewise) {
		for (size_t i = 0; i < c->len; i++)
			if (fl_midi_parse_byte(&p, c->bytes[i], &msgs[n]) && n < 15)
				n++;
	} else {
		n = fl_midi_parse(&p, c->bytes, c->len, msgs, 16);
	}
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof(got) - used, "%s%02x/%x %02x %02x", i ? "|" : "",
		         msgs[i].status, msgs[i].channel, msgs[i].data1, msgs[i].data2);
	}
	CHECK_MSG(strcmp(got, c->expect) == 0, "%s (%s): got \"%s\", want \"%s\"", c->name,
	          bytewise ? "bytewise" : "buffer", got, c->expect);
}

static void
test_max_and_lengths(void)
{
	struct fl_midi_parser p;
	struct fl_midi_msg one[1];
	const uint8_t three[] = {0x90, 1, 2, 3, 4, 5, 6};

	fl_midi_parser_init(&p);
	CHECK(fl_midi_parse(&p, three, sizeof(three), one, 1) == 1);
	CHECK(one[0].data1 == 1 && one[0].data2 == 2);
	CHECK(fl_midi_data_len(0x80) == 2 && fl_midi_data_len(0xC5) == 1);
	CHECK(fl_midi_data_len(0xF4) == -1 && fl_midi_data_len(0x10) == -1);
	CHECK(fl_midi_data_len(0xF8) == 0 && fl_midi_data_len(0xF2) == 2);
}

/* Pseudo-random bytes never crash the parser and every message it emits is
 * well-formed. */
static void
test_fuzz(void)
{
	struct fl_midi_parser p;
	struct fl_midi_msg m;
	uint32_t x = 12345;
	int bad = 0, count = 0;

	fl_midi_parser_init(&p);
	for (int i = 0; i < 200000; i++) {
		x = x * 1664525u + 1013904223u;
		if (!fl_midi_parse_byte(&p, (uint8_t)(x >> 24), &m))
			continue;
		count++;
		if (m.status < 0x80 || m.data1 > 0x7F || m.data2 > 0x7F || m.channel > 15 ||
		    (m.status < 0xF0 && (m.status & 0x0F)) || fl_midi_data_len(m.status) < 0)
			bad++;
	}
	CHECK(count > 0);
	CHECK_MSG(bad == 0, "%d malformed messages", bad);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_case(&cases[i], false);
		run_case(&cases[i], true);
	}
	test_max_and_lengths();
	test_fuzz();
	return fl_check_summary("test_midi_parse");
}
