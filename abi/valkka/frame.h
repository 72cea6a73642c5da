/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * frame.h: valkka_frame_t, the one unit that moves between sources, the recorder, decoders and the
 * shell: an encoded frame, a codec configuration, or a decoded picture.
 *
 * Frames are allocated by the core (from preallocated pools in the pipelines, so the steady state
 * allocates nothing) and lent to plugins and callbacks; plugins never allocate or free a frame, they
 * grow its buffer through the host table when needed.
 */
#ifndef VALKKA_FRAME_H
#define VALKKA_FRAME_H

#include <valkka/defs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a frame holds. Append only. */
typedef enum valkka_frame_kind {
  VALKKA_FRAME_NONE = 0,
  VALKKA_FRAME_ENCODED = 1, /**< one access unit (Annex B byte stream) */
  VALKKA_FRAME_DECODED = 2, /**< a picture: width, height, pixfmt, planes; or (since ABI 1.1,
                                 with an audio codec) sound: sample_rate, channels, samples */
  VALKKA_FRAME_CONFIG = 3 /**< codec configuration: SPS/PPS (H.264), VPS/SPS/PPS (H.265), Annex B */
} valkka_frame_kind_t;

/**
 * Codecs. Append only. Video: H264, H265. Audio (since ABI 1.1): a camera's sound is a stream of
 * its own; its ENCODED frames are single packets, every one a keyframe, and its CONFIG frame is
 * the VALKKA_AUDIO_CONFIG layout below.
 */
typedef enum valkka_codec {
  VALKKA_CODEC_NONE = 0,
  VALKKA_CODEC_H264 = 1,
  VALKKA_CODEC_H265 = 2,
  VALKKA_CODEC_AAC = 3,   /**< raw AAC frames (no ADTS); config carries the AudioSpecificConfig */
  VALKKA_CODEC_ALAW = 4,  /**< G.711 A-law; config carries no codec bytes */
  VALKKA_CODEC_MULAW = 5, /**< G.711 mu-law; config carries no codec bytes */
  VALKKA_CODEC_OPUS = 6   /**< Opus packets; config carries the OpusHead */
} valkka_codec_t;

/**
 * The payload of an audio stream's CONFIG frame: VALKKA_AUDIO_CONFIG_HEADER bytes, then the
 * codec's own configuration bytes (may be none):
 *   u32 little-endian sample rate in Hz, u16 little-endian channel count, u16 zero.
 * Since ABI 1.1.
 */
#define VALKKA_AUDIO_CONFIG_HEADER 8u

/** Colour range of decoded pictures (from the stream's VUI). Append only. Since ABI 1.1. */
typedef enum valkka_color_range {
  VALKKA_COLOR_RANGE_UNKNOWN = 0, /**< not signalled: show as limited */
  VALKKA_COLOR_RANGE_LIMITED = 1, /**< luma 16..235 ("TV", "MPEG") */
  VALKKA_COLOR_RANGE_FULL = 2     /**< luma 0..255 ("PC", "JPEG"; yuvj420p) */
} valkka_color_range_t;

/** YUV matrix of decoded pictures (from the stream's VUI). Append only. Since ABI 1.1. */
typedef enum valkka_color_space {
  VALKKA_COLOR_SPACE_UNKNOWN = 0, /**< not signalled: BT.601 below 720 lines, else BT.709 */
  VALKKA_COLOR_SPACE_BT601 = 1,
  VALKKA_COLOR_SPACE_BT709 = 2,
  VALKKA_COLOR_SPACE_BT2020 = 3
} valkka_color_space_t;

/** Pixel formats of decoded frames. Append only. */
typedef enum valkka_pixfmt {
  VALKKA_PIXFMT_NONE = 0,
  VALKKA_PIXFMT_YUV420P = 1, /**< 3 planes: Y, U, V (chroma halved both ways) */
  VALKKA_PIXFMT_NV12 = 2     /**< 2 planes: Y, interleaved UV */
} valkka_pixfmt_t;

/** Frame flags (bit set). Append only. */
#define VALKKA_FRAME_KEYFRAME 0x1u /**< decoding can start here (IDR / IRAP) */
/** Decode to reach a later frame (a seek target): the picture is not shown, and a decoder need
    not write its planes (valkka_decoder_vtable_t.receive). */
#define VALKKA_FRAME_DECODE_ONLY 0x2u

/**
 * A frame. The core allocates it and sets struct_size; readers of a frame handed to them may rely
 * on every field their headers know of (the core's frame is never smaller than ABI 1.0's).
 *
 * Encoded and config frames: `data[0..size)` is the payload. Decoded frames: `planes` point into
 * `data` (one contiguous buffer), `strides` are bytes per row.
 *
 * Time: `mstime` is wall-clock milliseconds since the Unix epoch. Encoded and config frames come
 * in decode order, and their `mstime` is the decode time, monotonic per stream; the presentation
 * time is `mstime + pts_offset` (pts_offset > 0 only for frames that a later frame in decode order
 * precedes on screen: B-frame streams). A decoded picture's `mstime` is its presentation time and
 * its pts_offset 0.
 */
