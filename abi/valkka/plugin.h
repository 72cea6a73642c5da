/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plugin.h: what a plugin is. Everything a plugin author needs, and all they may include.
 *
 * A plugin is a shared object exporting one symbol, `valkka_plugin_entry`, that returns a const
 * descriptor (valkka_plugin_t). The core checks the descriptor before it calls anything else:
 *   - abi_major must equal the core's VALKKA_ABI_MAJOR, abi_minor must not be newer than the core's;
 *   - struct_size must cover every field of ABI 1.0's descriptor; each vtable's struct_size must
 *     cover the methods its kind requires, and those methods must be non-NULL;
 *   - the (kind, name) pair must not be taken by a plugin already loaded.
 * Plugins do not link against libvalkka: each method that starts an instance receives the host
 * table (valkka_host_t) with logging, error reporting, frame buffers and clocks. Plugins keep no
 * global state: open() returns an instance and every other method gets it back.
 *
 * Minimal plugin (a source):
 *
 *   static const valkka_plugin_option_t my_options[] = { {"fps", "frames a second"}, {0} };
 *   static const valkka_source_vtable_t vt = { sizeof vt, my_open, my_read, my_interrupt,
 *                                              my_close, my_info };
 *   static const valkka_plugin_t desc = {
 *     VALKKA_ABI_MAJOR, VALKKA_ABI_MINOR, sizeof desc, VALKKA_PLUGIN_SOURCE,
 *     "source-mine", "1.0.0", "what it does", &vt, my_options };
 *   VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &desc; }
 */
#ifndef VALKKA_PLUGIN_H
#define VALKKA_PLUGIN_H

#include <stdarg.h>
#include <valkka/defs.h>
#include <valkka/error.h>
#include <valkka/frame.h>
#include <valkka/log.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Plugin kinds. Append only. */
typedef enum valkka_plugin_kind {
  VALKKA_PLUGIN_SOURCE = 1,  /**< delivers encoded frames from a camera, a file, a generator */
  VALKKA_PLUGIN_DECODER = 2, /**< turns encoded frames into pictures */
  VALKKA_PLUGIN_STORAGE = 3  /**< the I/O backend under a ValkkaFS (the core owns the format) */
} valkka_plugin_kind_t;

/**
 * The host table: what the core offers a plugin. Valid from the first call into the plugin until
 * the process unloads it; every function is safe from any thread. Append only: a plugin built
 * against a newer minor checks struct_size (VALKKA_HAS_FIELD) before using a newer member.
 */
typedef struct valkka_host {
  uint32_t struct_size;
  uint32_t abi_version; /**< the core's VALKKA_ABI_VERSION */
  /** Logs through the core's logger (valkka_log). */
  void (*log)(valkka_log_level_t level, const char *module, const char *fmt, ...)
      VALKKA_PRINTF(3, 4);
  /** Sets the calling thread's detailed error (valkka_error_set); returns `code`. */
  int (*error_set)(int code, const char *fmt, ...) VALKKA_PRINTF(2, 3);
  /** valkka_frame_reserve: grows a lent frame's buffer. */
  int (*frame_reserve)(valkka_frame_t *frame, uint32_t capacity);
  /** valkka_frame_set_payload: copies a payload into a lent frame. */
  int (*frame_set_payload)(valkka_frame_t *frame, const void *data, uint32_t size);
  /** valkka_frame_set_picture: lays out a lent frame as a picture. */
  int (*frame_set_picture)(valkka_frame_t *frame, uint32_t width, uint32_t height,
                           valkka_pixfmt_t pixfmt);
  /** Wall clock, ms since the Unix epoch (CLOCK_REALTIME). */
  int64_t (*clock_wall_ms)(void);
  /** Monotonic clock in microseconds (CLOCK_MONOTONIC), for timeouts and rates. */
  int64_t (*clock_mono_us)(void);
  /** The value of `key` among `options` (last one wins), or NULL. */
  const char *(*option_get)(const valkka_option_t *options, size_t n_options, const char *key);
  /** valkka_url_redact: credentials out of a URL or a message before it is logged or shown.
      Since ABI 1.1. */
  char *(*url_redact)(const char *text, uint32_t flags, char *out, size_t out_size);
  /** valkka_codec_name: "H.264", "H.265" or "unknown". Since ABI 1.1. */
  const char *(*codec_name)(valkka_codec_t codec);
  /** valkka_frame_set_audio: lays out a lent frame as decoded sound. Since ABI 1.1. */
  int (*frame_set_audio)(valkka_frame_t *frame, uint32_t sample_rate, uint32_t channels,
                         uint32_t samples);
} valkka_host_t;

