/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "input/midi_parse.h"

#include <string.h>

void
fl_midi_parser_init(struct fl_midi_parser *p)
{
	memset(p, 0, sizeof(*p));
}

int
fl_midi_data_len(uint8_t status)
{
	if (status < 0x80)
		return -1;
	if (status < 0xF0)
		return (status & 0xF0) == 0xC0 || (status & 0xF0) == 0xD0 ? 1 : 2;
	switch (status) {
	case 0xF1: /* MTC quarter frame */
	case 0xF3: /* song select */
		return 1;
	case 0xF2: /* song position */
		return 2;
	case 0xF0: /* SysEx: its data is skipped, not collected */
	case 0xF6: /* tune request */
	case 0xF7: /* end of SysEx */
	case 0xF8: case 0xFA: case 0xFB: case 0xFC: case 0xFE: case 0xFF:
		return 0;
	default: /* F4, F5, F9, FD: undefined */
		return -1;
	}
}

static void
make_msg(uint8_t status, const uint8_t *data, uint8_t n, struct fl_midi_msg *out)
{
	out->status = status < 0xF0 ? (uint8_t)(status & 0xF0) : status;
	out->channel = status < 0xF0 ? (uint8_t)(status & 0x0F) : 0;
	out->data1 = n > 0 ? data[0] : 0;
	out->data2 = n > 1 ? data[1] : 0;
}

/* A status byte below F8: starts a message, ends a SysEx, or is ignored. */
static bool
status_byte(struct fl_midi_parser *p, uint8_t byte, struct fl_midi_msg *out)
{
	int len = fl_midi_data_len(byte);

	p->sysex = byte == 0xF0;
	p->have = 0;
	if (byte >= 0xF0) {
		/* System common (and undefined) bytes cancel running status. */
		p->running = 0;
		p->need = 0;
		if (len <= 0 || byte == 0xF0) {
			if (byte == 0xF6) {
				make_msg(byte, p->data, 0, out);
				return true;
			}
			return false; /* F0, F7, F4, F5 */
		}
		p->running = byte; /* collect F1/F2/F3 data, then drop it */
		p->need = (uint8_t)len;
		return false;
	}
	p->running = byte;
	p->need = (uint8_t)len;
	return false;
}

bool
fl_midi_parse_byte(struct fl_midi_parser *p, uint8_t byte, struct fl_midi_msg *out)
{
	if (byte >= 0xF8) {
		/* Realtime: never disturbs the message around it. */
		if (fl_midi_data_len(byte) < 0)
			return false;
		make_msg(byte, p->data, 0, out);
		return true;
	}
	if (byte & 0x80)
		return status_byte(p, byte, out);
	if (p->sysex || !p->running)
		return false; /* SysEx payload, or data with no status */
	p->data[p->have++] = byte;
	if (p->have < p->need)
		return false;
	make_msg(p->running, p->data, p->have, out);
	p->have = 0;
	if (p->running >= 0xF0)
		p->running = 0; /* system common messages have no running status */
	return true;
}

size_t
fl_midi_parse(struct fl_midi_parser *p, const uint8_t *bytes, size_t len,
              struct fl_midi_msg *out, size_t max)
{
	size_t n = 0;
	struct fl_midi_msg m;

	for (size_t i = 0; i < len; i++) {
		if (!fl_midi_parse_byte(p, bytes[i], &m))
			continue;
		if (n < max)
			out[n] = m;
		n += n < max;
	}
	return n;
}
