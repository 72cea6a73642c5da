/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>

#include "cli_util.h"
#include "commands.h"
#include "export_audio.h"

typedef struct first_config {
  uint32_t id;
  export_audio_t *a;
} first_config_t;

static int take_config(void *user, const valkka_frame_t *f) {
  first_config_t *fc = user;
  if (f->stream_id != fc->id || f->kind != VALKKA_FRAME_CONFIG) return 0;
  if (f->size < VALKKA_AUDIO_CONFIG_HEADER || !(fc->a->config = malloc(f->size))) return 0;
  memcpy(fc->a->config, f->data, f->size);
  fc->a->config_size = f->size;
  fc->a->codec = f->codec;
  return VALKKA_EINTR;
}

void export_audio_find(valkka_fs_t *fs, uint32_t video_id, uint32_t first_block,
                       export_audio_t *a) {
  valkka_fs_stream_info_t *streams = NULL;
  const int n = cli_fs_streams(fs, &streams);
  for (int i = 0; i < n && !a->id; i++)
    if (streams[i].camera_id == video_id && valkka_codec_is_audio(streams[i].codec))
      a->id = streams[i].stream_id;
  free(streams);
  if (!a->id) return;
  first_config_t fc = {a->id, a};
  valkka_fs_read_block(fs, first_block, take_config, &fc);
  if (!a->config) a->id = 0; /* no configuration before the range: nothing decodable */
}

static uint32_t le(const uint8_t *p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

int export_audio_add_stream(export_audio_t *a, AVFormatContext *oc, const char *path) {
  if (!a->id) return 0;
  enum AVCodecID id = a->codec == VALKKA_CODEC_AAC     ? AV_CODEC_ID_AAC
                      : a->codec == VALKKA_CODEC_OPUS  ? AV_CODEC_ID_OPUS
                      : a->codec == VALKKA_CODEC_ALAW  ? AV_CODEC_ID_PCM_ALAW
                      : a->codec == VALKKA_CODEC_MULAW ? AV_CODEC_ID_PCM_MULAW
                                                       : AV_CODEC_ID_NONE;
  /* Unofficial: Matroska holds G.711 as an ACM (WAVE format) track, which libavformat does not
     count as normal compliance; MP4 takes it at no level. */
  if (avformat_query_codec(oc->oformat, id, FF_COMPLIANCE_UNOFFICIAL) != 1)
    return cli_fail("export: %s: a %s file cannot hold the camera's %s sound (stream %u): export "
                    "to .mkv or .mov, which can",
                    path, oc->oformat->name, valkka_codec_name((valkka_codec_t)a->codec), a->id);
  const uint32_t extra = a->config_size - VALKKA_AUDIO_CONFIG_HEADER;
  if (!(a->st = avformat_new_stream(oc, NULL)) ||
      (extra && !(a->st->codecpar->extradata = av_mallocz(extra + AV_INPUT_BUFFER_PADDING_SIZE))))
    return cli_fail("export: out of memory");
  AVCodecParameters *par = a->st->codecpar;
  par->codec_type = AVMEDIA_TYPE_AUDIO;
  par->codec_id = id;
  par->sample_rate = (int)le(a->config, 4);
  av_channel_layout_default(&par->ch_layout, (int)le(a->config + 4, 2));
  if (extra) memcpy(par->extradata, a->config + VALKKA_AUDIO_CONFIG_HEADER, extra);
  par->extradata_size = (int)extra;
  if (id == AV_CODEC_ID_AAC) par->frame_size = 1024;
  a->st->time_base = (AVRational){1, 1000};
  return 0;
}

static int write_one(export_audio_t *a, AVFormatContext *oc, AVPacket *pkt, int64_t mstime,
                     const uint8_t *data, uint32_t size) {
  if (mstime < a->start_ms) return 0;
  int err = av_new_packet(pkt, (int)size);
  if (err < 0) return cli_fail("export: out of memory");
  memcpy(pkt->data, data, size);
  pkt->stream_index = a->st->index;
  pkt->pts = pkt->dts = mstime - a->start_ms;
  pkt->flags |= AV_PKT_FLAG_KEY;
  av_packet_rescale_ts(pkt, (AVRational){1, 1000}, a->st->time_base);
  if ((err = av_interleaved_write_frame(oc, pkt)) < 0) {
    char text[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(err, text, sizeof text);
    return cli_fail("export: cannot write sound: %s", text);
  }
  if (!a->count) a->first_ms = mstime;
  a->last_ms = mstime;
  a->count++;
  return 0;
}

int export_audio_take(export_audio_t *a, AVFormatContext *oc, AVPacket *pkt,
                      const valkka_frame_t *f) {
  if (!a->id || f->stream_id != a->id || f->kind != VALKKA_FRAME_ENCODED || !f->size) return 0;
  if (a->open) return write_one(a, oc, pkt, f->mstime, f->data, f->size);
  if (a->n_held == a->cap_held) {
    size_t cap = a->cap_held ? 2 * a->cap_held : 256;
    export_audio_frame_t *grown = realloc(a->held, cap * sizeof *grown);
    if (!grown) return cli_fail("export: out of memory");
    a->held = grown;
    a->cap_held = cap;
  }
  export_audio_frame_t *h = &a->held[a->n_held];
  if (!(h->data = malloc(f->size))) return cli_fail("export: out of memory");
  memcpy(h->data, f->data, f->size);
  h->size = f->size;
  h->mstime = f->mstime;
  a->n_held++;
  return 0;
}

int export_audio_start(export_audio_t *a, AVFormatContext *oc, AVPacket *pkt, int64_t start_ms) {
  a->start_ms = start_ms;
  a->open = a->st != NULL;
  int status = 0;
  for (size_t i = 0; i < a->n_held && a->open && !status; i++)
    status = write_one(a, oc, pkt, a->held[i].mstime, a->held[i].data, a->held[i].size);
  for (size_t i = 0; i < a->n_held; i++) free(a->held[i].data);
  a->n_held = 0;
  return status;
}

void export_audio_free(export_audio_t *a) {
  for (size_t i = 0; i < a->n_held; i++) free(a->held[i].data);
  free(a->held);
  free(a->config);
}