typedef struct valkka_frame {
  uint32_t struct_size;
  uint32_t kind;      /**< valkka_frame_kind_t */
  uint32_t slot;      /**< in-process stream number */
  uint32_t stream_id; /**< on-disk stream id: set on frames read from a ValkkaFS, else 0 */
  uint32_t codec;     /**< valkka_codec_t */
  uint32_t flags;     /**< VALKKA_FRAME_* bits */
  int64_t mstime;     /**< wall-clock ms since the epoch */
  uint8_t *data;      /**< buffer of `capacity` bytes, owned by the frame */
  uint32_t size;      /**< bytes of `data` in use */
  uint32_t capacity;  /**< bytes allocated at `data` */
  /* decoded frames only */
  uint32_t width;
  uint32_t height;
  uint32_t pixfmt; /**< valkka_pixfmt_t */
  uint32_t n_planes;
  uint8_t *planes[4];
  int32_t strides[4];
  /* core bookkeeping (pool membership); never read or written outside the core */
  void *internal;
  /* since ABI 1.1 (the core's frames always have these; it zeroes them before lending a frame) */
  int32_t pts_offset;   /**< ms from decode to presentation time, 0 ..= VALKKA_PTS_OFFSET_MAX */
  uint32_t color_range; /**< decoded frames: valkka_color_range_t */
  uint32_t color_space; /**< decoded frames: valkka_color_space_t */
  uint32_t reserved;    /**< zero */
  /* Decoded sound (valkka_frame_set_audio), since ABI 1.1: kind DECODED, `codec` the audio codec
     it came from, data[0..size) interleaved signed 16-bit samples in native byte order, one
     sample of every channel per sample frame: size = samples x channels x 2. */
  uint32_t sample_rate; /**< Hz */
  uint32_t channels;    /**< 1 ..= VALKKA_AUDIO_CHANNELS_MAX */
} valkka_frame_t;

/** The largest presentation offset a frame may carry (ms); larger ones are refused. */
#define VALKKA_PTS_OFFSET_MAX 10000

/**
 * Allocates a frame with a payload buffer of `capacity` bytes (0 allowed). For shells and tools;
 * pipelines take frames from their pools instead.
 * Ownership: the caller owns the frame and releases it with valkka_frame_free().
 * Errors: NULL with valkka_last_error() set (VALKKA_ENOMEM). Thread safety: any thread.
 * Since ABI 1.0.
 */
VALKKA_API valkka_frame_t *valkka_frame_new(uint32_t capacity);

/**
 * Releases a frame from valkka_frame_new() and its buffer. NULL is allowed and does nothing.
 * Frames lent by the core (in callbacks, pools) must not be freed. Since ABI 1.0.
 */
VALKKA_API void valkka_frame_free(valkka_frame_t *frame);

/**
 * Grows the buffer to at least `capacity` bytes, keeping the first `size` bytes. Never shrinks.
 * Planes of a decoded frame are invalid after a growth (call valkka_frame_set_picture again).
 * Errors: VALKKA_EINVAL (NULL), VALKKA_ENOMEM (buffer unchanged). Thread safety: the frame's
 * owner only. Since ABI 1.0.
 */
VALKKA_API int valkka_frame_reserve(valkka_frame_t *frame, uint32_t capacity);

/**
 * Copies `size` bytes into the frame's payload, growing it as needed, and sets `size`.
 * Errors: VALKKA_EINVAL (NULL frame, or NULL data with size > 0), VALKKA_ENOMEM.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_frame_set_payload(valkka_frame_t *frame, const void *data, uint32_t size);

/**
 * Makes the frame a DECODED picture of `width` x `height` in `pixfmt`: reserves one contiguous
 * buffer, sets n_planes, planes and strides (tightly packed rows, chroma rounded up) and size.
 * The pixels are left for the caller to fill.
 * Errors: VALKKA_EINVAL (NULL, a zero side or one over 16384, unknown pixfmt),
 * VALKKA_ENOMEM. Since ABI 1.0.
 */
VALKKA_API int valkka_frame_set_picture(valkka_frame_t *frame, uint32_t width, uint32_t height,
                                        valkka_pixfmt_t pixfmt);

/** The most channels decoded sound may have. */
#define VALKKA_AUDIO_CHANNELS_MAX 8u

/**
 * Makes the frame DECODED sound: `samples` sample frames of `channels` interleaved signed 16-bit
 * samples at `sample_rate` Hz. Reserves samples x channels x 2 bytes and sets size, sample_rate
 * and channels (width, height, pixfmt and planes become zero); the samples are left for the
 * caller to fill. `codec` and the times are the caller's to set.
 * Errors: VALKKA_EINVAL (NULL, a rate of 0 or over 768000, channels 0 or over
 * VALKKA_AUDIO_CHANNELS_MAX, over 1048576 samples), VALKKA_ENOMEM. Since ABI 1.1.
 */
VALKKA_API int valkka_frame_set_audio(valkka_frame_t *frame, uint32_t sample_rate,
                                      uint32_t channels, uint32_t samples);

/**
 * Deep copy of `src` into `dst` (all fields but `internal` and `capacity`; a decoded frame's
 * planes are rebased into dst's buffer). Errors: VALKKA_EINVAL, VALKKA_ENOMEM (dst unchanged
 * but for its capacity). Since ABI 1.0.
 */
VALKKA_API int valkka_frame_copy(valkka_frame_t *dst, const valkka_frame_t *src);

/**
 * Where a pipeline hands frames on: a ValkkaFS input (valkka_fs_sink), a shell's callback.
 * `frame` is borrowed for the call: a sink copies what it keeps. Runs on the producer's thread and
 * must not block: a sink that cannot take the frame drops it, counts it and returns VALKKA_EFULL.
 * Returns 0 when taken.
 */
typedef int (*valkka_frame_sink_fn)(void *user, const valkka_frame_t *frame);

/** "H264", "H265", "AAC", "ALAW", "MULAW", "OPUS" or "none". Static string. Since ABI 1.0. */
VALKKA_API const char *valkka_codec_name(valkka_codec_t codec);

/** 1 for the audio codecs, 0 for video and unknown ones. Thread safety: any. Since ABI 1.1. */
VALKKA_API int valkka_codec_is_audio(valkka_codec_t codec);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_FRAME_H */