/* ------------------------------------------------------------------------------------------ */
/* Sources                                                                                    */

/** What a source knows of its stream once open. Filled by the source's info(). */
typedef struct valkka_source_info {
  uint32_t struct_size; /**< set by the core; the plugin fills only fields it covers */
  uint32_t codec;       /**< valkka_codec_t */
  uint32_t width;
  uint32_t height;
  uint32_t fps_num; /**< frame rate as a fraction; 0/0 when unknown */
  uint32_t fps_den;
  /** How the stream arrives ("tcp", "udp"), a static string; NULL when the source does not say.
      Since ABI 1.1 (check the struct_size the core set before filling it). */
  const char *transport;
} valkka_source_info_t;

/**
 * Source vtable. The core owns the thread that calls open/read/close (one instance per thread;
 * methods of one instance are never called concurrently, except interrupt) and the reconnect
 * policy: when read fails the core closes the instance and opens a new one later.
 */
typedef struct valkka_source_vtable {
  uint32_t struct_size;
  /**
   * Opens `url` with `options`. On success stores the instance in `*instance` and returns 0.
   * Errors: negative code with host->error_set (VALKKA_ECONN, VALKKA_ENOENT, VALKKA_ECODEC for
   * a stream whose codec the core cannot record, VALKKA_ETIMEDOUT). Credentials in `url` must
   * never be logged: log the URL with its user:password part removed. Required.
   */
  int (*open)(const valkka_host_t *host, const char *url, const valkka_option_t *options,
              size_t n_options, void **instance);
  /**
   * Fills the lent `frame` (growing it through the host) with the next unit: a CONFIG frame
   * before the first keyframe and whenever the configuration changes, then ENCODED frames with
   * codec, flags (KEYFRAME) and mstime (wall-clock, monotonic). The core sets `slot`.
   * Returns 0 with a frame, VALKKA_ETIMEDOUT when none came within `timeout_ms`, VALKKA_EINTR
   * after interrupt(), VALKKA_EOS at the end of a finite source, another negative code on a
   * failure (the core then reconnects). Required.
   */
  int (*read)(void *instance, valkka_frame_t *frame, int timeout_ms);
  /**
   * Makes a read() that is blocked, or the next one, return VALKKA_EINTR soon (within ~100 ms).
   * Called from any thread, concurrently with read(). Required.
   */
  int (*interrupt)(void *instance);
  /** Releases the instance. Never fails; NULL-safe not required (the core never passes NULL). Required. */
  void (*close)(void *instance);
  /** Describes the opened stream. Optional (NULL: unknown). Errors: negative code. */
  int (*info)(void *instance, valkka_source_info_t *info);
} valkka_source_vtable_t;

/* ------------------------------------------------------------------------------------------ */
/* Decoders                                                                                   */

/**
 * Decoder vtable, the send/receive model of libavcodec. One instance decodes one stream of one
 * codec; its methods are called from one thread at a time. A decoder of sound (since ABI 1.1)
 * takes an audio stream's CONFIG frame (VALKKA_AUDIO_CONFIG_HEADER layout, frame.h) before its
 * packets and hands out DECODED sound (host->frame_set_audio); open() of a codec it does not
 * decode fails with VALKKA_ECODEC, as for video.
 */
