/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live.h: the live pipeline. Cameras in, frames out: each camera gets a thread of its own that
 * opens a source plugin, reads its frames and hands every one to the camera's record sink
 * (typically a ValkkaFS input), reconnecting with capped exponential backoff when the source
 * fails. A camera may also have a decoded-frame callback: its frames then also go, through a
 * bounded queue that drops rather than waits, to a decoder thread (hardware where a VA-API device
 * opens, else software) whose pictures reach the callback. Recording never waits on decoding or
 * display.
 *
 * Threads and callbacks: every callback runs on one of the camera's threads (the source thread
 * for the record sink and status, the decoder thread for pictures), never while a lock of the
 * core is held. A callback must not block for long and must not destroy the live object. Of the
 * calls on its own live object a callback may make only valkka_live_get_stats() and
 * valkka_live_set_status_callback(): adding, removing and re-wiring cameras wait for camera
 * threads, so from a callback they fail with VALKKA_ESTATE instead of deadlocking.
 *
 * Credentials: a URL's user:password part never appears in logs or status reasons.
 */
#ifndef VALKKA_LIVE_H
#define VALKKA_LIVE_H

#include <valkka/defs.h>
#include <valkka/frame.h>
#include <valkka/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A set of live cameras and their threads. Opaque. */
typedef struct valkka_live valkka_live_t;

/** Where a camera's stream stands. Append only. */
typedef enum valkka_stream_state {
  VALKKA_STREAM_CONNECTING = 1,   /**< first connection attempt, no frame yet */
  VALKKA_STREAM_STREAMING = 2,    /**< frames arrive */
  VALKKA_STREAM_STALLED = 3,      /**< connected, but no frame for the stall time */
  VALKKA_STREAM_RECONNECTING = 4, /**< the source failed; waiting to try again */
  VALKKA_STREAM_FAILED = 5,       /**< given up (see valkka_live_config_t); the thread ended */
  VALKKA_STREAM_ENDED = 6         /**< a finite source (a file without loop) reached its end */
} valkka_stream_state_t;

/** "connecting", "streaming", ... or "unknown". Static string. Since ABI 1.0. */
VALKKA_API const char *valkka_stream_state_name(uint32_t state);

/**
 * Tuning of a live object. Zero in any field means its default. The core reads only the fields
 * struct_size covers.
 */
typedef struct valkka_live_config {
  uint32_t struct_size;
  /** No frame for this long: STALLED (default 5000 ms). */
  uint32_t stall_ms;
  /** No frame for this long: the source is closed and reopened (default 3 x stall_ms). */
  uint32_t stall_reconnect_ms;
  /** First wait before reconnecting (default 500 ms); doubles after each failure... */
  uint32_t backoff_initial_ms;
  /** ...up to this cap (default 10000 ms). */
  uint32_t backoff_max_ms;
  /** Consecutive failures before FAILED (default 0: never give up). */
  uint32_t max_attempts;
  /** Frames the decoder queue holds before it drops (default 25). */
  uint32_t decode_queue;
  /** Threads of each camera's decoder (default 1). */
  uint32_t decode_threads;
  /**
   * Consecutive failures that only a change of settings mends before FAILED, whatever
   * max_attempts says: VALKKA_ENOENT (a file missing, an RTSP or HTTP 404) and VALKKA_EACCES
   * (401, 403: a wrong user or password). Default 3: a camera starting up may answer so for a
   * moment. UINT32_MAX: retry them as any other failure. Since ABI 1.4.
   */
  uint32_t settings_attempts;
} valkka_live_config_t;

/**
 * Creates an empty live object. `config` may be NULL (all defaults); it is copied.
 * Plugins are looked up when cameras are added (valkka_plugins_load() is called then if needed).
 * Ownership: the caller destroys it with valkka_live_destroy(). Errors: NULL with
 * valkka_last_error() set (VALKKA_EINVAL for a too-small struct_size, VALKKA_ENOMEM).
 * Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API valkka_live_t *valkka_live_create(const valkka_live_config_t *config);

/**
 * Stops every camera (interrupting blocked reads; a source that is still connecting is waited
 * for), joins every thread and frees the object. NULL is allowed and does nothing. No callback
 * runs after it returns. Must not be called from a callback of this object (it would wait for
 * itself: it then logs an error and leaves the object alone). Thread safety: any thread but the
 * live object's own, once; no other call on `live` may run concurrently or follow.
 * Since ABI 1.0.
 */
