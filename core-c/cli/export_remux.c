/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka export`'s remux (export_remux.h): one stream of an FS, from the keyframe at or before
 * --from up to --to, into an MP4, MOV or Matroska file without re-encoding (libavformat). The stored CONFIG frame (Annex B parameter
 * sets) becomes the extradata, from which the mp4 muxer writes avcC (H.264) or hvcC (H.265) and
 * converts the Annex B frames to length-prefixed ones; decode timestamps are the frames' mstime,
 * in ms, from 0, and presentation timestamps add each frame's presentation offset. Blocks are
 * read one at a time and written as they come: memory holds one GOP.
 *
 * Parameter sets that change within the range (a camera switched resolution: a new SPS comes
 * in-band with a keyframe, and the recorder stores it as the stream's CONFIG) stay in the samples,
 * and the track's sample entry says so: 'avc3' instead of 'avc1' (export_params.h). Which one it
 * is must be known before the header is written, so for an H.264 track in MP4 or MOV the range is
 * read twice: first only to look at the parameter sets (it stops at the first change), then to
 * write. libvalkka stays free of FFmpeg: the remux lives here, in the CLI.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include <valkka/valkka.h>

#include "cli_util.h"
#include "commands.h"
#include "export_audio.h"
#include "export_params.h"
#include "export_remux.h"

#define DEFAULT_DURATION_MS 40

typedef struct stored {
  int64_t mstime; /* decode time */
  int32_t pts_offset;
  uint32_t flags, codec, size, cap;
  uint8_t *data;
} stored_t;

typedef struct exporter {
  const export_job_t *job;
  uint32_t stream_id;
  int64_t from, to;
  const char *path;
  int status;         /* the exit status once something failed */
  bool scanning;      /* the first of two passes: looks for parameter set changes, writes nothing */
  bool params_change; /* the range's parameter sets are not all the first configuration's */
  bool started, done;
  stored_t config;
  stored_t *gop; /* before the start: the frames since the last keyframe <= from */
  size_t n_gop, cap_gop;
  stored_t pending; /* written once the next frame tells its duration */
  bool has_pending;
  AVFormatContext *oc;
  AVStream *st;
  AVPacket *pkt;
  int64_t start_ms, previous_dts, previous_duration;
  size_t count;
  int64_t first_ms, last_ms;
  export_audio_t audio;
} exporter_t;

static int store(stored_t *s, const valkka_frame_t *f) {
  if (f->size > s->cap) {
    uint8_t *grown = realloc(s->data, f->size);
    if (!grown) return -1;
    s->data = grown;
    s->cap = f->size;
  }
  if (f->size) memcpy(s->data, f->data, f->size);
  s->size = f->size;
  s->mstime = f->mstime;
  s->pts_offset = f->pts_offset;
  s->flags = f->flags;
  s->codec = f->codec;
  return 0;
}

static int av_fail(exporter_t *e, int averr, const char *what) {
  char text[AV_ERROR_MAX_STRING_SIZE] = "";
  av_strerror(averr, text, sizeof text);
  return e->status = cli_fail("export: %s %s: %s", what, e->path, text);
}

/* Width and height from the parameter sets, through libavcodec's parser. */
static void picture_size(enum AVCodecID id, const stored_t *config, const stored_t *key, int *w,
                         int *h) {
  AVCodecParserContext *parser = av_parser_init(id);
  AVCodecContext *ctx = avcodec_alloc_context3(NULL);
  const size_t n = (size_t)config->size + key->size;
  uint8_t *buf = av_mallocz(n + AV_INPUT_BUFFER_PADDING_SIZE);
  if (parser && ctx && buf) {
    memcpy(buf, config->data, config->size);
    memcpy(buf + config->size, key->data, key->size);
    uint8_t *out = NULL;
    int out_size = 0;
    av_parser_parse2(parser, ctx, &out, &out_size, buf, (int)n, AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
    av_parser_parse2(parser, ctx, &out, &out_size, NULL, 0, AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
    *w = parser->width > 0 ? parser->width : ctx->width;
    *h = parser->height > 0 ? parser->height : ctx->height;
  }
  av_free(buf);
  avcodec_free_context(&ctx);
  if (parser) av_parser_close(parser);
}

/* Opens the file and writes the header; `key` is the first frame. */
static int open_output(exporter_t *e, const stored_t *key) {
  if (!e->config.size)
    return e->status = cli_fail("export: stream %u: no codec configuration before its keyframe",
                                e->stream_id);
  enum AVCodecID id = key->codec == VALKKA_CODEC_H265 ? AV_CODEC_ID_HEVC : AV_CODEC_ID_H264;
  /* The file's name goes in too: faststart reopens it to move the moov atom. */
  int err = avformat_alloc_output_context2(&e->oc, NULL, e->job->container->name, e->job->file);
  if (err < 0) return av_fail(e, err, "cannot set up");
  if (!(e->st = avformat_new_stream(e->oc, NULL)) || !(e->pkt = av_packet_alloc()) ||
      !(e->st->codecpar->extradata = av_mallocz(e->config.size + AV_INPUT_BUFFER_PADDING_SIZE)))
    return e->status = cli_fail("export: out of memory");
  e->st->time_base = (AVRational){1, 1000};
  e->st->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
  e->st->codecpar->codec_id = id;
  picture_size(id, &e->config, key, &e->st->codecpar->width, &e->st->codecpar->height);
  memcpy(e->st->codecpar->extradata, e->config.data, e->config.size);
  e->st->codecpar->extradata_size = (int)e->config.size;
  if (e->params_change) e->st->codecpar->codec_tag = export_params_inband_tag(e->oc->oformat, id);
  if ((e->status = export_audio_add_stream(&e->audio, e->oc, e->path))) return e->status;
  if ((err = export_output_metadata(&e->oc->metadata, e->job->camera, e->job->recorder,
                                    key->mstime)) < 0)
    return av_fail(e, err, "cannot set the metadata of");
  if ((err = avio_open(&e->oc->pb, e->job->file, AVIO_FLAG_WRITE)) < 0)
    return av_fail(e, err, "cannot create");
  /* ISO BMFF: the index before the media, for players that start while the file downloads;
     every tag as a key of its own, so that `recorder` is kept. */
  AVDictionary *options = NULL;
  if (e->job->container->faststart)
    av_dict_set(&options, "movflags", "+faststart+use_metadata_tags", 0);
  err = avformat_write_header(e->oc, &options);
  av_dict_free(&options);
  if (err < 0) return av_fail(e, err, "cannot write the header of");
  e->start_ms = key->mstime;
  e->first_ms = key->mstime;
  e->previous_dts = -1;
  e->previous_duration = DEFAULT_DURATION_MS;
  e->started = true;
  return e->status = export_audio_start(&e->audio, e->oc, e->pkt, e->start_ms);
}

/* Writes the pending frame, lasting `duration` ms. */
static void write_pending(exporter_t *e, int64_t duration) {
  const stored_t *f = &e->pending;
  int64_t dts = f->mstime - e->start_ms;
  if (dts <= e->previous_dts) dts = e->previous_dts + 1; /* equal times still need rising stamps */
  int err = av_new_packet(e->pkt, (int)f->size);
  if (err < 0) {
    av_fail(e, err, "out of memory writing");
    return;
  }
  memcpy(e->pkt->data, f->data, f->size);
  e->pkt->stream_index = e->st->index;
  e->pkt->dts = dts;
  e->pkt->pts = dts + f->pts_offset; /* B-frames: shown later than decoded (ctts) */
  /* Where equal times were stamped apart above, a picture is still never shown before it is
     decoded. */
  if (e->pkt->pts < dts) e->pkt->pts = dts;
  e->pkt->duration = duration;
  if (f->flags & VALKKA_FRAME_KEYFRAME) e->pkt->flags |= AV_PKT_FLAG_KEY;
  av_packet_rescale_ts(e->pkt, (AVRational){1, 1000}, e->st->time_base);
  if ((err = av_interleaved_write_frame(e->oc, e->pkt)) < 0) av_fail(e, err, "cannot write to");
  av_packet_unref(e->pkt);
  e->previous_dts = dts;
  e->previous_duration = duration;
  e->count++;
  e->last_ms = f->mstime;
  e->has_pending = false;
}

/* A frame of the range on the first pass: do its parameter sets differ from the first ones? */
static void scan(exporter_t *e, const uint8_t *data, uint32_t size, uint32_t codec) {
  e->started = true;
  if (!export_params_known(codec, e->config.data, e->config.size, data, size)) {
    e->params_change = true;
    e->done = true; /* one change is enough to know */
  }
}

/* Hands one frame to the output: the one before it is written now that its duration is known. */
static void emit(exporter_t *e, const stored_t *f) {
  if (e->scanning) {
    scan(e, f->data, f->size, f->codec);
    return;
  }
  if (!e->started && open_output(e, f)) return;
  if (e->has_pending) {
    int64_t d = f->mstime - e->pending.mstime;
    write_pending(e, d > 0 ? d : e->previous_duration);
    if (e->status) return;
  }
  valkka_frame_t view = {.struct_size = sizeof view,
                         .mstime = f->mstime,
                         .pts_offset = f->pts_offset,
                         .flags = f->flags,
                         .codec = f->codec,
                         .data = f->data,
                         .size = f->size};
  if (store(&e->pending, &view)) e->status = cli_fail("export: out of memory");
  e->has_pending = true;
}

static void flush_gop(exporter_t *e) {
  for (size_t i = 0; i < e->n_gop && !e->status; i++) emit(e, &e->gop[i]);
  e->n_gop = 0;
}

static int gop_append(exporter_t *e, const valkka_frame_t *f) {
  if (e->n_gop == e->cap_gop) {
    size_t cap = e->cap_gop ? e->cap_gop * 2 : 64;
    stored_t *grown = realloc(e->gop, cap * sizeof *grown);
    if (!grown) return -1;
    memset(grown + e->cap_gop, 0, (cap - e->cap_gop) * sizeof *grown);
    e->gop = grown;
    e->cap_gop = cap;
  }
  return store(&e->gop[e->n_gop++], f);
}

/* The block sink: the stream's frames in write order (= time order). */
static int take(void *user, const valkka_frame_t *f) {
  exporter_t *e = user;
  if (e->audio.id && f->stream_id == e->audio.id && !e->done && !e->status && !e->scanning)
    e->status = export_audio_take(&e->audio, e->oc, e->pkt, f);
  if (f->stream_id != e->stream_id) return e->status ? VALKKA_EINTR : 0;
  if (e->done || e->status) return VALKKA_EINTR;
  if (f->kind == VALKKA_FRAME_CONFIG) {
    /* Before the start it is the extradata; later ones are in-band anyway (the muxer keeps one),
       and the first pass looks whether they differ from it. */
    if (!e->started && store(&e->config, f)) e->status = cli_fail("export: out of memory");
    if (e->started && e->scanning && f->mstime <= e->to) scan(e, f->data, f->size, f->codec);
    return e->done ? VALKKA_EINTR : 0;
  }
  if (f->kind != VALKKA_FRAME_ENCODED) return 0;
  const bool key = (f->flags & VALKKA_FRAME_KEYFRAME) != 0;
  if (f->mstime > e->to) {
    e->done = true;
    return VALKKA_EINTR;
  }
  export_progress_at(e->job->progress, f->mstime);
  if (e->started) {
    stored_t view = {f->mstime, f->pts_offset, f->flags, f->codec, f->size, f->size, f->data};
    emit(e, &view);
  } else if (f->mstime <= e->from) {
    /* The pre-roll: from the latest keyframe at or before --from. */
    if (key) e->n_gop = 0;
    if ((key || e->n_gop) && gop_append(e, f)) e->status = cli_fail("export: out of memory");
  } else if (e->n_gop || key) {
    /* The first frame after --from: the pre-roll (or this keyframe) starts the file. */
    if (gop_append(e, f))
      e->status = cli_fail("export: out of memory");
    else
      flush_gop(e);
  }
  return e->status ? VALKKA_EINTR : 0;
}

static void finish(exporter_t *e) {
  if (!e->status && !e->started && e->n_gop) flush_gop(e);
  if (!e->status && e->has_pending) write_pending(e, e->previous_duration);
  if (!e->status && !e->started)
    e->status = cli_fail("export: stream %u has no keyframe between the start of --from's GOP "
                         "and --to",
                         e->stream_id);
  int err;
  if (!e->status && (err = av_write_trailer(e->oc)) < 0) av_fail(e, err, "cannot finish");
  av_packet_free(&e->pkt);
  if (e->oc && e->oc->pb) avio_closep(&e->oc->pb);
  avformat_free_context(e->oc);
  for (size_t i = 0; i < e->cap_gop; i++) free(e->gop[i].data);
  free(e->gop);
  free(e->config.data);
  free(e->pending.data);
  export_audio_free(&e->audio);
}

/* Reads getInd(from, to) block by block: every frame in range and the keyframe before `from`. */
static int run(valkka_fs_t *fs, exporter_t *e) {
  int n = valkka_fs_get_ind(fs, e->from, e->to, NULL, 0);
  if (n < 0) return cli_fail_code(n, "export");
  if (n == 0) return cli_fail("export: nothing is recorded between --from and --to");
  uint32_t *blocks = malloc((size_t)n * sizeof *blocks);
  if (!blocks) return cli_fail("export: out of memory");
  n = valkka_fs_get_ind(fs, e->from, e->to, blocks, (uint32_t)n);
  if (n > 0 && !e->scanning) export_audio_find(fs, e->stream_id, blocks[0], &e->audio);
  for (int i = 0; i < n && !e->done && !e->status; i++) {
    int r = valkka_fs_read_block(fs, blocks[i], take, e);
    if (r < 0 && r != VALKKA_EINTR && !e->status) e->status = cli_fail_code(r, "export");
  }
  free(blocks);
  return e->status;
}

/* The codec of stream `id` as the FS's stream table names it; AV_CODEC_ID_NONE when unknown. */
static enum AVCodecID stream_codec(valkka_fs_t *fs, uint32_t id) {
  valkka_fs_stream_info_t *streams = NULL;
  const int n = cli_fs_streams(fs, &streams);
  enum AVCodecID codec = AV_CODEC_ID_NONE;
  for (int i = 0; i < n; i++)
    if (streams[i].stream_id == id)
      codec = streams[i].codec == VALKKA_CODEC_H264   ? AV_CODEC_ID_H264
              : streams[i].codec == VALKKA_CODEC_H265 ? AV_CODEC_ID_HEVC
                                                      : AV_CODEC_ID_NONE;
  free(streams);
  return codec;
}

/* The first pass, when the container's sample entry depends on it: sets e->params_change. */
static void scan_params(valkka_fs_t *fs, exporter_t *e) {
  const AVOutputFormat *format = av_guess_format(e->job->container->name, NULL, NULL);
  if (!format || !export_params_need_scan(format, stream_codec(fs, e->stream_id))) return;
  e->job->progress->passes = 2;
  e->scanning = true;
  const int status = run(fs, e);
  export_progress_pass_done(e->job->progress);
  if (status && !e->status) e->status = status; /* said once: the second pass is not made */
  e->scanning = false;
  e->started = e->done = false;
  e->n_gop = 0;
  e->config.size = 0;
}

int export_remux(valkka_fs_t *fs, const export_job_t *job, export_result_t *result) {
  exporter_t e = {
      .job = job, .stream_id = job->stream_id, .from = job->from, .to = job->to, .path = job->path};
  scan_params(fs, &e);
  if (!e.status) run(fs, &e);
  finish(&e);
  *result = (export_result_t){.count = e.count,
                              .first_ms = e.first_ms,
                              .last_ms = e.last_ms,
                              .audio_count = e.audio.count,
                              .audio_id = e.audio.id,
                              .audio_codec = e.audio.codec};
  return e.status;
}
