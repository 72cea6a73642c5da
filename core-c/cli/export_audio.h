/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sound of an exported camera: its audio stream (found through the FS's stream table), muxed
 * beside the video without re-encoding. MP4 takes AAC and Opus; G.711 needs a container that
 * takes it (.mkv, .mov), and export says so instead of transcoding it.
 */
#ifndef VALKKA_CLI_EXPORT_AUDIO_H
#define VALKKA_CLI_EXPORT_AUDIO_H

#include <stdbool.h>
#include <stdint.h>

#include <libavformat/avformat.h>
#include <valkka/valkka.h>

typedef struct export_audio_frame {
  int64_t mstime;
  uint32_t size;
  uint8_t *data;
} export_audio_frame_t;

typedef struct export_audio {
  uint32_t id; /* 0: the camera has no audio stream (or its configuration was not found) */
  uint32_t codec;
  uint8_t *config; /* the CONFIG payload (frame.h) */
  uint32_t config_size;
  AVStream *st;
  export_audio_frame_t *held; /* read before the output opened */
  size_t n_held, cap_held;
  int64_t start_ms; /* the video's first decode time: audio before it is left out */
  bool open;
  size_t count;
  int64_t first_ms, last_ms;
} export_audio_t;

/**
 * Finds the audio stream of video stream `video_id` and its configuration in `first_block` (the
 * first block export reads). Nothing found is no error: the export is silent then.
 */
void export_audio_find(valkka_fs_t *fs, uint32_t video_id, uint32_t first_block, export_audio_t *a);

/** Adds the audio stream to `oc` before its header is written; 0, or an exit status. */
int export_audio_add_stream(export_audio_t *a, AVFormatContext *oc, const char *path);

/** Writes (or holds until the output opened) one audio frame; 0, or an exit status. */
int export_audio_take(export_audio_t *a, AVFormatContext *oc, AVPacket *pkt,
                      const valkka_frame_t *f);

/** The output is open and the video starts at `start_ms`: writes what was held. */
int export_audio_start(export_audio_t *a, AVFormatContext *oc, AVPacket *pkt, int64_t start_ms);

void export_audio_free(export_audio_t *a);

#endif
