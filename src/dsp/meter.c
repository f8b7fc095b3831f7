/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Meters; behaviour and threads are documented in meter.h. */
#include "dsp/meter.h"

#include <math.h>
#include <string.h>

void
fl_peak_meter_init(struct fl_peak_meter *m, float rate, float fall_db_per_s)
{
	memset(m, 0, sizeof *m);
	if (!(fall_db_per_s > 0.0f))
		fall_db_per_s = 20.0f;
	m->fall = powf(10.0f, -fall_db_per_s / (20.0f * rate));
}

/* One channel: the recursion is per sample; the fall reaches 0 without
 * subnormals because p is flushed below 1e-20. */
static void
peak_channel(struct fl_peak_meter *m, int ch, const float *x, uint32_t n)
{
	float p = m->p[ch], h = m->held[ch], f = m->fall;
	for (uint32_t i = 0; i < n; i++) {
		float a = fabsf(x[i]);
		a = isfinite(a) ? a : 0.0f;
		p *= f;
		p = a > p ? a : p;
		h = a > h ? a : h;
	}
	m->p[ch] = p < 1e-20f ? 0.0f : p;
	m->held[ch] = h;
}

void
fl_peak_meter_process(struct fl_peak_meter *m, const float *l, const float *r, uint32_t n)
{
	peak_channel(m, 0, l, n);
	peak_channel(m, 1, r, n);
}

float
fl_peak_meter_value(const struct fl_peak_meter *m, int ch)
{
	return m->p[ch & 1];
}

float
fl_peak_meter_read_max(struct fl_peak_meter *m, int ch)
{
	float h = m->held[ch & 1];
	m->held[ch & 1] = 0.0f;
	return h;
}

void
fl_rms_meter_init(struct fl_rms_meter *m, float rate, float window_ms)
{
	memset(m, 0, sizeof *m);
	if (!(window_ms >= 10.0f))
		window_ms = isnan(window_ms) ? 300.0f : 10.0f;
	float subs = window_ms * 0.001f * rate / FL_RMS_SUB;
	m->subs = (uint32_t)lrintf(subs);
	if (m->subs > FL_RMS_MAX_SUBS)
		m->subs = FL_RMS_MAX_SUBS;
	if (m->subs < 1)
		m->subs = 1;
}

void
fl_rms_meter_reset(struct fl_rms_meter *m)
{
	uint32_t subs = m->subs;
	memset(m, 0, sizeof *m);
	m->subs = subs;
}

/* Closes the current sub-block: it replaces the oldest one in the ring. */
static void
close_sub(struct fl_rms_meter *m)
{
	for (int ch = 0; ch < 2; ch++) {
		m->total[ch] += m->part[ch] - m->ring[ch][m->pos];
		m->ring[ch][m->pos] = m->part[ch];
		m->part[ch] = 0.0;
	}
	m->fill = 0;
	if (++m->pos == m->subs) {
		m->pos = 0;
		for (int ch = 0; ch < 2; ch++) {
			double s = 0.0;
			for (uint32_t i = 0; i < m->subs; i++)
				s += m->ring[ch][i];
			m->total[ch] = s;
		}
	}
}

void
fl_rms_meter_process(struct fl_rms_meter *m, const float *l, const float *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		double a = isfinite(l[i]) ? (double)l[i] : 0.0, b = isfinite(r[i]) ? (double)r[i] : 0.0;
		m->part[0] += a * a;
		m->part[1] += b * b;
		if (++m->fill == FL_RMS_SUB)
			close_sub(m);
	}
}

float
fl_rms_meter_value(const struct fl_rms_meter *m, int ch)
{
	ch &= 1;
	/* The oldest sub-block is partly outside the window: weigh it by the
	 * part the current sub-block has not yet replaced. */
	double oldest = m->ring[ch][m->pos];
	double s = m->total[ch] - oldest * (double)m->fill / FL_RMS_SUB + m->part[ch];
	double len = (double)m->subs * FL_RMS_SUB;
	return (float)sqrt(s > 0.0 ? s / len : 0.0);
}

void
fl_gr_meter_push(struct fl_gr_meter *m, float gr_db)
{
	if (gr_db < m->deepest_db)
		m->deepest_db = gr_db;
}

float
fl_gr_meter_read(struct fl_gr_meter *m)
{
	float v = m->deepest_db;
	m->deepest_db = 0.0f;
	return v;
}