VALKKA_API void valkka_live_destroy(valkka_live_t *live);

/** A camera to add. Every pointer is borrowed for the call: the core copies what it keeps. */
typedef struct valkka_camera {
  uint32_t struct_size; /**< sizeof(valkka_camera_t) */
  uint32_t slot;        /**< stamped on every frame; unique within the live object */
  const char *name;     /**< shown in status and logs; NULL: "camera <slot>" */
  const char *url;      /**< rtsp://user:pass@host/path, synthetic://N, a file path; required */
  /**
   * Source plugin name; NULL chooses by the URL's scheme: rtsp:// and rtsps:// "source-rtsp",
   * synthetic:// "source-synthetic", valkkafs:// the core's own reader of a stream another process
   * records ("valkkafs:///ABSOLUTE/DIR?stream=ID"; since ABI 1.3 also that of an FS an
   * HTTP server serves, "valkkafs://https://HOST/PATH?stream=ID", opened with the camera's
   * options as its storage options: "ca_file", "bearer_token_file"), anything else "source-file".
   */
  const char *source;
  /**
   * Handed to the source's open(); may be NULL. The core reads two itself: "decoder" (the
   * decoded-frame branch's plugin: "auto", the default, tries "codec-vaapi" and falls back to
   * "codec-ffmpeg" when it has no device, logging why once per process; or a decoder plugin's
   * name) and "decoder_device" (that decoder's "device" option, e.g. /dev/dri/renderD128).
   */
  const valkka_option_t *options;
  size_t n_options;
  /* since ABI 1.1 */
  uint32_t flags;      /**< VALKKA_CAMERA_* */
  uint32_t audio_slot; /**< with VALKKA_CAMERA_AUDIO: the slot stamped on its audio frames */
} valkka_camera_t;

/**
 * valkka_camera_t.flags: record the camera's audio (its source's first audio track: AAC, G.711,
 * Opus) as frames of `audio_slot` to the same record sink, timed on the same clock. Without it
 * audio frames are dropped. Audio never goes to the decoded-frame callback. Since ABI 1.1.
 */
#define VALKKA_CAMERA_AUDIO 0x1u

/**
 * Adds a camera and starts its source thread. Every frame it reads (CONFIG and ENCODED, slot
 * set) goes to `record_sink(record_user, frame)` on that thread; the frame is borrowed for the
 * call. A sink that returns non-zero has dropped the frame; the drop is counted
 * (record_dropped). `record_sink` may be NULL (display only). `record_user` is not owned.
 * Errors: VALKKA_EINVAL (NULL live, cam or url, struct_size too small), VALKKA_EEXIST (slot
 * taken), VALKKA_ENOENT (no such source plugin), VALKKA_ESTATE (called from a callback of
 * `live`), VALKKA_ENOMEM; no callback of the camera runs then. The connection itself is made on
 * the camera's thread: its failures arrive as status (RECONNECTING, FAILED), not here.
 * Thread safety: any thread but the live object's own. Since ABI 1.0.
 */
VALKKA_API int valkka_live_add_camera(valkka_live_t *live, const valkka_camera_t *cam,
                                      valkka_frame_sink_fn record_sink, void *record_user);

/**
 * Stops and removes the camera of `slot`: interrupts its source, joins its threads, and
 * returns once none of its callbacks runs any more. A source still inside its open() (an RTSP
 * connect) is waited for. Errors: VALKKA_EINVAL, VALKKA_ENOENT (no such slot), VALKKA_ESTATE
 * (called from a callback of `live`). Thread safety: any thread but the live object's own.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_live_remove_camera(valkka_live_t *live, uint32_t slot);

/** A camera's state change, as the status callback receives it. */
typedef struct valkka_stream_status {
  uint32_t struct_size; /**< the core's size: check it before reading newer fields */
  uint32_t slot;
  uint32_t state;       /**< valkka_stream_state_t */
  int32_t error;        /**< VALKKA_E code behind RECONNECTING, STALLED, FAILED; else 0 */
  uint32_t attempt;     /**< consecutive failed attempts so far */
  uint32_t retry_in_ms; /**< RECONNECTING: the wait before the next attempt */
  const char *name;     /**< the camera's name; valid during the call */
  const char *reason;   /**< what went wrong, credentials removed; "" when nothing; idem */
  /** STREAMING: how the frames arrive ("tcp", "udp"), "" when the source does not say; valid
      during the call. Since ABI 1.1. */
  const char *transport;
} valkka_stream_status_t;

