/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdbool.h>
#include <string.h>

#include <libavutil/pixdesc.h>

#include "picture_copy.h"

static void copy_plane(uint8_t *dst, int dst_stride, const uint8_t *src, int src_stride,
                       int row_bytes, int rows) {
  for (int y = 0; y < rows; y++)
    memcpy(dst + (ptrdiff_t)y * dst_stride, src + (ptrdiff_t)y * src_stride, (size_t)row_bytes);
}

static int convert(const valkka_host_t *host, const char *module, const AVFrame *src,
                   valkka_frame_t *dst, struct SwsContext **sws) {
  *sws = sws_getCachedContext(*sws, src->width, src->height, src->format, src->width, src->height,
                              AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
  if (!*sws)
    return host->error_set(VALKKA_EDECODE, "%s: no conversion from %s to yuv420p", module,
                           av_get_pix_fmt_name(src->format));
  int strides[4] = {dst->strides[0], dst->strides[1], dst->strides[2], 0};
  uint8_t *planes[4] = {dst->planes[0], dst->planes[1], dst->planes[2], NULL};
  sws_scale(*sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, planes,
            strides);
  return 0;
}

static uint32_t color_space_of(enum AVColorSpace space) {
  switch (space) {
    case AVCOL_SPC_BT709: return VALKKA_COLOR_SPACE_BT709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return VALKKA_COLOR_SPACE_BT601;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return VALKKA_COLOR_SPACE_BT2020;
    default: return VALKKA_COLOR_SPACE_UNKNOWN;
  }
}

/* What the stream signals; a picture swscale converted is limited range (its yuv420p output). */
static void take_colors(const AVFrame *src, bool converted, valkka_frame_t *dst) {
  if (!VALKKA_HAS_FIELD(dst, valkka_frame_t, color_space)) return;
  bool full = src->color_range == AVCOL_RANGE_JPEG || src->format == AV_PIX_FMT_YUVJ420P;
  dst->color_range = converted                              ? VALKKA_COLOR_RANGE_LIMITED
                     : full                                 ? VALKKA_COLOR_RANGE_FULL
                     : src->color_range == AVCOL_RANGE_MPEG ? VALKKA_COLOR_RANGE_LIMITED
                                                            : VALKKA_COLOR_RANGE_UNKNOWN;
  dst->color_space = color_space_of(src->colorspace);
}

/* `dst` laid out for a picture of src's size whose pixels are in `format`: NV12 as NV12, YUV420P
   and its full-range twin YUVJ420P as YUV420P, anything else converted to YUV420P. */
static int lay_out(const valkka_host_t *host, const AVFrame *src, int format, valkka_frame_t *dst) {
  const bool nv12 = format == AV_PIX_FMT_NV12;
  int err = host->frame_set_picture(dst, (uint32_t)src->width, (uint32_t)src->height,
                                    nv12 ? VALKKA_PIXFMT_NV12 : VALKKA_PIXFMT_YUV420P);
  if (!err)
    take_colors(src, !nv12 && format != AV_PIX_FMT_YUV420P && format != AV_PIX_FMT_YUVJ420P, dst);
  return err;
}

int picture_copy(const valkka_host_t *host, const char *module, const AVFrame *src,
                 valkka_frame_t *dst, struct SwsContext **sws) {
  int w = src->width, h = src->height, cw = (w + 1) / 2, ch = (h + 1) / 2;
  int err = lay_out(host, src, src->format, dst);
  if (err) return err;
  switch (src->format) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P: /* the same layout; only the range differs */
      copy_plane(dst->planes[0], dst->strides[0], src->data[0], src->linesize[0], w, h);
      copy_plane(dst->planes[1], dst->strides[1], src->data[1], src->linesize[1], cw, ch);
      copy_plane(dst->planes[2], dst->strides[2], src->data[2], src->linesize[2], cw, ch);
      return 0;
    case AV_PIX_FMT_NV12:
      copy_plane(dst->planes[0], dst->strides[0], src->data[0], src->linesize[0], w, h);
      copy_plane(dst->planes[1], dst->strides[1], src->data[1], src->linesize[1], 2 * cw, ch);
      return 0;
    default: return convert(host, module, src, dst, sws);
  }
}

int picture_lay_out(const valkka_host_t *host, const AVFrame *src, valkka_frame_t *dst) {
  /* A picture in device memory comes to system memory as NV12 (media_decoder.c). */
  return lay_out(host, src, src->hw_frames_ctx ? AV_PIX_FMT_NV12 : src->format, dst);
}
