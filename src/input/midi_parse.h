/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A MIDI 1.0 byte-stream parser: bytes in, complete short messages out.
 *
 * Handles running status, realtime bytes (F8..FF) anywhere (even inside
 * another message or a SysEx, which they do not disturb), SysEx of any length
 * (skipped: no buffer grows), truncated messages (dropped when a new status
 * byte arrives before their data is complete) and undefined status bytes
 * (F4, F5, F9, FD: ignored; F4/F5 also cancel running status, as system
 * common messages do). Stray data bytes with no status are ignored.
 *
 * Pure and bounded: one small struct of state, no allocation, so it can run
 * on any thread (one parser per byte stream). */
#ifndef FL_INPUT_MIDI_PARSE_H
#define FL_INPUT_MIDI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* status: for channel messages the high nibble (0x80 note off, 0x90 note on,
 * 0xA0, 0xB0 CC, 0xC0 program, 0xD0, 0xE0 pitch bend) with channel 0..15;
 * for system messages the whole byte (0xF1..0xFF) and channel 0. data bytes
 * the message lacks are 0. A note on with velocity 0 stays a note on here
 * (mappers treat it as a note off). */
struct fl_midi_msg {
	uint8_t status;
	uint8_t channel;
	uint8_t data1;
	uint8_t data2;
};

struct fl_midi_parser {
	uint8_t running; ///< status byte in force (0 = none)
	uint8_t need;    ///< data bytes the current message needs
	uint8_t have;    ///< data bytes collected
	uint8_t data[2];
	bool sysex;      ///< inside F0 ... F7
};

void fl_midi_parser_init(struct fl_midi_parser *p);

/* Feeds one byte; true when it completed a message, written to *out. */
bool fl_midi_parse_byte(struct fl_midi_parser *p, uint8_t byte, struct fl_midi_msg *out);

/* Feeds len bytes; writes up to max messages to out and returns how many
 * (messages beyond max are parsed and lost). */
size_t fl_midi_parse(struct fl_midi_parser *p, const uint8_t *bytes, size_t len,
                     struct fl_midi_msg *out, size_t max);

/* Number of data bytes a status byte takes, or -1 for a status the parser
 * ignores (undefined) or a data byte. */
int fl_midi_data_len(uint8_t status);

#endif
