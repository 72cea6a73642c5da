/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * manager.h: playback of recordings. The ValkkaFSManager of the original design, in C.
 *
 * A manager holds any number of ValkkaFS at once (MultiFS and SingleFS mixed). Each FS forms an
 * FSGroup with its writer thread (recording; its input is valkka_manager_get_input_filter) and a
 * block loader (playback). One file-cache thread per manager caches the encoded frames of the
 * blocks around the playhead for every mapped stream, decodes them (one decoder plugin instance
 * per mapped stream, "codec-ffmpeg" unless told otherwise) and presents the pictures of all
 * streams on one playback clock: frames of different cameras with the same mstime are presented
 * together, in mstime order.
 *
 * Typical use (a shell's playback view):
 *
 *   valkka_manager_t *m = valkka_manager_create(NULL);
 *   valkka_fs_t *fs;
 *   valkka_manager_open_fs(m, "/var/lib/valkka/fs0", NULL, NULL, &fs);
 *   valkka_manager_set_time_callback(m, on_time, ui);          // playhead, >= 10 Hz playing
 *   valkka_manager_map(m, fs, VALKKA_MANAGER_NO_SLOT, 7, 1, on_picture, tile7);
 *   valkka_manager_seek(m, t);                                  // presents the frame at t
 *   valkka_manager_play(m, 1.0);
 *   ...
 *   valkka_manager_destroy(m);                                  // closes fs too (opened by m)
 *
 * Time: wall-clock milliseconds since the Unix epoch throughout (frame.h). The playhead is the
 * playback clock; "the frame at t" of a stream is its last encoded frame with mstime <= t.
 *
 * Wiring (as in the original design): every heartbeat of the playback clock re-reads the block
 * tables of the FS that changed (rate-limited: readBlockTablesIf) and asks every FSGroup for the
 * blocks around the playhead (reqBlocksIf: the run holding each stream's frames from its last
 * keyframe at or before the playhead to its frame there, plus `window_blocks` blocks ahead, however
 * many blocks a GOP spans). So playback runs on across block boundaries
 * without a gap, and follows a recording that is still being written up to its newest frame: the
 * clock never runs past frames that are recorded but not loaded yet, it waits for them.
 *
 * Threads and callbacks: every function may be called from any thread unless said otherwise.
 * Callbacks run on core threads (named per callback), never while a lock of the core is held, and
 * must not block for long. A callback must not destroy the manager. From inside any callback of
 * a manager, the calls that wait for its threads (valkka_manager_destroy, _add_fs, _open_fs,
 * _remove_fs, _map, _unmap) fail with VALKKA_ESTATE instead of deadlocking; the playback controls
 * (_seek, _play, _pause, _stop, _step, _req_blocks_if, _read_block_tables_if) and the getters
 * are allowed: controls only queue a request for the file-cache thread and return at once.
 *
 * Bad input, defined:
 *   - seek to a time before the recorded range clamps to its first frame time, after it to its
 *     last; the playhead (valkka_manager_get_current_time) shows the clamped time. A seek when
 *     nothing at all is recorded fails with VALKKA_ERANGE; mstime <= 0 is VALKKA_EINVAL.
 *   - a stream with no keyframe at or before the playhead presents nothing until one comes.
 *   - an FS that wraps under the playhead (its oldest blocks are overwritten while the playhead is
 *     on them): the playhead moves to the oldest data still recorded (the start of
 *     valkka_manager_get_time_range) and the frames there are presented as after a seek; the time
 *     callback reports the new time. Cached frames of overwritten blocks are dropped.
 *   - speeds outside VALKKA_MANAGER_SPEED_MIN..VALKKA_MANAGER_SPEED_MAX (other than
 *     VALKKA_MANAGER_SPEED_FAST), NaN or infinite: VALKKA_EINVAL.
 *   - an unknown FS or stream id: VALKKA_ENOENT; a stream id or read slot mapped twice:
 *     VALKKA_EEXIST.
 */
#ifndef VALKKA_MANAGER_H
#define VALKKA_MANAGER_H

#include <valkka/defs.h>
#include <valkka/frame.h>
#include <valkka/fs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A manager: FSGroups, the file-cache thread, the playback clock. Opaque. */
typedef struct valkka_manager valkka_manager_t;

/** valkka_manager_map's write_slot when the stream is played back only, not recorded. */
#define VALKKA_MANAGER_NO_SLOT UINT32_MAX

/** Slowest and fastest real-time playback speeds valkka_manager_play accepts. */
#define VALKKA_MANAGER_SPEED_MIN 0.25
#define VALKKA_MANAGER_SPEED_MAX 16.0
/**
 * valkka_manager_play's speed for "as fast as decoding goes": the clock steps from one frame
 * time to the next with no waiting, still in mstime order across streams. For tools and tests
 * (`valkka play --speed max`); the heartbeat then fires once per presented frame time.
 */
#define VALKKA_MANAGER_SPEED_FAST 0.0

/** How valkka_manager_create sets up. Zero-initialise, set struct_size, fill; or pass NULL. */
typedef struct valkka_manager_params {
  uint32_t struct_size;
  /** Decoder plugin for every stream; NULL: "codec-ffmpeg". A decoder that fails to open with
      VALKKA_ENODEV (no device) is replaced by "codec-ffmpeg" for that stream. */
  const char *decoder;
  uint32_t decoder_threads;   /**< threads of each stream's decoder; 0: 1 */
  uint32_t window_blocks;     /**< blocks cached ahead of the playhead's own, per FS; 0: 2 */
  uint32_t table_interval_ms; /**< readBlockTablesIf: a table unchanged by a new-block event is
                                   re-read at most this often; 0: 1000 */
  uint32_t seek_timeout_ms;   /**< how long a seek waits for its blocks before it presents what
                                   has arrived (a damaged or overwritten block); 0: 2000 */
  /** Threads ("vk-decode-N") that decode the mapped streams of a seek, step or playback tick in
      parallel, each stream on one of them at a time; the file-cache thread waits for them and
      presents as before (outputs still run on it). 0: as many as the machine has online cores;
      1: no such thread, the file-cache thread decodes; at most 16 (more is taken as 16). Since
      ABI 1.4. */
  uint32_t decoder_workers;
  /** Bytes of decoded pictures kept for stepping back (valkka_manager_step_by), all streams
      together, shared equally: the pictures of the GOP before the playhead, decoded once and
      reused by further steps back inside it. A GOP larger than a stream's share keeps its newest
      pictures and is decoded again further back. 0: 64 MiB. Since ABI 1.4. */
  uint64_t picture_cache_bytes;
} valkka_manager_params_t;

/**
 * Creates a manager and starts its file-cache thread ("vk-filecache"). `params` may be NULL (all
 * defaults) and is copied. Plugins are loaded (valkka_plugins_load) when the decoder is not
 * found yet. Ownership: the caller destroys it with valkka_manager_destroy.
 * Errors: NULL with valkka_last_error() set: VALKKA_EINVAL (struct_size too small),
 * VALKKA_ENOENT (no such decoder plugin), VALKKA_ENOMEM. Thread: any. Since ABI 1.0.
 */
VALKKA_API valkka_manager_t *valkka_manager_create(const valkka_manager_params_t *params);

/**
 * Stops the file-cache thread, every block loader and every writer the manager started
 * (writing what is queued), closes the FS the manager opened (valkka_manager_open_fs; an FS
 * added with valkka_manager_add_fs stays open, the caller closes it afterwards), releases
 * decoders and cached frames, and frees the manager. No callback runs after it returns.
 * NULL does nothing. Called from a callback of this manager it logs an error and does nothing.
 * Thread: any, once; no other call on `m` may run concurrently or follow. Since ABI 1.0.
 */
VALKKA_API void valkka_manager_destroy(valkka_manager_t *m);

/* ------------------------------------------------------------------------------------------ */
/* FSGroups                                                                                   */

/** valkka_manager_fs_params_t.flags: do not start the FS's writer (playback only). */
#define VALKKA_MANAGER_FS_NO_WRITER 0x1u
/**
 * valkka_manager_fs_params_t.flags, for a read-only FS: follow the writer of another process
 * (valkka_fs_follow_start with the manager's new-block hook), so that playback, the time range
 * and the callbacks see the recording grow as they would a writer of this process. Since ABI 1.2.
 */
#define VALKKA_MANAGER_FS_FOLLOW 0x2u

/** How an FS joins a manager. Zero-initialise, set struct_size, fill; or pass NULL. */
typedef struct valkka_manager_fs_params {
  uint32_t struct_size;
  uint32_t flags; /**< VALKKA_MANAGER_FS_* */
  uint32_t
      queue_length; /**< the writer's input queue (valkka_fs_writer_params_t); 0: its default */
  uint32_t frame_capacity; /**< the writer's pool frame capacity; 0: its default */
  uint32_t progress_ms;    /**< new-block PROGRESS events of the block being written at most
                                this often while frames come; 0: 500. Playback near live
                                follows the recording at this granularity. */
} valkka_manager_fs_params_t;

/**
 * Adds an FS the caller opened. Unless it is read-only or VALKKA_MANAGER_FS_NO_WRITER is set,
 * the manager starts its writer thread (valkka_fs_writer_start) with the manager's new-block
 * hook, and stops it again at removal; a read-only FS with VALKKA_MANAGER_FS_FOLLOW is followed
 * (valkka_fs_follow_start) with that hook instead, until removal. The FS stays the caller's: close it only after
 * valkka_manager_remove_fs or valkka_manager_destroy returned.
 * Errors: VALKKA_EINVAL (NULL), VALKKA_EEXIST (already added), VALKKA_ESTATE (its writer is
 * running already: stop it, or pass VALKKA_MANAGER_FS_NO_WRITER; followed already; or called
 * from a callback), VALKKA_EACCES (VALKKA_MANAGER_FS_FOLLOW of an FS open for writing),
 * VALKKA_ENOMEM. Thread: any but the manager's callbacks. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_add_fs(valkka_manager_t *m, valkka_fs_t *fs,
                                     const valkka_manager_fs_params_t *params);

/**
 * Opens the FS in `dir` (valkka_fs_open with `open`, may be NULL) and adds it as
 * valkka_manager_add_fs does. The manager owns it: it is closed at removal or destroy; `*fs` is
 * the handle for the other calls. Errors: those of valkka_fs_open and valkka_manager_add_fs;
 * `*fs` is left untouched on failure. Thread: any but the manager's callbacks. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_open_fs(valkka_manager_t *m, const char *dir,
                                      const valkka_fs_open_params_t *open,
                                      const valkka_manager_fs_params_t *params, valkka_fs_t **fs);

/**
 * Removes an FS: unmaps its streams (their output callbacks run no more once this returns),
 * stops its loader and the writer the manager started, and closes it when the manager opened
 * it. Errors: VALKKA_EINVAL (NULL), VALKKA_ENOENT (not in this manager), VALKKA_ESTATE (from a
 * callback). Thread: any but the manager's callbacks. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_remove_fs(valkka_manager_t *m, valkka_fs_t *fs);

/**
 * getInputFilter: where to send frames to record them into `fs`: `*sink` is valkka_fs_sink and
 * `*user` the FS (live.h's record sink and record_user). Frames need a write slot mapped with
 * valkka_manager_map. Errors: VALKKA_EINVAL (NULL), VALKKA_ENOENT (FS not in this manager),
 * VALKKA_ESTATE (no writer: read-only or VALKKA_MANAGER_FS_NO_WRITER). Since ABI 1.0.
 */
VALKKA_API int valkka_manager_get_input_filter(valkka_manager_t *m, valkka_fs_t *fs,
                                               valkka_frame_sink_fn *sink, void **user);

/**
 * getTimeRange: the recorded range over every FS of the manager: the earliest first time and the
 * latest last time (the union, from the FS's current tables). Both 0 when nothing is recorded.
 * Either pointer may be NULL. Errors: VALKKA_EINVAL (NULL m). Since ABI 1.0.
 */
VALKKA_API int valkka_manager_get_time_range(valkka_manager_t *m, int64_t *first_ms,
                                             int64_t *last_ms);

/**
 * getTimeRangeByFS: the recorded range of one FS (valkka_fs_time_range). Errors: VALKKA_EINVAL,
 * VALKKA_ENOENT (FS not in this manager). Since ABI 1.0.
 */
VALKKA_API int valkka_manager_get_time_range_by_fs(valkka_manager_t *m, valkka_fs_t *fs,
                                                   int64_t *first_ms, int64_t *last_ms);

/**
 * map: ties on-disk stream `stream_id` of `fs` to
 *   - recording: frames given to the input filter with slot `write_slot` are written as
 *     `stream_id` (valkka_fs_map); VALKKA_MANAGER_NO_SLOT for playback only;
 *   - playback: the stream's pictures go to `output(user, picture)` on the file-cache thread: a
 *     DECODED frame (YUV420P or NV12) with slot = `read_slot`, stream_id, mstime and flags
 *     (KEYFRAME) of its encoded frame, borrowed for the call (copy what you keep; the return value
 *     is ignored). Only presented frames are delivered, never DECODE_ONLY ones. Its mstime is the
 *     presentation time (frame.h); pictures come in presentation order. An audio stream (since
 *     ABI 1.1) is not decoded: each of its CONFIG and ENCODED frames goes to `output` once, as
 *     the playhead passes its mstime; after a seek the CONFIG in force at the new playhead goes
 *     first, so that a decoder can start there.
 * When the playhead is set, the stream's blocks are loaded and its frame at the playhead is
 * presented. `user` is not owned.
 * Errors: VALKKA_EINVAL (NULL m, fs or output; read_slot VALKKA_MANAGER_NO_SLOT; a second stream
 * id for a single FS), VALKKA_ENOENT (FS not in this manager), VALKKA_EEXIST (stream_id already
 * mapped in this FS, or read_slot in use in this manager), VALKKA_ESTATE (from a callback),
 * VALKKA_ENOMEM. No output runs after an error. Thread: any but the manager's callbacks.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_manager_map(valkka_manager_t *m, valkka_fs_t *fs, uint32_t write_slot,
                                  uint32_t read_slot, uint32_t stream_id,
                                  valkka_frame_sink_fn output, void *user);

/**
 * unmap: undoes valkka_manager_map for `stream_id` of `fs` (its write slot too); when it returns
 * the stream's output runs no more and its decoder and cached frames are released.
 * Errors: VALKKA_EINVAL (NULL), VALKKA_ENOENT (FS not in this manager, or the id not mapped),
 * VALKKA_ESTATE (from a callback). Thread: any but the manager's callbacks. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_unmap(valkka_manager_t *m, valkka_fs_t *fs, uint32_t stream_id);

/**
 * set_stream_active: whether playback decodes mapped stream `stream_id` of `fs` (`active`
 * nonzero) or not (0): a camera's main stream and substream both mapped, a tile showing one. A
 * mapped stream is active. An inactive one is neither loaded nor decoded and its output runs no
 * more once this returns: seeks, steps, playing and gap jumps go as if it were not mapped; its
 * recording (write slot) goes on. Made active again, it is brought to the playhead: its blocks
 * are loaded and, once they are, its frame at the playhead is presented (decoded from the
 * keyframe before it), as by a seek; while playing, its frames from the next tick on. Setting
 * the state it has is a no-op returning 0.
 * Errors: VALKKA_EINVAL (NULL m or fs), VALKKA_ENOENT (FS not in this manager, or the id not
 * mapped), VALKKA_ESTATE (from a callback), VALKKA_ENOMEM. Thread: any but the manager's
 * callbacks. Since ABI 1.4.
 */
VALKKA_API int valkka_manager_set_stream_active(valkka_manager_t *m, valkka_fs_t *fs,
                                                uint32_t stream_id, int active);

/* ------------------------------------------------------------------------------------------ */
/* Playback control. Each queues a request for the file-cache thread and returns at once.     */

/**
 * seek: moves the playhead to `mstime` (clamped into valkka_manager_get_time_range, see the top
 * of this file), loads the blocks around it, and for every mapped stream decodes from its last
 * keyframe at or before the playhead (DECODE_ONLY, not presented) and presents its frame at the
 * playhead. Playing goes on playing from there; paused or stopped stays paused there.
 * valkka_manager_get_current_time shows the new playhead at once; the time callback fires once the
 * frames are presented. A seek queued while another waits for its blocks replaces it.
 * Errors: VALKKA_EINVAL (NULL m, mstime <= 0), VALKKA_ERANGE (nothing recorded in any FS).
 * Since ABI 1.0.
 */
VALKKA_API int valkka_manager_seek(valkka_manager_t *m, int64_t mstime);

/**
 * play: runs the playback clock at `speed` x real time (VALKKA_MANAGER_SPEED_MIN ..
 * VALKKA_MANAGER_SPEED_MAX, or VALKKA_MANAGER_SPEED_FAST) from the playhead; with no playhead
 * yet, from the start of the recorded range. While playing, each stream's frames are presented
 * when the clock reaches their mstime (a frame the decoder could not keep up with is decoded
 * DECODE_ONLY and skipped, so presented frames never lag the clock by a frame interval or
 * more); the time callback fires at least every 50 ms of wall time and at least 20 times per
 * second of playback time. At the end of the recorded data the clock waits there (playing,
 * `at_end` in valkka_manager_get_state) and goes on when new frames are recorded.
 * Gaps (since ABI 1.4): when the clock leaves the last recorded range of every mapped stream
 * (valkka_fs_get_ranges) and a later one exists, it jumps to the first recorded time after it,
 * as a seek there (the time callback reports the new time), instead of running through the
 * empty time with the pictures frozen; valkka_manager_set_gaps with
 * VALKKA_MANAGER_GAPS_REAL_TIME restores running through it.
 * Errors: VALKKA_EINVAL (NULL, speed out of range), VALKKA_ERANGE (no playhead and nothing
 * recorded). Since ABI 1.0.
 * Since ABI 1.4, a negative speed (-VALKKA_MANAGER_SPEED_MAX .. -VALKKA_MANAGER_SPEED_MIN) plays
 * backwards: the clock runs down from the playhead and every stream shows its newest picture at
 * or before it, as forward, all streams on one clock. The GOP before is decoded once as the clock
 * enters it and its pictures kept within picture_cache_bytes (as valkka_manager_step_by does);
 * the clock never passes a picture unshown (it waits when decoding falls behind) and waits for
 * the blocks it needs. At the
 * start of the recorded data the clock waits there (`at_end` in valkka_manager_get_state).
 */
VALKKA_API int valkka_manager_play(valkka_manager_t *m, double speed);

/** How playing goes through a time no mapped stream recorded (valkka_manager_set_gaps).
    Since ABI 1.4. */
typedef enum valkka_manager_gaps {
  VALKKA_MANAGER_GAPS_JUMP = 0,     /**< to the next recorded time of any stream (the default) */
  VALKKA_MANAGER_GAPS_REAL_TIME = 1 /**< the clock runs on through the gap at the speed */
} valkka_manager_gaps_t;

/**
 * set_gaps: how playing treats gaps from now on (valkka_manager_play); seek and step are not
 * affected. Takes effect at the next heartbeat of the clock. Thread: any, callbacks included.
 * Errors: VALKKA_EINVAL (NULL m, an unknown mode). Since ABI 1.4.
 */
VALKKA_API int valkka_manager_set_gaps(valkka_manager_t *m, valkka_manager_gaps_t gaps);

/** pause: stops the clock at the playhead; presented frames stay. Errors: VALKKA_EINVAL. Since ABI 1.0. */
VALKKA_API int valkka_manager_pause(valkka_manager_t *m);

/**
 * stop: stops the clock, drops the cached frames and resets the decoders (frees memory); the
 * playhead stays, and play or seek load again. Errors: VALKKA_EINVAL. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_stop(valkka_manager_t *m);

/**
 * step: valkka_manager_step_by(m, 1). Since ABI 1.4: every stream moves by one of its own frames
 * (before, the playhead went to the next frame time of any one stream). Errors: as step_by.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_manager_step(valkka_manager_t *m);

/**
 * step_by: pauses, then moves every mapped video stream by one of its own pictures, forward
 * (`frames` 1) or back (-1), all together, and presents them. Afterwards, as after a seek, every
 * stream shows its newest picture at or before the playhead (a stream with none there keeps its
 * picture), and the playhead is a picture's presentation time: forward, the latest of the
 * streams' next pictures; back, the newest picture of any stream before the earliest one shown;
 * so streams of one frame rate move by exactly one picture each, whatever their phases,
 * and a slower stream moves when the playhead reaches its next (previous) picture. A stream
 * whose neighbouring picture is more than a second away (a gap in its recording) keeps its
 * picture unless the step reaches the other side; when every stream is in a gap, forward goes to
 * the next recorded picture of any. A step back decodes the GOP of the picture before once (the
 * blocks before the playhead are loaded as needed) and keeps its pictures within
 * picture_cache_bytes, so further steps back inside it decode nothing. At either end of the
 * recorded data a step does nothing. Steps queue: a step back after a step forward not yet
 * done cancels it. Returns at once; the time callback fires when the pictures are presented.
 * Thread: any. Errors: VALKKA_EINVAL (NULL m, `frames` other than 1 or -1), VALKKA_ERANGE (no
 * playhead and nothing recorded). Since ABI 1.4.
 */
VALKKA_API int valkka_manager_step_by(valkka_manager_t *m, int frames);

/**
 * getCurrentTime: the playhead (the playback clock), 0 before the first seek or play.
 * Errors: VALKKA_EINVAL (NULL). Thread: any, callbacks included. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_get_current_time(valkka_manager_t *m, int64_t *mstime);

/**
 * readBlockTablesIf: re-reads the block table of every FS that signalled new blocks, or whose
 * table is older than table_interval_ms (the heartbeat does this by itself while playing).
 * Runs on the file-cache thread; returns at once. Errors: VALKKA_EINVAL. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_read_block_tables_if(valkka_manager_t *m);

/**
 * reqBlocksIf: moves the cache window of every FS to the blocks around `mstime` (what the
 * heartbeat does for the playhead), unless they are already requested; prefetching for a time
 * the shell is about to seek to. The next heartbeat moves it back to the playhead while playing.
 * Runs on the file-cache thread; returns at once. Errors: VALKKA_EINVAL (NULL, mstime <= 0),
 * VALKKA_ERANGE (outside the recorded range: nothing requested). Since ABI 1.0.
 */
VALKKA_API int valkka_manager_req_blocks_if(valkka_manager_t *m, int64_t mstime);

/**
 * scrub: for dragging the playhead. Pauses, moves the playhead to `mstime` (clamped as a seek's)
 * and presents, for every mapped video stream, its keyframe at or before the playhead, decoded
 * alone (not the frame at the playhead: that is a seek's job, for the release of the drag); the
 * time callback fires with the playhead just before they are. A stream whose keyframe is on screen
 * already presents nothing. Keyframes are decoded on the decoder workers (decoder_workers), each
 * once: their pictures are kept for later scrubs, 64 MiB of them for all streams together (the
 * least recently shown go first), and let go by valkka_manager_stop. A scrub queued while
 * another waits (for the thread, or for its blocks) replaces it, so a drag is followed at the
 * rate it asks as far as decoding keeps up, and never falls behind it. Audio streams present
 * nothing. A later seek, play or step presents the frames at the playhead again. Ownership: the
 * pictures are lent to the outputs for the call, as a seek's are.
 * Errors: VALKKA_EINVAL (NULL m, mstime <= 0), VALKKA_ERANGE (nothing recorded in any FS).
 * Thread: any, the manager's callbacks included (it only queues). Since ABI 1.4.
 */
VALKKA_API int valkka_manager_scrub(valkka_manager_t *m, int64_t mstime);

/** Playback states. Append only. */
typedef enum valkka_playback_state {
  VALKKA_PLAYBACK_STOPPED = 1, /**< nothing cached; the initial state */
  VALKKA_PLAYBACK_PAUSED = 2,
  VALKKA_PLAYBACK_PLAYING = 3,
  VALKKA_PLAYBACK_SEEKING = 4 /**< a seek waits for its blocks */
} valkka_playback_state_t;

/** valkka_manager_get_state's answer. The caller sets struct_size. */
typedef struct valkka_manager_state {
  uint32_t struct_size;
  uint32_t state;          /**< valkka_playback_state_t */
  double speed;            /**< of the last play (VALKKA_MANAGER_SPEED_FAST: 0) */
  int64_t current_ms;      /**< the playhead, 0 when none */
  int64_t presented_ms;    /**< every frame due at or before this clock time has been handled
                               (presented or skipped); 0 before the first presentation */
  uint32_t at_end;         /**< 1 while playing and held at the end of the recorded data */
  uint32_t streams;        /**< mapped streams (active ones: valkka_manager_set_stream_active) */
  uint64_t seeks;          /**< seeks completed (frames presented) since create */
  uint64_t presented;      /**< frames presented since create */
  uint64_t decode_errors;  /**< frames a decoder refused since create */
  int64_t cached_first_ms; /**< range of the cached frames (the time-limits callback's), 0 0 */
  int64_t cached_last_ms;
} valkka_manager_state_t;

/**
 * Fills `state` as far as its struct_size reaches. Errors: VALKKA_EINVAL (NULL, struct_size 0).
 * Thread: any, callbacks included. Since ABI 1.0.
 */
VALKKA_API int valkka_manager_get_state(valkka_manager_t *m, valkka_manager_state_t *state);

/* ------------------------------------------------------------------------------------------ */
/* Callbacks. Each setter replaces the previous callback (NULL: none); `user` is not owned. A */
/* call already running may finish after the setter returned.                                  */

/**
 * The time callback (heartbeat): the playhead, `mstime`. Runs on the file-cache thread: while
 * playing at least every 50 ms of wall time and 20 times per playback second, before the frames
 * due at `mstime` are presented (so a picture's mstime is never later than the last heartbeat);
 * after every completed seek and step; when the playhead moves because an FS wrapped under it.
 */
typedef void (*valkka_manager_time_fn)(void *user, int64_t mstime);

/**
 * The time-limits callback: the range of the frames in the cache (what can be shown without
 * loading), when it changes; 0, 0 when the cache is empty. Runs on the file-cache thread.
 */
typedef void (*valkka_manager_time_limits_fn)(void *user, int64_t first_ms, int64_t last_ms);

/**
 * The new-block callback: a writer started by the manager finished a block or made progress in
 * the block being written (valkka_fs_block_event_t, borrowed for the call). Runs on that FS's
 * writer thread; the next seek and heartbeat see the new data. It must not call
 * valkka_fs_writer_stop or valkka_fs_close on `fs`.
 */
typedef void (*valkka_manager_block_fn)(void *user, valkka_fs_t *fs,
                                        const valkka_fs_block_event_t *event);

/** Sets the time callback. Errors: VALKKA_EINVAL (NULL m). Since ABI 1.0. */
VALKKA_API int valkka_manager_set_time_callback(valkka_manager_t *m, valkka_manager_time_fn cb,
                                                void *user);

/** Sets the time-limits callback. Errors: VALKKA_EINVAL (NULL m). Since ABI 1.0. */
VALKKA_API int valkka_manager_set_time_limits_callback(valkka_manager_t *m,
                                                       valkka_manager_time_limits_fn cb,
                                                       void *user);

/** Sets the new-block callback. Errors: VALKKA_EINVAL (NULL m). Since ABI 1.0. */
VALKKA_API int valkka_manager_set_block_callback(valkka_manager_t *m, valkka_manager_block_fn cb,
                                                 void *user);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_MANAGER_H */
