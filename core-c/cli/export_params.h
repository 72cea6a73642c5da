/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parameter sets in an exported video track. An ISO BMFF sample entry 'avc1' (H.264) or 'hvc1'
 * (H.265) tells a player that its configuration box holds every parameter set of the track; a
 * stream whose sets change on the way (a camera that switched resolution sends a new SPS in-band)
 * needs the entry that lets the samples carry their own, 'avc3' or 'hev1' (ISO/IEC 14496-15), as
 * packagers write it for in-band parameter sets (AWS MediaConvert's AVC3 packaging, HandBrake's
 * inline parameter sets). A stream that keeps its sets keeps the widest-read entry.
 */
#ifndef VALKKA_CLI_EXPORT_PARAMS_H
#define VALKKA_CLI_EXPORT_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libavformat/avformat.h>

/**
 * True when every parameter set (VPS, SPS, PPS) in the Annex B `data` of a `codec`
 * (valkka_codec_t) frame is byte for byte one of those in `config` (Annex B too).
 */
bool export_params_known(uint32_t codec, const uint8_t *config, size_t config_size,
                         const uint8_t *data, size_t size);

/**
 * The sample entry tag that lets the samples of `id` carry parameter sets in `format` ('avc3',
 * 'hev1'), when the format names that tag for `id`; 0 otherwise (no such tag: Matroska).
 */
uint32_t export_params_inband_tag(const AVOutputFormat *format, enum AVCodecID id);

/** True when a `format` track of `id` may carry changing parameter sets only with another tag. */
bool export_params_need_scan(const AVOutputFormat *format, enum AVCodecID id);

#endif