typedef struct valkka_decoder_vtable {
  uint32_t struct_size;
  /**
   * Opens a decoder for `codec` (valkka_codec_t). Options the core passes: "threads" (decoder
   * threads, default 1), "device" (a hardware device path). Errors: VALKKA_ECODEC (codec not
   * handled), VALKKA_ENODEV (no usable device, with the reason in host->error_set: the core then
   * falls back to another decoder), VALKKA_ENOMEM. Required.
   */
  int (*open)(const valkka_host_t *host, uint32_t codec, const valkka_option_t *options,
              size_t n_options, void **instance);
  /**
   * Feeds a CONFIG or ENCODED frame (borrowed for the call). Returns 0 when accepted,
   * VALKKA_EAGAIN when pictures must be received first (the frame was not consumed),
   * VALKKA_EDECODE for undecodable data (the decoder stays usable). Required.
   *
   * Drain: an ENCODED frame with size 0 (data NULL) is the end of the stream, as libavcodec's
   * flush packet for avcodec_send_packet. The decoder then hands out every picture it still
   * holds through receive (which returns VALKKA_EAGAIN once they are all out), and refuses
   * further frames with VALKKA_ESTATE until flush. The core drains when playback reaches the
   * last frame it has of a stream, so the pictures a decoder holds back (reordering, frame
   * threads) are shown, not lost, then flushes. Written here since ABI 1.1; 1.0 decoders were
   * already asked to do it.
   */
  int (*send)(void *instance, const valkka_frame_t *frame);
  /**
   * Fills the lent `frame` with the next picture (through host->frame_set_picture): kind
   * DECODED, YUV420P or NV12, carrying the slot, stream_id, mstime and flags of the encoded
   * frame it came from. Sound: kind DECODED through host->frame_set_audio, with the codec,
   * slot, stream_id and mstime of its packet (the time of its first sample). The picture of a
   * DECODE_ONLY frame is never shown: it must carry the frame's metadata and be laid out, but
   * its planes may be left unwritten (codec-ffmpeg and codec-vaapi leave them, sparing a seek a
   * copy of each picture before its target). Returns 0 with a picture or sound, VALKKA_EAGAIN
   * when none is ready. Required.
   */
  int (*receive)(void *instance, valkka_frame_t *frame);
  /** Drops every buffered frame and reference (before a seek, after a drain): the decoder takes
      frames again, starting at a keyframe. Required. */
  int (*flush)(void *instance);
  /** Releases the instance. Required. */
  void (*close)(void *instance);
} valkka_decoder_vtable_t;

/* ------------------------------------------------------------------------------------------ */
/* Storage backends                                                                           */

/** Flags for valkka_storage_vtable_t.open. */
#define VALKKA_STORAGE_CREATE 0x1u   /**< create the file, sized to `size` bytes (preallocated) */
#define VALKKA_STORAGE_READONLY 0x2u /**< open for reading only */
#define VALKKA_STORAGE_DEVICE 0x4u   /**< `path` is a raw block device: never created or resized */

/**
 * Storage backend vtable, after SQLite's VFS: the core owns the ValkkaFS format (block table,
 * blocks, records, checksums, recovery) and does all its I/O through these methods, on files
 * the backend opens. A backend decides where bytes go and how they reach the disk, and which
 * stream layout it accepts (max_streams). A test wraps a backend in a fault-injecting one.
 * One file handle is used by one thread at a time, except pread (any thread, concurrently).
 */