/**
 * Receives state changes: CONNECTING when a camera starts, STREAMING at its first frame (and
 * when frames return after a stall or reconnect), STALLED, RECONNECTING (once per failed
 * attempt, with the reason), FAILED, ENDED. Runs on the camera's source thread, without core
 * locks held; `status` and its strings are valid during the call only.
 */
typedef void (*valkka_live_status_fn)(void *user, const valkka_stream_status_t *status);

/**
 * Sets the status callback of every camera of `live` (NULL: none). `user` is not owned. Set it
 * before adding cameras to see each one's first state. Threads already inside the previous
 * callback may finish that call after this returns. Errors: VALKKA_EINVAL (NULL live).
 * Thread safety: any thread. Since ABI 1.0.
 */
VALKKA_API int valkka_live_set_status_callback(valkka_live_t *live, valkka_live_status_fn cb,
                                               void *user);

/**
 * Sets the decoded-frame callback of the camera of `slot`; NULL stops its decoding. With a
 * callback, the camera's frames also go (through a bounded queue that drops when full, then
 * skips to the next keyframe; drops counted in decode_dropped) to a decoder thread running the
 * camera's "decoder" plugin (valkka_camera_t.options), and every picture goes to
 * `cb(user, picture)` on that thread: a
 * DECODED frame (YUV420P or NV12) with the slot, flags and mstime of its encoded frame,
 * borrowed for the call. Replacing a callback restarts the decoder (it resumes at the next
 * keyframe). When it returns, the previous callback runs no more.
 * Errors: VALKKA_EINVAL, VALKKA_ENOENT (no such slot, or no such decoder plugin),
 * VALKKA_ESTATE (called from a callback of `live`), VALKKA_ENOMEM. Decoding failures are not
 * errors here: they are logged and the decoder resumes at the next keyframe.
 * Thread safety: any thread but the live object's own. Since ABI 1.0.
 */
VALKKA_API int valkka_live_set_frame_callback(valkka_live_t *live, uint32_t slot,
                                              valkka_frame_sink_fn cb, void *user);

/** A camera's counters, as valkka_live_get_stats() fills them. */
typedef struct valkka_stream_stats {
  uint32_t struct_size; /**< set by the caller; the core fills what it covers */
  uint32_t slot;
  uint32_t state;      /**< valkka_stream_state_t */
  uint32_t reconnects; /**< connection attempts after the first */
  uint32_t codec;      /**< valkka_codec_t of the last frame, or from the source's info */
  uint32_t width;      /**< from the source's info, 0 when unknown */
  uint32_t height;
  int32_t last_error;        /**< code of the most recent failure, 0 when none */
  double fps;                /**< frames per second over the last second or two */
  double bitrate;            /**< bits per second, same window */
  uint64_t frames;           /**< frames read (CONFIG included) since the camera was added */
  uint64_t bytes;            /**< their payload bytes */
  uint64_t record_dropped;   /**< frames the record sink refused */
  uint64_t decode_dropped;   /**< encoded frames that did not reach the decoder */
  uint64_t decoded;          /**< pictures handed to the decoded-frame callback */
  int64_t last_frame_mstime; /**< mstime of the newest frame, 0 before the first */
} valkka_stream_stats_t;

/**
 * Fills `stats` for the camera of `slot`. Errors: VALKKA_EINVAL (NULL, struct_size smaller than
 * ABI 1.0's), VALKKA_ENOENT (no such slot). Thread safety: any thread, callbacks included.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_live_get_stats(valkka_live_t *live, uint32_t slot,
                                     valkka_stream_stats_t *stats);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_LIVE_H */