typedef struct valkka_storage_vtable {
  uint32_t struct_size;
  /** Streams one FS of this backend may hold: 0 = any number (MultiFS), 1 = one (SingleFS). */
  uint32_t max_streams;
  /**
   * Opens (or with VALKKA_STORAGE_CREATE creates) the file at `path` holding `size` bytes.
   * An existing file smaller than `size` is an error (VALKKA_EFORMAT); with CREATE an existing
   * file is an error (VALKKA_EEXIST). Errors also: VALKKA_ENOENT, VALKKA_EACCES, VALKKA_ENOSPC
   * (preallocation failed; nothing is left behind), VALKKA_EIO. Required.
   */
  int (*open)(const valkka_host_t *host, const char *path, uint64_t size, uint32_t flags,
              void **file);
  /**
   * Reads exactly `n` bytes at `offset`. Errors: VALKKA_EIO, VALKKA_ERANGE (past the size).
   * Required.
   */
  int (*pread)(void *file, void *buf, size_t n, uint64_t offset);
  /**
   * Writes exactly `n` bytes at `offset`. When it returns 0 the bytes are in the OS (they survive
   * the process being killed). Errors: VALKKA_EIO, VALKKA_ENOSPC, VALKKA_EACCES, VALKKA_ERANGE.
   * Required.
   */
  int (*pwrite)(void *file, const void *buf, size_t n, uint64_t offset);
  /** Makes written data durable (fdatasync). Errors: VALKKA_EIO. Required. */
  int (*sync)(void *file);
  /** Closes the file. Required. */
  void (*close)(void *file);

  /* Since ABI 1.3, read only when struct_size covers them (VALKKA_HAS_FIELD): a backend whose FS
     directory is not a local one (storage-http: a URL). All four, or none. */
  /**
   * Opens the FS directory `dir` (a URL for storage-http) with the options of the FS's open
   * (valkka_fs_open_params_t.options, borrowed for the call: the backend copies what it keeps).
   * The directory handle holds what its files share (connections, credentials, what load has
   * seen); its files are opened with open_in and closed before it. Optional (NULL: the core
   * opens files by path with `open`). Errors: VALKKA_EINVAL (a malformed `dir` or option),
   * VALKKA_ENOMEM.
   */
  int (*open_dir)(const valkka_host_t *host, const char *dir, const valkka_option_t *options,
                  size_t n_options, void **dir_handle);
  /**
   * Reads the whole small file `name` of the directory ("valkkafs.json", "streams.json",
   * "status.json"; no '/') into `*data`, allocated with malloc and NUL-terminated past `*len`
   * bytes: the caller frees it with free(). A file read before is asked for only if changed
   * (conditional GET) and its last copy handed out again when not. Any thread, concurrently with
   * the directory's other calls and its files' (the backend serialises what it must).
   * Errors: VALKKA_ENOENT (no such file), VALKKA_EACCES (refused), VALKKA_EIO (unreachable,
   * stalled, a broken answer), VALKKA_ENOMEM; the message says which.
   */
  int (*load)(void *dir_handle, const char *name, char **data, size_t *len);
  /**
   * Opens the file `name` of the directory ("blocktable", "blocks") holding at least `size`
   * bytes, as `open` does (flags as there; a backend may refuse all but VALKKA_STORAGE_READONLY
   * with VALKKA_EACCES). Its pread may then be called from any thread, as `open`'s.
   */
  int (*open_in)(void *dir_handle, const char *name, uint64_t size, uint32_t flags, void **file);
  /** Releases the directory handle, after every file of it is closed. */
  void (*close_dir)(void *dir_handle);
} valkka_storage_vtable_t;

/* ------------------------------------------------------------------------------------------ */
/* The descriptor                                                                             */

/** One option a plugin's open() reads: its key and what it does, one line. Since ABI 1.1. */
typedef struct valkka_plugin_option {
  const char *name;        /**< the key, "transport" */
  const char *description; /**< one line: values and default, "auto, tcp or udp (default auto)" */
} valkka_plugin_option_t;

/**
 * What valkka_plugin_entry returns. Static and const: the core copies what it needs and never
 * writes to it. The first two fields never move, so any core can read any plugin's version.
 */
typedef struct valkka_plugin {
  uint32_t abi_major;      /**< VALKKA_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor;      /**< VALKKA_ABI_MINOR the plugin was built with */
  uint32_t struct_size;    /**< sizeof(valkka_plugin_t) as the plugin was built */
  uint32_t kind;           /**< valkka_plugin_kind_t */
  const char *name;        /**< unique per kind: "source-rtsp", "codec-ffmpeg", "storage-multifs" */
  const char *version;     /**< the plugin's own version, free text ("1.2.0") */
  const char *description; /**< one line */
  /** The kind's vtable: a valkka_source_vtable_t, valkka_decoder_vtable_t or valkka_storage_vtable_t */
  const void *vtable;
  /* since ABI 1.1 (read only when struct_size covers it: VALKKA_HAS_FIELD) */
  /**
   * The options open() reads, ending with an entry whose name is NULL; NULL when the plugin does
   * not say. A source that lists them has a camera whose config names another key refused
   * (`valkka record`); a source that does not gets any key handed on, with a warning. The keys the
   * core reads itself (live.h: "decoder", "decoder_device") are not listed.
   */
  const valkka_plugin_option_t *options;
} valkka_plugin_t;

/** Signature of the entry symbol every plugin exports under the name "valkka_plugin_entry". */
typedef const valkka_plugin_t *(*valkka_plugin_entry_fn)(void);

#define VALKKA_PLUGIN_ENTRY_SYMBOL "valkka_plugin_entry"

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_PLUGIN_H */
